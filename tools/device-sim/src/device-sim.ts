/**
 * The payment-terminal simulator (DESIGN §5, seed 002): dials out to the gateway as a WebSocket client
 * with `Sec-WebSocket-Protocol: sci` and `x-vfi-pinpad-id`, optionally over mutual TLS; keeps retrying until
 * connected and reconnects on loss (exponential backoff with jitter); shows its status; answers SCI XML.
 * Fault controls for relay tests: stop answering (pings and requests: a dead peer), drop the connection
 * now or in the middle of the next request.
 */
import { EventEmitter } from 'node:events';
import WebSocket, { type ClientOptions, type RawData } from 'ws';
import { backoffDelay } from './backoff';
import type { DeviceRetry, DeviceStatus } from './device-status';
import { PINPAD_ID_HEADER, SCI_SUBPROTOCOL, delayFor, resolveDelays, resolveDeviceSimOptions, type DeviceSimOptions, type ResolvedDeviceSimOptions } from './options';
import { SciResponder } from './sci-responder';

/** Default bound of {@link DeviceSim.waitForStatus}. */
export const DEFAULT_WAIT_MS = 5000;

/** One request the terminal received. */
export interface HandledRequest {
  /** The request text as received. */
  readonly request: string;
  /** `FUNCTION_TYPE/COMMAND`, or undefined when the request had none. */
  readonly command: string | undefined;
  /** The answer, or null when none was sent (not answering, dropped mid-request, connection gone). */
  readonly response: string | null;
  /** When it arrived, ISO-8601 UTC. */
  readonly time: string;
}

/** Events of a {@link DeviceSim}. */
export type DeviceSimEvents = {
  /** The status changed. */
  status: [status: DeviceStatus];
  /** An attempt failed or the connection was lost; the next attempt is scheduled. */
  retry: [retry: DeviceRetry];
  /** A request arrived (its `response` is what will be sent, after any delay). */
  request: [handled: HandledRequest];
};

/** With ws's default `binaryType` ('nodebuffer') every message arrives as one Buffer. */
function toText(data: RawData): string {
  return (data as Buffer).toString('utf8');
}

/** A simulated terminal. Build it with {@link startDeviceSim}. */
export class DeviceSim {
  readonly #o: ResolvedDeviceSimOptions;
  readonly #events = new EventEmitter<DeviceSimEvents>();
  readonly #responder = new SciResponder();
  readonly #pending = new Set<NodeJS.Timeout>();
  #delays: Map<string, number>;
  #handled: HandledRequest[] = [];
  #status: DeviceStatus = 'connecting';
  #socket: WebSocket | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #failures = 0;
  #everConnected = false;
  #answering = true;
  #dropOnNextRequest = false;
  #lastReason: string | undefined;

  /** @internal use {@link startDeviceSim} */
  constructor(options: ResolvedDeviceSimOptions) {
    this.#o = options;
    this.#delays = options.delays;
  }

  /** The connection status. */
  get status(): DeviceStatus {
    return this.#status;
  }

  /** The pinpad id. */
  get pinpadId(): string {
    return this.#o.pinpadId;
  }

  /** The last `COUNTER` seen in a request, if any. */
  get lastCounter(): string | undefined {
    return this.#responder.lastCounter;
  }

  #setStatus(status: DeviceStatus): void {
    if (status === this.#status) return;
    this.#status = status;
    this.#events.emit('status', status);
  }

  /** @internal starts the first attempt */
  start(): void {
    this.#connect();
  }

  #connect(): void {
    this.#retryTimer = undefined;
    const { url, tls, pinpadId, handshakeTimeoutMs, headers } = this.#o;
    // `servername` is passed through to tls.connect by ws at runtime; its type declarations omit it.
    const options: ClientOptions & { servername?: string } = {
      headers: { ...headers, [PINPAD_ID_HEADER]: pinpadId },
      handshakeTimeout: handshakeTimeoutMs === 0 ? undefined : handshakeTimeoutMs,
      autoPong: false, // pongs are sent by hand so the dead-peer mode can withhold them
      perMessageDeflate: false,
      ca: tls.ca as ClientOptions['ca'],
      cert: tls.cert,
      key: tls.key,
      passphrase: tls.passphrase,
      rejectUnauthorized: tls.rejectUnauthorized ?? true,
      servername: tls.servername,
    };
    const socket = new WebSocket(url, SCI_SUBPROTOCOL, options);
    this.#socket = socket;
    socket.on('open', () => {
      this.#failures = 0;
      this.#everConnected = true;
      this.#lastReason = undefined;
      this.#setStatus('connected');
    });
    socket.on('message', (data, isBinary) => this.#onMessage(socket, data, isBinary));
    socket.on('ping', (data) => {
      if (this.#answering && socket.readyState === WebSocket.OPEN) socket.pong(data);
    });
    socket.on('error', (error) => {
      this.#lastReason = error.message; // e.g. "connect ECONNREFUSED …", "Unexpected server response: 403"
    });
    socket.on('close', (code) => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      if (this.#status === 'connected') this.#lastReason ??= `connection closed (${code})`;
      this.#scheduleRetry();
    });
  }

  #scheduleRetry(): void {
    if (this.#status === 'closed') return;
    this.#failures += 1;
    // Seed 002: after a loss the terminal shows it is re-connecting; before the first success it is connecting.
    const attempt = this.#everConnected ? this.#failures : this.#failures + 1;
    const delayMs = backoffDelay(this.#failures, this.#o.backoff, this.#o.random);
    this.#setStatus(this.#everConnected ? `reconnecting (attempt ${attempt})` : 'connecting');
    this.#events.emit('retry', { attempt, delayMs, reason: this.#lastReason });
    this.#lastReason = undefined;
    this.#retryTimer = setTimeout(() => this.#connect(), delayMs);
  }

  #onMessage(socket: WebSocket, data: RawData, isBinary: boolean): void {
    const request = toText(data);
    const time = new Date(this.#o.now()).toISOString();
    if (!this.#answering || isBinary || this.#dropOnNextRequest) {
      const dropping = this.#dropOnNextRequest && this.#answering;
      this.#record({ request, command: undefined, response: null, time });
      if (dropping) {
        this.#dropOnNextRequest = false;
        socket.terminate(); // mid-request: the request arrived, no answer ever will
      }
      return;
    }
    const { response, command } = this.#responder.respond(request, { now: new Date(this.#o.now()), busy: this.#pending.size > 0 });
    this.#record({ request, command, response, time });
    const send = (): void => {
      if (socket.readyState === WebSocket.OPEN && this.#answering) socket.send(response);
    };
    const delay = delayFor(this.#delays, command);
    if (delay === 0) return send();
    const timer = setTimeout(() => {
      this.#pending.delete(timer);
      send();
    }, delay);
    this.#pending.add(timer);
  }

  #record(handled: HandledRequest): void {
    if (this.#o.maxHandled === 0) return;
    this.#handled.push(handled);
    if (this.#handled.length > this.#o.maxHandled) this.#handled.shift();
    this.#events.emit('request', handled);
  }

  /** The requests received, oldest first (bounded by `maxHandled`). */
  handled(): HandledRequest[] {
    return [...this.#handled];
  }

  /** Drops the connection now, without a close frame (it then reconnects after the backoff). */
  drop(): void {
    this.#socket?.terminate();
  }

  /** Drops the connection when the next request arrives, without answering it. */
  dropOnNextRequest(): void {
    this.#dropOnNextRequest = true;
  }

  /** Stops answering pings and requests while staying connected: a dead peer for eviction tests. */
  stopAnswering(): void {
    this.#answering = false;
  }

  /** Answers pings and requests again. */
  resumeAnswering(): void {
    this.#answering = true;
  }

  /**
   * Replaces the answer delays (`FUNCTION_TYPE/COMMAND`, `FUNCTION_TYPE` or `*` → ms).
   * @throws TypeError for a negative or non-integer delay
   */
  setDelays(delays: Readonly<Record<string, number>>): void {
    this.#delays = resolveDelays(delays);
  }

  /** Adds a listener. */
  on<K extends keyof DeviceSimEvents>(event: K, listener: (...args: DeviceSimEvents[K]) => void): this {
    this.#events.on(event, listener as never);
    return this;
  }

  /** Adds a one-time listener. */
  once<K extends keyof DeviceSimEvents>(event: K, listener: (...args: DeviceSimEvents[K]) => void): this {
    this.#events.once(event, listener as never);
    return this;
  }

  /** Removes a listener. */
  off<K extends keyof DeviceSimEvents>(event: K, listener: (...args: DeviceSimEvents[K]) => void): this {
    this.#events.off(event, listener as never);
    return this;
  }

  /** Alias of {@link off} (for `events.once`). */
  removeListener<K extends keyof DeviceSimEvents>(event: K, listener: (...args: DeviceSimEvents[K]) => void): this {
    return this.off(event, listener);
  }

  /**
   * Resolves once the status matches (at once if it already does) — the readiness signal tests wait on.
   * @param wanted a status, or a predicate on it
   * @throws Error (rejects) after `timeoutMs`
   */
  waitForStatus(wanted: DeviceStatus | ((status: DeviceStatus) => boolean), timeoutMs: number = DEFAULT_WAIT_MS): Promise<DeviceStatus> {
    const matches = typeof wanted === 'function' ? wanted : (s: DeviceStatus) => s === wanted;
    if (matches(this.#status)) return Promise.resolve(this.#status);
    return new Promise((resolve, reject) => {
      const listener = (status: DeviceStatus): void => {
        if (!matches(status)) return;
        clearTimeout(timer);
        this.#events.off('status', listener);
        resolve(status);
      };
      const timer = setTimeout(() => {
        this.#events.off('status', listener);
        reject(new Error(`device-sim ${this.#o.pinpadId}: status still "${this.#status}" after ${timeoutMs} ms`));
      }, timeoutMs);
      this.#events.on('status', listener);
    });
  }

  /** Stops retrying, cancels pending answers and closes the connection. */
  async close(): Promise<void> {
    this.#setStatus('closed');
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    for (const timer of this.#pending) clearTimeout(timer);
    this.#pending.clear();
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket === undefined || socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      if (socket.readyState === WebSocket.OPEN) socket.close(1001, 'terminal shutting down');
      else socket.terminate();
    });
  }
}

/**
 * Starts a simulated terminal: it begins connecting at once and keeps trying until {@link DeviceSim.close}.
 * @throws TypeError for bad options
 */
export function startDeviceSim(options: DeviceSimOptions): DeviceSim {
  const sim = new DeviceSim(resolveDeviceSimOptions(options));
  sim.start();
  return sim;
}
