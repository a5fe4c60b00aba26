import WebSocket, { type RawData } from 'ws';
import {
  ALE_WS_CLOSE_TIMEOUT_MS,
  KITCHEN_BRIDGE_BACKOFF_BASE_MS,
  KITCHEN_BRIDGE_BACKOFF_MAX_MS,
  KITCHEN_BRIDGE_PENDING_MAX,
} from '../ws-limits';
import { coalesceWrites } from '../write-coalescing';

/**
 * Largest kitchen message taken from the upstream (16 MiB): the kitchen is trusted, this only stops a
 * runaway peer from exhausting memory (ws' own default is 100 MiB).
 */
export const KITCHEN_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** What a bridge reports (the site hub turns it into metrics and log lines). */
export interface KitchenBridgeListener {
  /** A message from the kitchen (its bytes; a text frame is UTF-8). */
  message(data: Buffer): void;
  /** Connected (again). */
  open?(): void;
  /** The connection failed or dropped; a reconnect follows after `retryInMs`. */
  down?(error: unknown, retryInMs: number): void;
  /** A POS message was dropped: the bridge was down and its pending queue full. */
  dropped?(): void;
}

/** Options of {@link KitchenBridge}. */
export interface KitchenBridgeOptions {
  /** `UPSTREAM_WS_URL` with `{site}` already replaced. */
  readonly url: string;
  /** The site (sent as `x-site-id`, like forwarded HTTP requests, DESIGN §3). */
  readonly siteId: string;
  /** WebSocket ping period towards the kitchen (dead upstream detection), ms; 0 = none. */
  readonly pingMs: number;
  /** Messages held while disconnected (default {@link KITCHEN_BRIDGE_PENDING_MAX}). */
  readonly pendingMax?: number;
  /** Receives messages and state changes. */
  readonly listener: KitchenBridgeListener;
}

/**
 * One site's plaintext WebSocket to the kitchen (DESIGN §4 "Kitchen → POS: events from the upstream EK
 * WebSocket"): connects at once, reconnects for ever with capped, jittered exponential back-off when the
 * connection fails or drops, pings to notice a dead upstream. POS messages sent while it is down wait in
 * a bounded queue (oldest dropped beyond it) and go out in order once it is back.
 */
export class KitchenBridge {
  readonly #options: KitchenBridgeOptions;
  readonly #pendingMax: number;
  #socket: WebSocket | undefined;
  #pending: Array<string | Buffer> = [];
  #attempt = 0;
  #retryTimer: NodeJS.Timeout | undefined;
  #pingTimer: NodeJS.Timeout | undefined;
  #awaitingPong = false;
  #stopped = false;

  /** @throws TypeError on a malformed URL or limit */
  constructor(options: KitchenBridgeOptions) {
    const url = new URL(options.url);
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new TypeError('KitchenBridge: url must be ws:// or wss://');
    this.#options = options;
    this.#pendingMax = options.pendingMax ?? KITCHEN_BRIDGE_PENDING_MAX;
    if (!Number.isSafeInteger(this.#pendingMax) || this.#pendingMax < 0) throw new TypeError('pendingMax must be an integer >= 0');
  }

  /** Whether the upstream connection is open now. */
  get isOpen(): boolean {
    return this.#socket?.readyState === WebSocket.OPEN;
  }

  /** Connects (once). */
  start(): void {
    if (this.#socket === undefined && this.#retryTimer === undefined && !this.#stopped) this.#connect();
  }

  /** Sends a POS message as a text frame (bytes must be UTF-8), or queues it while the connection is down. */
  send(text: string | Buffer): void {
    if (this.#stopped) return;
    const socket = this.#socket;
    if (socket !== undefined && socket.readyState === WebSocket.OPEN) {
      coalesceWrites(socket);
      socket.send(text, { binary: false });
      return;
    }
    if (this.#pendingMax === 0) {
      this.#options.listener.dropped?.();
      return;
    }
    if (this.#pending.length >= this.#pendingMax) {
      this.#pending.shift();
      this.#options.listener.dropped?.();
    }
    this.#pending.push(text);
  }

  /** Closes the connection (1001) and stops reconnecting. Idempotent. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#pending = [];
    clearTimeout(this.#retryTimer);
    clearInterval(this.#pingTimer);
    const socket = this.#socket;
    if (socket === undefined || socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => socket.terminate(), ALE_WS_CLOSE_TIMEOUT_MS);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
      else socket.close(1001, 'Going away');
    });
  }

  #connect(): void {
    const socket = new WebSocket(this.#options.url, {
      headers: { 'x-site-id': this.#options.siteId },
      perMessageDeflate: false,
      maxPayload: KITCHEN_MAX_MESSAGE_BYTES,
      handshakeTimeout: ALE_WS_CLOSE_TIMEOUT_MS,
    });
    this.#socket = socket;
    let failure: unknown;
    socket.on('open', () => {
      this.#attempt = 0;
      this.#startPing(socket);
      this.#options.listener.open?.();
      const pending = this.#pending;
      this.#pending = [];
      for (const text of pending) socket.send(text, { binary: false });
    });
    socket.on('message', (data: RawData) => {
      // The kitchen speaks text (DESIGN §4); with ws' default binaryType a message is one Buffer.
      this.#options.listener.message(data as Buffer);
    });
    socket.on('pong', () => {
      this.#awaitingPong = false;
    });
    socket.on('error', (error) => {
      failure = error;
    });
    socket.on('close', (code) => {
      clearInterval(this.#pingTimer);
      if (this.#socket === socket) this.#socket = undefined;
      if (this.#stopped) return;
      const retryInMs = backoff(this.#attempt++);
      this.#options.listener.down?.(failure ?? new Error(`kitchen closed the connection (${code})`), retryInMs);
      this.#retryTimer = setTimeout(() => {
        this.#retryTimer = undefined;
        if (!this.#stopped) this.#connect();
      }, retryInMs);
      this.#retryTimer.unref();
    });
  }

  #startPing(socket: WebSocket): void {
    if (this.#options.pingMs <= 0) return;
    this.#awaitingPong = false;
    this.#pingTimer = setInterval(() => {
      if (this.#awaitingPong) {
        socket.terminate(); // no pong for a whole period: the upstream is dead (close → reconnect)
        return;
      }
      this.#awaitingPong = true;
      socket.ping();
    }, this.#options.pingMs);
    this.#pingTimer.unref();
  }
}

/** Capped exponential back-off with ±50 % jitter, so replicas do not reconnect in step. */
function backoff(attempt: number): number {
  const ceiling = Math.min(KITCHEN_BRIDGE_BACKOFF_MAX_MS, KITCHEN_BRIDGE_BACKOFF_BASE_MS * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling * (0.5 + Math.random() / 2));
}
