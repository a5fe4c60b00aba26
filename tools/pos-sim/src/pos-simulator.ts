import type { OaepHash, PesCipherName } from '@pos-link/crypto';
import { IntegratorValidator, type IntegratorCredentials } from './integrator-validator';
import type { PosAnswer } from './pos-client';
import { PosStats, type PosStatsSnapshot } from './pos-stats';
import { PosTerminal } from './pos-terminal';
import { freshKeyPairs, RsaKeyPool, type PosKeySource } from './rsa-keys';

/** Options of {@link PosSimulator}. */
export interface PosSimulatorOptions {
  /** The ingress's `PES_PORT`. */
  readonly port: number;
  /** Default `127.0.0.1`. */
  readonly host?: string;
  /** Concurrent connections (terminals). Default 1. */
  readonly connections?: number;
  /** Scenario events per connection (`Infinity` = until stopped). Default 100. */
  readonly eventsPerConnection?: number;
  /** Events per second per connection; 0 (default) = as fast as the window allows. */
  readonly rate?: number;
  /** Unanswered events per connection. Default 64. */
  readonly window?: number;
  /** Default 1000 ms. */
  readonly reconnectIntervalMs?: number;
  /**
   * Key pairs: `fresh` (default; a new RSA-2048 pair per connection, as a real POS), a pool size for
   * load mode (pairs made once, reused round-robin), or any {@link PosKeySource}.
   */
  readonly keys?: 'fresh' | { readonly poolSize: number } | PosKeySource;
  /** The integrator credentials this POS accepts, or a ready validator (shared offline cache). */
  readonly integrator: IntegratorCredentials | IntegratorValidator;
  readonly cipher?: PesCipherName;
  readonly oaepHash?: OaepHash | 'auto';
  /** Called for every answer. */
  readonly onAnswer?: (terminal: string, answer: PosAnswer) => void;
}

/**
 * N simulated POS terminals against one ingress (DESIGN §6 `tools/pos-sim`): each connects, handshakes
 * with its own key pair, streams its order scenario at the set rate, reconnects and resends on loss.
 */
export class PosSimulator {
  readonly #options: PosSimulatorOptions;
  readonly #stats = new PosStats();
  readonly #validator: IntegratorValidator;
  #terminals: PosTerminal[] = [];

  constructor(options: PosSimulatorOptions) {
    const connections = options.connections ?? 1;
    if (!Number.isSafeInteger(connections) || connections < 1) throw new TypeError('connections must be a positive integer');
    this.#options = options;
    this.#validator =
      options.integrator instanceof IntegratorValidator ? options.integrator : new IntegratorValidator({ expected: options.integrator });
  }

  /** The shared integrator validator (switch it offline with `setOnline(false)`). */
  get validator(): IntegratorValidator {
    return this.#validator;
  }

  /** The terminals (after {@link start}). */
  get terminals(): readonly PosTerminal[] {
    return this.#terminals;
  }

  /** Current statistics. */
  stats(): PosStatsSnapshot {
    return this.#stats.snapshot();
  }

  /** Starts every terminal (building the key pool first in load mode). Idempotent. */
  async start(): Promise<void> {
    if (this.#terminals.length > 0) return;
    const keys = await this.#keySource();
    const count = this.#options.connections ?? 1;
    this.#terminals = Array.from(
      { length: count },
      (_, index) =>
        new PosTerminal({
          id: `T${index + 1}`,
          port: this.#options.port,
          host: this.#options.host,
          keys,
          validator: this.#validator,
          stats: this.#stats,
          events: this.#options.eventsPerConnection ?? 100,
          rate: this.#options.rate,
          window: this.#options.window,
          reconnectIntervalMs: this.#options.reconnectIntervalMs,
          cipher: this.#options.cipher,
          oaepHash: this.#options.oaepHash,
          onAnswer: this.#options.onAnswer === undefined ? undefined : (answer) => this.#options.onAnswer?.(`T${index + 1}`, answer),
        }),
    );
    for (const terminal of this.#terminals) terminal.start();
  }

  /** Resolves when every terminal has every event answered for good. */
  async done(): Promise<PosStatsSnapshot> {
    await Promise.all(this.#terminals.map((terminal) => terminal.done));
    return this.stats();
  }

  /** {@link start}, then {@link done}, then {@link stop}. */
  async run(): Promise<PosStatsSnapshot> {
    await this.start();
    try {
      return await this.done();
    } finally {
      await this.stop();
    }
  }

  /** Stops every terminal (no reconnects; open connections dropped). */
  async stop(): Promise<void> {
    await Promise.all(this.#terminals.map((terminal) => terminal.stop()));
  }

  async #keySource(): Promise<PosKeySource> {
    const keys = this.#options.keys ?? 'fresh';
    if (keys === 'fresh') return freshKeyPairs;
    if (typeof keys === 'function') return keys;
    return (await RsaKeyPool.create(keys.poolSize)).source();
  }
}
