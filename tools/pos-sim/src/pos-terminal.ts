import { setTimeout as delay } from 'node:timers/promises';
import type { OaepHash, PesCipherName } from '@pos-link/crypto';
import type { IntegratorValidator } from './integrator-validator';
import { PosClient, type PosAnswer } from './pos-client';
import type { PosStats } from './pos-stats';
import type { PosKeySource } from './rsa-keys';
import { orderScenario, type PosEvent } from './scenario';

/**
 * Events sent but not answered, per connection. Matches the ingress's in-flight window (DESIGN §6: 64),
 * so a healthy ingress never has to pause this POS.
 */
export const POS_WINDOW_DEFAULT = 64;

/** Seed 003: the POS reconnects "at an interval" when its connection is not established. */
export const POS_RECONNECT_INTERVAL_MS_DEFAULT = 1000;

/** The nack code that means "store unavailable, resend later" (DESIGN §6). */
const NACK_RESEND_LATER = 5;

/** Options of {@link PosTerminal}. */
export interface PosTerminalOptions {
  /** Label of this terminal (order ids, logs). */
  readonly id: string;
  readonly port: number;
  readonly host?: string;
  /** Where each connection's RSA pair comes from. */
  readonly keys: PosKeySource;
  readonly validator: IntegratorValidator;
  readonly stats: PosStats;
  /** Events to send in total (`Infinity` = until stopped). */
  readonly events: number;
  /** Default: {@link orderScenario} of `id`. */
  readonly scenario?: Iterator<PosEvent>;
  /** Events per second on this connection; 0 (default) = as fast as the window allows. */
  readonly rate?: number;
  /** Default {@link POS_WINDOW_DEFAULT}. */
  readonly window?: number;
  /** Default {@link POS_RECONNECT_INTERVAL_MS_DEFAULT}. */
  readonly reconnectIntervalMs?: number;
  readonly cipher?: PesCipherName;
  readonly oaepHash?: OaepHash | 'auto';
  /** Called for every answer (tests, the CLI's verbose mode). */
  readonly onAnswer?: (answer: PosAnswer) => void;
}

interface OutboxEntry {
  readonly event: PosEvent;
  sends: number;
}

/**
 * One simulated POS terminal (seed 003): connects, handshakes, streams its scenario within a window,
 * and on any loss — a dropped connection, a nack 5 — reconnects at its interval and resends every
 * unacked event in the original order (same `msg_id`, same plaintext, fresh encryption). Other nacks
 * are final (counted, not resent).
 */
export class PosTerminal {
  readonly #options: PosTerminalOptions;
  readonly #scenario: Iterator<PosEvent>;
  /** Unanswered events in send order (Map keeps insertion order). */
  readonly #outbox = new Map<string, OutboxEntry>();
  readonly #sent: PosEvent[] = [];
  readonly #rejected = new Map<string, number | undefined>();
  #generated = 0;
  #stopped = false;
  #client: PosClient | undefined;
  #queue: OutboxEntry[] = [];
  #inFlight = new Map<string, number>();
  #nextSlotAt = 0;
  #pumpTimer: NodeJS.Timeout | undefined;
  #draining = false;
  #finished: () => void = () => undefined;
  readonly #done: Promise<void>;
  #running: Promise<void> | undefined;

  constructor(options: PosTerminalOptions) {
    if (!(options.events >= 0)) throw new TypeError('events must be >= 0');
    this.#options = options;
    this.#scenario = options.scenario ?? orderScenario(options.id);
    this.#done = new Promise((resolve) => (this.#finished = resolve));
  }

  /** Every event generated so far, in scenario order (= the order the ingress should store them). */
  get events(): readonly PosEvent[] {
    return this.#sent;
  }

  /** Events finally refused (nack other than 5), `msg_id` → code. */
  get rejected(): ReadonlyMap<string, number | undefined> {
    return this.#rejected;
  }

  /** Events not answered yet. */
  get unanswered(): number {
    return this.#outbox.size;
  }

  /** Resolves when every event is answered for good (acked or refused). */
  get done(): Promise<void> {
    return this.#done;
  }

  /** Starts connecting (idempotent). */
  start(): void {
    this.#running ??= this.#loop();
  }

  /** Stops: no reconnect; the current connection is dropped. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#pumpTimer !== undefined) clearTimeout(this.#pumpTimer);
    this.#client?.destroy();
    await this.#running;
  }

  async #loop(): Promise<void> {
    while (!this.#stopped && !this.#isComplete()) {
      await this.#runConnection();
      if (this.#stopped || this.#isComplete()) break;
      await delay(this.#options.reconnectIntervalMs ?? POS_RECONNECT_INTERVAL_MS_DEFAULT);
    }
    if (this.#isComplete()) this.#finished();
  }

  async #runConnection(): Promise<void> {
    const { stats } = this.#options;
    let client: PosClient;
    try {
      client = await PosClient.connect({
        port: this.#options.port,
        host: this.#options.host,
        keyPair: await this.#options.keys(),
        validator: this.#options.validator,
        cipher: this.#options.cipher,
        oaepHash: this.#options.oaepHash,
        source: this.#options.id,
      });
    } catch {
      stats.handshakeFailed('connect');
      return;
    }
    const result = await client.handshake();
    if (!result.ok) {
      stats.handshakeFailed(result.reason);
      client.destroy();
      await client.closed;
      return;
    }
    stats.handshakes += 1;
    this.#client = client;
    this.#draining = false;
    this.#inFlight = new Map();
    this.#queue = [...this.#outbox.values()]; // resend every unanswered event, in order
    client.onAnswer((answer) => this.#onAnswer(answer));
    this.#pump();
    await client.closed;
    if (this.#pumpTimer !== undefined) clearTimeout(this.#pumpTimer);
    this.#client = undefined;
  }

  #pump(): void {
    this.#pumpTimer = undefined;
    const client = this.#client;
    const window = this.#options.window ?? POS_WINDOW_DEFAULT;
    const rate = this.#options.rate ?? 0;
    while (client !== undefined && !client.isClosed && !this.#draining && this.#inFlight.size < window) {
      if (rate > 0) {
        const now = Date.now();
        if (now < this.#nextSlotAt) {
          this.#pumpTimer = setTimeout(() => this.#pump(), this.#nextSlotAt - now);
          return;
        }
        this.#nextSlotAt = Math.max(this.#nextSlotAt, now - 1000) + 1000 / rate;
      }
      const entry = this.#queue.shift() ?? this.#generate();
      if (entry === undefined) return;
      if (entry.sends > 0) this.#options.stats.resent += 1;
      entry.sends += 1;
      this.#options.stats.sent += 1;
      this.#inFlight.set(entry.event.msgId, performance.now());
      client.sendEvent(entry.event);
    }
  }

  #generate(): OutboxEntry | undefined {
    if (this.#generated >= this.#options.events) return undefined;
    const next = this.#scenario.next();
    if (next.done === true) return undefined;
    this.#generated += 1;
    const entry: OutboxEntry = { event: next.value, sends: 0 };
    this.#sent.push(next.value);
    this.#outbox.set(next.value.msgId, entry);
    return entry;
  }

  #onAnswer(answer: PosAnswer): void {
    const sentAt = this.#inFlight.get(answer.msgId);
    if (sentAt === undefined) return; // not an answer to an event of this connection
    this.#inFlight.delete(answer.msgId);
    const { stats } = this.#options;
    this.#options.onAnswer?.(answer);
    if (answer.resp === 'ack') {
      stats.acked += 1;
      stats.latency(performance.now() - sentAt);
      this.#outbox.delete(answer.msgId);
    } else {
      stats.nack(answer.code);
      if (answer.code === NACK_RESEND_LATER) {
        // Store down: stop sending; the reconnect resends everything unacked, in order.
        this.#draining = true;
        this.#client?.end();
        return;
      }
      this.#outbox.delete(answer.msgId);
      this.#rejected.set(answer.msgId, answer.code);
    }
    if (this.#isComplete()) {
      this.#client?.end();
      this.#finished();
      return;
    }
    this.#pump();
  }

  #isComplete(): boolean {
    return this.#generated >= this.#options.events && this.#outbox.size === 0;
  }
}
