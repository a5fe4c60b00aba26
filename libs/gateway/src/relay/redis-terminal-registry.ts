import type { RedisClient, RedisKeys } from '@pos-link/platform';
import { decodeHolder, encodeHolder, type TerminalEntry, type TerminalHolder, type TerminalRegistry } from './terminal-registry';

/** Takeover: write the new holder with its TTL and return the old one, in one step. KEYS[1] entry; ARGV holder, ttl. */
const CLAIM_SCRIPT = `
local previous = redis.call('GET', KEYS[1])
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return previous`;

/**
 * Extend while still held by this holder; re-create an entry that expired or vanished (it is still ours);
 * leave another holder's entry alone (a takeover elsewhere must win). Returns 1, or 0 when taken over.
 */
const REFRESH_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if current and current ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

/** Delete only while still held by this holder. */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * The Redis device registry. One string per terminal under its site's hash tag (DESIGN §2/§8, Redis
 * Cluster safe: every command touches one key):
 *
 * `<prefix>:{site:<siteId>}:relay:terminal:<pinpadId>` → `"<replicaId> <connId>"`, `PX` = `RELAY_REGISTRY_TTL_MS`.
 */
export class RedisTerminalRegistry implements TerminalRegistry {
  readonly #redis: RedisClient;
  readonly #keys: RedisKeys;
  readonly #ttlMs: number;

  /**
   * @param redis the app's command connection (not closed here)
   * @param keys the app's `RedisKeys` (`REDIS_PREFIX`)
   * @param ttlMs entry lifetime without a refresh
   */
  constructor(redis: RedisClient, keys: RedisKeys, ttlMs: number) {
    if (!Number.isSafeInteger(ttlMs) || ttlMs < 1) throw new TypeError('ttlMs must be a positive integer');
    this.#redis = redis;
    this.#keys = keys;
    this.#ttlMs = ttlMs;
  }

  /** The key of one terminal's entry. */
  keyOf(siteId: string, pinpadId: string): string {
    return this.#keys.site(siteId, 'relay', 'terminal', pinpadId);
  }

  /** @inheritdoc */
  async claim(entry: TerminalEntry): Promise<TerminalHolder | undefined> {
    const previous = await this.#redis.eval(CLAIM_SCRIPT, 1, this.keyOf(entry.siteId, entry.pinpadId), encodeHolder(entry.holder), this.#ttlMs);
    return decodeHolder(previous as string | null);
  }

  /** @inheritdoc */
  async refresh(entries: readonly TerminalEntry[]): Promise<boolean[]> {
    const results = await Promise.all(
      entries.map((entry) =>
        this.#redis.eval(REFRESH_SCRIPT, 1, this.keyOf(entry.siteId, entry.pinpadId), encodeHolder(entry.holder), this.#ttlMs),
      ),
    );
    return results.map((result) => result === 1);
  }

  /** @inheritdoc */
  async release(entry: TerminalEntry): Promise<void> {
    await this.#redis.eval(RELEASE_SCRIPT, 1, this.keyOf(entry.siteId, entry.pinpadId), encodeHolder(entry.holder));
  }

  /** @inheritdoc */
  async lookup(siteId: string, pinpadId: string): Promise<TerminalHolder | undefined> {
    return decodeHolder(await this.#redis.get(this.keyOf(siteId, pinpadId)));
  }
}
