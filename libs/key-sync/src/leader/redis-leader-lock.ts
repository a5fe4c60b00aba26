import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { RedisConnection } from '@pos-link/keyring';
import type { LeaderElection } from './leader-election';

/**
 * Compare-and-extend: only the holder's token may push the expiry out. KEYS[1] lock; ARGV[1] token;
 * ARGV[2] ttl ms. Returns 1 when extended, 0 when the lock is gone or held by another replica.
 */
const EXTEND_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

/** Compare-and-delete: a replica releases only its own lock (never a successor's). */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * The holder renews (and a standby retries) this many times per TTL: one lost renewal (a Redis blip) still
 * leaves a third of the lease, and a dead leader is replaced within TTL + TTL/3.
 */
const ATTEMPTS_PER_TTL = 3;

/**
 * Clock-drift allowance, as in Redlock: the local lease ends 1 % + 2 ms before Redis' expiry, measured from
 * when the command was SENT, so this replica always believes it lost the lock before another can get it.
 */
const DRIFT_FACTOR = 0.01;
const DRIFT_FIXED_MS = 2;

/** Standbys retry with ±10 % jitter so several of them do not hit Redis in step. */
const RETRY_JITTER_FRACTION = 0.1;

/** Options of {@link RedisLeaderLock}. */
export interface RedisLeaderLockOptions {
  /** The command connection (the caller's; never closed here). */
  readonly redis: RedisConnection;
  /** The lock key, `<REDIS_PREFIX>:keysync:leader` (see `keySyncRedisLayout`). */
  readonly key: string;
  /** `KEYSYNC_LOCK_TTL_MS`: how long the lock outlives a leader that stopped renewing it. */
  readonly ttlMs: number;
  /** This replica's token (default: host, pid and 8 random bytes; unique per instance). */
  readonly token?: string;
  /** Receives Redis errors (the lock keeps campaigning). */
  readonly onError?: (error: unknown) => void;
  /** Monotonic time source in ms (default `performance.now`); tests pass a fake. */
  readonly now?: () => number;
  /** Random source for the retry jitter (default `Math.random`). */
  readonly random?: () => number;
}

/**
 * Single-leader election over one Redis key (DESIGN §1/§2: "exactly one refreshes at a time"): acquire with
 * `SET key token NX PX ttl`, renew every TTL/3 with a Lua compare-and-extend, release with a Lua
 * compare-and-delete on close. Standbys try to acquire every TTL/3, so a leader that dies (SIGKILL, network
 * loss) is replaced within about TTL + TTL/3.
 *
 * Fencing: {@link isLeader} is a purely local lease (ends before Redis' expiry, see the drift constants), and
 * {@link confirm} re-checks ownership in Redis before each write. The residual window — a write already past
 * `confirm` when the lease is lost (a process stall longer than the TTL between the check and the write) — is
 * documented in `docs/specs/key-sync.md` §4.
 */
export class RedisLeaderLock implements LeaderElection {
  readonly #redis: RedisConnection;
  readonly #key: string;
  readonly #ttlMs: number;
  readonly #token: string;
  readonly #onError: (error: unknown) => void;
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #listeners = new Set<(leader: boolean) => void>();
  #held = false;
  #leaseUntil = Number.NEGATIVE_INFINITY;
  #tickTimer: NodeJS.Timeout | undefined;
  #expiryTimer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> | undefined;
  #started = false;
  #closed = false;

  /** @param options connection, key, TTL and hooks */
  constructor(options: RedisLeaderLockOptions) {
    if (options.redis === undefined || options.redis === null) throw new TypeError('redis is required');
    if (typeof options.key !== 'string' || options.key === '') throw new TypeError('key must be a non-empty string');
    if (!Number.isInteger(options.ttlMs) || options.ttlMs < 30) throw new TypeError('ttlMs must be an integer >= 30');
    this.#redis = options.redis;
    this.#key = options.key;
    this.#ttlMs = options.ttlMs;
    this.#token = options.token ?? `${hostname()}:${process.pid}:${randomBytes(8).toString('hex')}`;
    this.#onError = options.onError ?? (() => undefined);
    this.#now = options.now ?? (() => performance.now());
    this.#random = options.random ?? Math.random;
  }

  /** This replica's token (what the lock key holds while it leads; shown in logs, not secret). */
  get token(): string {
    return this.#token;
  }

  /** {@inheritDoc LeaderElection.start} */
  async start(): Promise<void> {
    if (this.#started || this.#closed) return;
    this.#started = true;
    await this.#tick();
    this.#scheduleTick();
  }

  /** {@inheritDoc LeaderElection.isLeader} */
  isLeader(): boolean {
    return this.#held && this.#now() < this.#leaseUntil;
  }

  /** {@inheritDoc LeaderElection.confirm} */
  async confirm(): Promise<boolean> {
    if (this.#closed || !this.isLeader()) return false;
    return this.#extend();
  }

  /** {@inheritDoc LeaderElection.onChange} */
  onChange(listener: (leader: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** {@inheritDoc LeaderElection.close} */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#tickTimer);
    clearTimeout(this.#expiryTimer);
    await this.#ticking;
    if (this.#held) {
      try {
        await this.#redis.eval(RELEASE_SCRIPT, 1, this.#key, this.#token);
      } catch (error) {
        this.#onError(error); // the lock then simply expires after its TTL
      }
    }
    this.#setLeader(false);
  }

  #scheduleTick(): void {
    if (this.#closed) return;
    const period = this.#ttlMs / ATTEMPTS_PER_TTL;
    // The holder renews on time; standbys spread their attempts.
    const jitter = this.#held ? 0 : period * RETRY_JITTER_FRACTION * (2 * this.#random() - 1);
    this.#tickTimer = setTimeout(() => {
      void this.#tick().finally(() => this.#scheduleTick());
    }, Math.max(1, Math.round(period + jitter)));
    this.#tickTimer.unref();
  }

  #tick(): Promise<void> {
    this.#ticking ??= (async () => {
      try {
        if (this.#closed) return;
        if (this.#held) await this.#extend();
        else await this.#acquire();
      } finally {
        this.#ticking = undefined;
      }
    })();
    return this.#ticking;
  }

  async #acquire(): Promise<void> {
    const sentAt = this.#now();
    try {
      const reply = await this.#redis.set(this.#key, this.#token, 'PX', this.#ttlMs, 'NX');
      if (reply === 'OK' && !this.#closed) {
        this.#renewLease(sentAt);
        this.#setLeader(true);
      }
    } catch (error) {
      this.#onError(error);
    }
  }

  async #extend(): Promise<boolean> {
    const sentAt = this.#now();
    try {
      const extended = await this.#redis.eval(EXTEND_SCRIPT, 1, this.#key, this.#token, this.#ttlMs);
      if (extended === 1 && this.#held) {
        this.#renewLease(sentAt);
        return true;
      }
      this.#setLeader(false); // gone, or another replica holds it
      return false;
    } catch (error) {
      // Unknown: keep the lease we have (it runs out on its own), but do not let the caller write on it.
      this.#onError(error);
      if (!this.isLeader()) this.#setLeader(false);
      return false;
    }
  }

  #renewLease(sentAt: number): void {
    this.#leaseUntil = sentAt + this.#ttlMs - (this.#ttlMs * DRIFT_FACTOR + DRIFT_FIXED_MS);
    clearTimeout(this.#expiryTimer);
    // Step down the moment the lease runs out, even if no renewal answered (Redis unreachable).
    this.#expiryTimer = setTimeout(() => {
      if (this.#held && !this.isLeader()) this.#setLeader(false);
    }, Math.max(1, Math.ceil(this.#leaseUntil - this.#now())));
    this.#expiryTimer.unref();
  }

  #setLeader(leader: boolean): void {
    if (this.#held === leader) return;
    this.#held = leader;
    if (!leader) {
      this.#leaseUntil = Number.NEGATIVE_INFINITY;
      clearTimeout(this.#expiryTimer);
    }
    for (const listener of [...this.#listeners]) {
      try {
        listener(leader);
      } catch (error) {
        this.#onError(error);
      }
    }
  }
}
