/**
 * One payment terminal connected to THIS replica (DESIGN §5): sends POS requests to it, matches its
 * `<RESPONSE>`s to them (`matchResponse`), applies the relay rules (`DeviceGate`), answers what it
 * cannot relay with a synthesized `<RESPONSE>`, and keeps the connection honest with pings
 * (`WEBSOCKETPINGINTERVAL`: a terminal that has not answered the previous ping — or sent anything —
 * by the next one is evicted).
 *
 * Timeouts: after `requestTimeoutMs` without an answer the POS gets `DEVICE_TIMEOUT`, but the slot stays
 * taken for up to another `requestTimeoutMs` — the terminal is presumably still working on it, and a
 * late answer must not be read as the answer to the next request. The late answer is discarded.
 */
import { isProtocolError, parseSciDocument, type SciDocument } from '@pos-link/protocol';
import WebSocket, { type RawData } from 'ws';
import { DeviceGate, type Admitted, type Completion, type DeviceSlot } from './device-gate';
import { matchResponse } from './match-response';
import { deviceAnswer, synthesizedAnswer, type ClassifiedRequest, type RelayAnswer } from './relay-answer';
import type { RelayTelemetry, TerminalCloseReason, TerminalRef } from './relay-telemetry';

/** Close frames the relay sends to a terminal. */
export const TERMINAL_CLOSE = Object.freeze({
  /** A newer connection of the same terminal (here or on another replica) took over. */
  REPLACED: Object.freeze({ code: 4000, reason: 'Replaced by a newer connection' }),
  /** The gateway is shutting down; the terminal reconnects to another replica. */
  GOING_AWAY: Object.freeze({ code: 1001, reason: 'Going away' }),
});

/** How long a closing terminal may take to finish the close handshake before its socket is destroyed. */
const CLOSE_GRACE_MS = 1_000;

/** Options of {@link LocalTerminal}. */
export interface LocalTerminalOptions {
  /** `RELAY_REQUEST_TIMEOUT_MS`. */
  readonly requestTimeoutMs: number;
  /** `RELAY_SESSION_IDLE_MS`. */
  readonly sessionIdleMs: number;
  /** `TERMINAL_PING_INTERVAL_MS`. */
  readonly pingIntervalMs: number;
  /** `RELAY_MAX_XML_BYTES`: cap on the terminal's documents too. */
  readonly maxXmlBytes: number;
  /** Logs and metrics. */
  readonly telemetry: RelayTelemetry;
  /** Called once when the connection has ended (every outstanding request already answered). */
  readonly onClosed: (terminal: LocalTerminal, reason: TerminalCloseReason, pending: number) => void;
}

interface Pending {
  readonly admitted: Admitted;
  readonly command: string;
  readonly resolve: (answer: RelayAnswer) => void;
  answered: boolean;
  timer: NodeJS.Timeout;
}

/** A terminal's live connection on this replica. */
export class LocalTerminal {
  /** Site, pinpad id and connection id. */
  readonly ref: TerminalRef;
  readonly #ws: WebSocket;
  readonly #o: LocalTerminalOptions;
  readonly #gate: DeviceGate;
  readonly #pending = new Map<DeviceSlot, Pending>();
  readonly #pingTimer: NodeJS.Timeout;
  #alive = true;
  #closeReason: TerminalCloseReason | undefined;
  #closed = false;
  readonly #closedPromise: Promise<void>;

  /**
   * @param ws the upgraded terminal socket
   * @param ref its site, pinpad id and connection id
   * @param options timeouts, limits, telemetry and the close hook
   */
  constructor(ws: WebSocket, ref: TerminalRef, options: LocalTerminalOptions) {
    this.ref = Object.freeze({ ...ref });
    this.#ws = ws;
    this.#o = options;
    this.#gate = new DeviceGate({
      sessionIdleMs: options.sessionIdleMs,
      onSessionExpired: (clientId) => options.telemetry.sessionExpired(this.ref, clientId),
    });
    ws.on('message', (data, isBinary) => this.#onMessage(data, isBinary));
    ws.on('pong', () => {
      this.#alive = true;
    });
    ws.on('error', () => undefined); // a socket error is followed by 'close'
    this.#closedPromise = new Promise((resolve) => ws.once('close', () => resolve(this.#onClose())));
    this.#pingTimer = setInterval(() => this.#ping(), options.pingIntervalMs);
    this.#pingTimer.unref();
  }

  /** Whether the connection has ended. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Relays one checked request, applying the relay rules.
   * @returns the terminal's answer, or a synthesized one (busy, offline, timeout, invalid answer)
   */
  submit(clientId: string, request: ClassifiedRequest, xml: string): Promise<RelayAnswer> {
    if (this.#closed || this.#ws.readyState !== WebSocket.OPEN) return Promise.resolve(synthesizedAnswer('DEVICE_OFFLINE'));
    const admitted = this.#gate.admit(clientId, request.kind);
    if (typeof admitted === 'string') return Promise.resolve(synthesizedAnswer(admitted));
    return new Promise<RelayAnswer>((resolve) => {
      const pending: Pending = {
        admitted,
        command: request.command.command,
        resolve,
        answered: false,
        timer: setTimeout(() => this.#timedOut(pending), this.#o.requestTimeoutMs),
      };
      this.#pending.set(admitted.slot, pending);
      // A send that fails means the socket is going down: 'close' answers DEVICE_OFFLINE.
      this.#ws.send(xml, () => undefined);
    });
  }

  /** The POS `clientId` went away: it no longer owns the terminal's session. */
  releaseClient(clientId: string): void {
    this.#gate.releaseClient(clientId);
  }

  /** Closes the connection (a newer one took over, or shutdown); resolves once it has ended. */
  close(reason: 'replaced' | 'shutdown'): Promise<void> {
    if (!this.#closed && this.#closeReason === undefined) {
      this.#closeReason = reason;
      const frame = reason === 'replaced' ? TERMINAL_CLOSE.REPLACED : TERMINAL_CLOSE.GOING_AWAY;
      if (this.#ws.readyState === WebSocket.OPEN) this.#ws.close(frame.code, frame.reason);
      setTimeout(() => this.#ws.terminate(), CLOSE_GRACE_MS).unref();
    }
    return this.#closedPromise;
  }

  #ping(): void {
    if (!this.#alive) {
      // No pong (nor any message) since the last ping: a dead peer (DESIGN §5, seed 002).
      this.#closeReason ??= 'evicted';
      this.#ws.terminate();
      return;
    }
    this.#alive = false;
    if (this.#ws.readyState === WebSocket.OPEN) this.#ws.ping();
  }

  #onMessage(data: RawData, isBinary: boolean): void {
    this.#alive = true;
    if (isBinary) {
      this.#o.telemetry.messageDiscarded(this.ref, 'binary');
      return;
    }
    const text = (data as Buffer).toString('utf8');
    let doc: SciDocument | undefined;
    try {
      doc = parseSciDocument(text, { maxBytes: this.#o.maxXmlBytes });
      if (doc.root !== 'RESPONSE') doc = undefined;
    } catch (error) {
      if (!isProtocolError(error)) throw error;
    }
    const outstanding = {
      primary: this.#pending.get('primary'),
      secondary: this.#pending.get('secondary'),
    };
    const slot = matchResponse(doc, outstanding);
    const pending = slot === undefined ? undefined : outstanding[slot];
    if (pending === undefined) {
      this.#o.telemetry.messageDiscarded(this.ref, doc === undefined ? 'invalid' : 'unmatched');
      return;
    }
    if (pending.answered) {
      this.#o.telemetry.messageDiscarded(this.ref, 'late');
    } else if (doc === undefined) {
      this.#o.telemetry.messageDiscarded(this.ref, 'invalid');
      this.#answer(pending, synthesizedAnswer('DEVICE_RESPONSE_INVALID'));
    } else {
      this.#answer(pending, deviceAnswer(text));
    }
    const succeeded = doc?.fields['TERMINATION_STATUS']?.toUpperCase() === 'SUCCESS';
    this.#release(pending, { by: 'device', succeeded });
  }

  #timedOut(pending: Pending): void {
    this.#answer(pending, synthesizedAnswer('DEVICE_TIMEOUT'));
    // Keep the slot for one more period: a late answer must not be taken for the next request's.
    pending.timer = setTimeout(() => this.#release(pending, { by: 'relay' }), this.#o.requestTimeoutMs);
  }

  #answer(pending: Pending, answer: RelayAnswer): void {
    if (pending.answered) return;
    pending.answered = true;
    pending.resolve(answer);
  }

  #release(pending: Pending, completion: Completion): void {
    clearTimeout(pending.timer);
    if (this.#pending.get(pending.admitted.slot) !== pending) return;
    this.#pending.delete(pending.admitted.slot);
    this.#gate.complete(pending.admitted, completion);
  }

  #onClose(): void {
    this.#closed = true;
    clearInterval(this.#pingTimer);
    const pending = [...this.#pending.values()];
    for (const p of pending) {
      clearTimeout(p.timer);
      this.#answer(p, synthesizedAnswer('DEVICE_OFFLINE'));
    }
    this.#pending.clear();
    this.#gate.close();
    this.#o.onClosed(this, this.#closeReason ?? 'closed', pending.length);
  }
}
