import type { AesKey } from '@pos-link/crypto';
import { performance } from 'node:perf_hooks';
import { ingressWireAnswer, type IngressErrorCode } from '../errors/ingress-errors';
import type { EventOutcome } from '../metrics/ingress-metrics';
import type { IngressTelemetry } from '../metrics/ingress-telemetry';
import { AnswerQueue, type AnswerSlot } from './answer-queue';
import { PES_INIT_CLIENT, PES_REGISTER_CLIENT } from './handshake';
import type { PendingFrame, PesSessionIo, PesSessionSettings } from './pes-session-types';
import { PesResponses } from './pes-responses';

/** One {@link PesResponses} per listener's settings: built (and its `source` checked) once, not per connection. */
const RESPONSES = new WeakMap<PesSessionSettings, PesResponses>();

function responsesFor(settings: PesSessionSettings): PesResponses {
  let responses = RESPONSES.get(settings);
  if (responses === undefined) {
    responses = new PesResponses(settings.source, settings.cipher);
    RESPONSES.set(settings, responses);
  }
  return responses;
}

/** What {@link SessionAnswers} needs from its session. */
export interface SessionAnswersDeps {
  readonly settings: PesSessionSettings;
  readonly telemetry: IngressTelemetry;
  readonly io: PesSessionIo;
  /** Called whenever answers were written (the session may read more, or finish closing). */
  readonly onDrained: () => void;
  /** Closes the connection with `code` (an error whose wire answer is "close"). */
  readonly close: (code: IngressErrorCode) => void;
}

/**
 * The answers of ONE connection (DESIGN §6 "every event is answered"): reserves their places in
 * receive order ({@link AnswerQueue}), builds the frames ({@link PesResponses}) and applies the ONE
 * code → wire-answer mapping of `ingress-errors.ts` (nack N, or close). Counts each answered event.
 */
export class SessionAnswers {
  readonly #queue: AnswerQueue;
  readonly #responses: PesResponses;
  readonly #telemetry: IngressTelemetry;
  readonly #close: (code: IngressErrorCode) => void;

  constructor(deps: SessionAnswersDeps) {
    this.#queue = new AnswerQueue((frame) => deps.io.write(frame), deps.onDrained);
    this.#responses = responsesFor(deps.settings);
    this.#telemetry = deps.telemetry;
    this.#close = deps.close;
  }

  /** Answers reserved and not yet written (the in-flight window). */
  get pending(): number {
    return this.#queue.pending;
  }

  /** Reserves the next answer's place (for an event whose append is under way). */
  reserve(): AnswerSlot {
    return this.#queue.reserve();
  }

  /** Handshake step 1 → 2: the `init_client` ack, then `register_client` (DESIGN §6: in that order). */
  handshake(initMsgId: string, registerMsgId: string, registerMsgData: string): void {
    this.#queue.reserve().fill(this.#responses.ack(initMsgId, PES_INIT_CLIENT));
    this.#queue.reserve().fill(this.#responses.request(registerMsgId, PES_REGISTER_CLIENT, registerMsgData));
  }

  /** Fills `slot` with the ack of a stored (or duplicate) event. */
  ack(slot: AnswerSlot, msgId: string, msgType: string, outcome: 'stored' | 'duplicate', frame: PendingFrame): void {
    slot.fill(this.#responses.ack(msgId, msgType), () =>
      this.#telemetry.eventAnswered(msgType, outcome, performance.now() - frame.startedAt),
    );
  }

  /** Answers `code` now, in order: see {@link fail}. */
  failNow(dek: AesKey | undefined, msgId: string, msgType: string, code: IngressErrorCode, frame: PendingFrame, outcome: EventOutcome): void {
    this.fail(this.#queue.reserve(), dek, msgId, msgType, code, frame, outcome);
  }

  /**
   * Fills `slot` with the answer the registry gives `code`: a nack encrypted under `dek`, or — for a
   * "close" code, or with no key yet to encrypt a nack — nothing, and the connection closes.
   */
  fail(
    slot: AnswerSlot,
    dek: AesKey | undefined,
    msgId: string,
    msgType: string,
    code: IngressErrorCode,
    frame: PendingFrame,
    outcome: EventOutcome,
  ): void {
    const answer = ingressWireAnswer(code);
    if (answer.kind === 'close' || dek === undefined) {
      slot.fill(undefined);
      this.#close(code);
      return;
    }
    const nack = this.#responses.nack(dek, msgId, msgType, answer.code);
    slot.fill(nack, () => this.#telemetry.eventAnswered(msgType, outcome, performance.now() - frame.startedAt));
  }

  /** The socket is gone: later answers are dropped (their callbacks still run). */
  disconnect(): void {
    this.#queue.disconnect();
  }
}
