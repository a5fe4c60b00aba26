import type { AesKey } from '@pos-link/crypto';
import { performance } from 'node:perf_hooks';
import { isProtocolError, parsePesFrame, PesEnvelopeError, type PesEnvelope } from '@pos-link/protocol';
import { ingressCodeOfProtocolError, type IngressErrorCode } from '../errors/ingress-errors';
import type { HandshakeOutcome } from '../metrics/ingress-metrics';
import type { IngressTelemetry } from '../metrics/ingress-telemetry';
import { canEcho } from './echo';
import { EventFlow } from './event-flow';
import { PES_INIT_CLIENT } from './handshake';
import { PesSessionState, type PendingFrame, type PesSessionDeps, type PesSessionIo } from './pes-session-types';
import { SessionAnswers } from './session-answers';
import { SessionHandshake } from './session-handshake';

type CloseReason = IngressErrorCode | 'peer' | 'shutdown';

function handshakeOutcomeOf(reason: IngressErrorCode | 'peer'): Exclude<HandshakeOutcome, 'completed'> {
  if (reason === 'peer') return 'aborted';
  if (reason === 'ERR_INGRESS_RSA_KEY_INVALID' || reason === 'ERR_INGRESS_RSA_KEY_TOO_SMALL') return 'invalid_key';
  return 'protocol_error';
}

/**
 * The state machine of ONE PES connection (DESIGN §6): handshake, then events, with in-order answers
 * and bounded in-flight work. It owns no socket: the transport feeds it frame bodies and implements
 * {@link PesSessionIo}, so the whole protocol is testable without the network.
 *
 * This class owns the states, the backlog and its backpressure, the deadline and closing; the steps
 * live next to it: {@link SessionHandshake} (`awaiting_init`, `registering`), {@link EventFlow}
 * (`ready`) and {@link SessionAnswers} (in-order answers; every failure is an `ERR_INGRESS_…` code
 * answered through the one mapping of `ingress-errors.ts`: nack N, or close after the in-flight answers).
 */
export class PesSession {
  readonly #id: string;
  readonly #maxInFlight: number;
  readonly #telemetry: IngressTelemetry;
  readonly #io: PesSessionIo;
  readonly #answers: SessionAnswers;
  readonly #handshake: SessionHandshake;
  readonly #events: EventFlow;
  #state: PesSessionState = PesSessionState.AWAITING_INIT;
  /** Frames read and not yet processed; `#backlogHead` is the next one (no `shift()` per frame). */
  readonly #backlog: PendingFrame[] = [];
  #backlogHead = 0;
  #reading = true;
  #handshakeTimer: NodeJS.Timeout | undefined;
  #closeReason: CloseReason | undefined;
  /** Re-entrancy guard: filling an answer flushes the queue, which must not process the next frame early. */
  #pumping = false;
  #ended = false;

  /** Starts the handshake deadline at once (it runs from accept, DESIGN §6). */
  constructor(deps: PesSessionDeps) {
    this.#id = deps.id;
    this.#maxInFlight = deps.settings.maxInFlight;
    this.#telemetry = deps.telemetry;
    this.#io = deps.io;
    this.#answers = new SessionAnswers({
      settings: deps.settings,
      telemetry: deps.telemetry,
      io: deps.io,
      onDrained: () => this.#pump(),
      close: (code) => this.#close(code),
    });
    const step = { id: deps.id, settings: deps.settings, telemetry: deps.telemetry, answers: this.#answers };
    this.#handshake = new SessionHandshake(step);
    this.#events = new EventFlow({ ...step, eventLog: deps.eventLog });
    this.#handshakeTimer = setTimeout(() => this.#handshakeTimedOut(), deps.settings.handshakeTimeoutMs);
  }

  /** Current state. */
  get state(): PesSessionState {
    return this.#state;
  }

  /** Frames read but not yet answered (the in-flight window). */
  get inFlight(): number {
    return this.#answers.pending;
  }

  /** Feeds one frame body (from the protocol decoder), in stream order. */
  receive(body: Buffer): void {
    if (!this.#isActive()) return;
    this.#backlog.push({ body, receivedAt: Date.now(), startedAt: performance.now() });
    this.#pump();
  }

  /**
   * Fails the connection with `code` (a framing error, the idle timeout …): answered per the registry —
   * for these codes always a close after the in-flight answers.
   */
  fail(code: IngressErrorCode): void {
    this.#close(code);
  }

  /** The ingress is shutting down: stop reading, answer what is in flight, end. */
  shutdown(): void {
    this.#close('shutdown');
  }

  /** The POS half-closed (FIN): it sends no more; answer what is in flight, then end. */
  peerEnded(): void {
    this.#close('peer');
  }

  /** The socket is gone (closed by either side): stop writing; record why. Idempotent. */
  socketClosed(): void {
    if (this.#state === PesSessionState.CLOSED) return;
    const reason = this.#closeReason ?? 'peer';
    if (this.#isHandshaking() && this.#closeReason === undefined) this.#telemetry.handshakeFailed(this.#id, 'aborted', 'peer');
    this.#state = PesSessionState.CLOSED;
    this.#dropBacklog();
    this.#answers.disconnect();
    this.#clearHandshakeTimer();
    this.#handshake.wipe();
    this.#telemetry.connectionClosed(this.#id, reason);
  }

  /** Processes backlog frames while the in-flight window has room; flips reading accordingly. */
  #pump(): void {
    if (this.#pumping) return;
    const max = this.#maxInFlight;
    this.#pumping = true;
    try {
      while (this.#backlogHead < this.#backlog.length && this.#answers.pending < max && this.#isActive()) {
        const frame = this.#backlog[this.#backlogHead];
        this.#backlogHead += 1;
        this.#process(frame);
      }
      if (this.#backlogHead === this.#backlog.length) this.#dropBacklog();
    } finally {
      this.#pumping = false;
    }
    if (this.#state === PesSessionState.CLOSING) {
      if (this.#answers.pending === 0 && !this.#ended) {
        this.#ended = true;
        this.#io.end();
      }
      return;
    }
    if (!this.#isActive()) return;
    const wantReading = this.#backlogHead === this.#backlog.length && this.#answers.pending < max;
    if (wantReading !== this.#reading) {
      this.#reading = wantReading;
      this.#io.setReading(wantReading);
      if (!wantReading) this.#telemetry.backpressurePaused(this.#id, this.#answers.pending);
    }
  }

  #isActive(): boolean {
    return this.#state !== PesSessionState.CLOSING && this.#state !== PesSessionState.CLOSED;
  }

  #isHandshaking(): boolean {
    return this.#state === PesSessionState.AWAITING_INIT || this.#state === PesSessionState.REGISTERING;
  }

  #dropBacklog(): void {
    this.#backlog.length = 0; // keeps the array (and its capacity) for the next burst
    this.#backlogHead = 0;
  }

  #process(frame: PendingFrame): void {
    let envelope: PesEnvelope;
    try {
      envelope = parsePesFrame(frame.body);
    } catch (error) {
      this.#refuseFrame(error, frame);
      return;
    }
    switch (this.#state) {
      case PesSessionState.AWAITING_INIT:
        this.#onInitClient(envelope);
        return;
      case PesSessionState.REGISTERING:
        this.#onRegistering(envelope, frame);
        return;
      default:
        if (envelope.msg_type === PES_INIT_CLIENT) this.#close('ERR_INGRESS_HANDSHAKE_REPEATED');
        else this.#events.handle(envelope, frame, this.#handshake.dek as AesKey);
    }
  }

  /**
   * A frame the envelope parser refused: nack 1 when it can be answered, else close (DESIGN §6: "what
   * cannot be answered is closed"). A response must echo `msg_id` and `msg_type` in a valid envelope;
   * an empty or over-long one cannot be echoed, so that frame is closed like one with no `msg_id`.
   */
  #refuseFrame(error: unknown, frame: PendingFrame): void {
    if (!isProtocolError(error)) throw error;
    if (!(error instanceof PesEnvelopeError)) {
      this.#close(ingressCodeOfProtocolError(error.code));
      return;
    }
    const dek = this.#handshake.dek;
    if (dek === undefined) {
      this.#close('ERR_INGRESS_BEFORE_INIT'); // no key yet: nothing can be answered (DESIGN §6)
      return;
    }
    if (error.msgType === undefined || !canEcho(error.msgId, error.msgType)) {
      this.#close('ERR_INGRESS_FRAME_UNANSWERABLE');
      return;
    }
    this.#telemetry.eventRejected(this.#id, error.msgId, error.msgType, 'ERR_INGRESS_ENVELOPE_INVALID', error.violations);
    this.#answers.failNow(dek, error.msgId, error.msgType, 'ERR_INGRESS_ENVELOPE_INVALID', frame, 'envelope_invalid');
  }

  #onInitClient(envelope: PesEnvelope): void {
    const failure = this.#handshake.start(envelope);
    if (failure !== undefined) {
      this.#close(failure);
      return;
    }
    this.#state = PesSessionState.REGISTERING;
  }

  #onRegistering(envelope: PesEnvelope, frame: PendingFrame): void {
    const step = this.#handshake.answer(envelope, frame);
    switch (step.kind) {
      case 'ready':
        this.#clearHandshakeTimer();
        this.#state = PesSessionState.READY;
        this.#telemetry.handshakeCompleted(this.#id, this.#handshake.source);
        return;
      case 'close':
        this.#close(step.code);
        return;
      case 'failed':
        this.#handshakeFailed(step.outcome, step.code, step.posCode);
        return;
      default:
        return; // answered (nack 4)
    }
  }

  #handshakeTimedOut(): void {
    this.#handshakeTimer = undefined;
    if (this.#isHandshaking()) this.#handshakeFailed('timeout', 'ERR_INGRESS_HANDSHAKE_TIMEOUT');
  }

  #handshakeFailed(outcome: Exclude<HandshakeOutcome, 'completed'>, code: IngressErrorCode, posCode?: number): void {
    this.#telemetry.handshakeFailed(this.#id, outcome, code, posCode);
    this.#close(code, true);
  }

  /**
   * Stops reading and ends the socket once every reserved answer is written. Frames still in the
   * backlog were never processed: they are not answered (the POS resends what was not acked).
   */
  #close(reason: CloseReason, handshakeCounted = false): void {
    if (!this.#isActive()) return;
    if (this.#isHandshaking() && !handshakeCounted && reason !== 'shutdown') {
      this.#telemetry.handshakeFailed(this.#id, handshakeOutcomeOf(reason), reason);
    }
    this.#closeReason = reason;
    this.#state = PesSessionState.CLOSING;
    this.#dropBacklog();
    this.#clearHandshakeTimer();
    if (this.#reading) {
      this.#reading = false;
      this.#io.setReading(false);
    }
    this.#pump();
  }

  #clearHandshakeTimer(): void {
    if (this.#handshakeTimer !== undefined) clearTimeout(this.#handshakeTimer);
    this.#handshakeTimer = undefined;
  }
}
