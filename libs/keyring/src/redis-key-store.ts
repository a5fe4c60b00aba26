import { unwrapSecret, wrapSecret } from '@pos-link/crypto';
import { KeyringError } from './errors';
import type { KeyStore, ReplaceSiteResult, Unsubscribe } from './key-store';
import { RedisChannels, type RedisConnection } from './redis-channels';
import { keyringRedisLayout, type KeyringRedisLayout } from './redis-layout';
import { decodeRecord, encodeRecord, RECORD_VERSION, type StoredKey } from './redis-record';
import { planReplacement } from './retention';
import { assertSiteId, assertSiteKeys, isValidFingerprint, isValidSiteId, type SiteKeys } from './site-key';
import { DEFAULT_GRACE_MS } from './validity';

/**
 * Compare-and-set of one site record, with its change notification in the same atomic step. Optimistic
 * concurrency WITHOUT `WATCH`: WATCH is connection state, and the caller's connection is shared. Every record
 * holds freshly wrapped values (random IVs), so a text never recurs and comparing texts is ABA-safe.
 * KEYS[1] record; ARGV[1] expected text ('' = absent); ARGV[2] new text ('' = delete); ARGV[3] channel;
 * ARGV[4] message. Returns 1 when written, 0 when the record changed meanwhile.
 */
const CAS_RECORD_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if (current or '') ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2]) end
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1`;

/** Claims a fingerprint for a site unless another site owns it; returns the owner and whether it was new. */
const CLAIM_FINGERPRINT_SCRIPT = `
local owner = redis.call('GET', KEYS[1])
if owner then return {owner, 0} end
redis.call('SET', KEYS[1], ARGV[1])
return {ARGV[1], 1}`;

/** Deletes a fingerprint claim only if the given site still owns it. */
const RELEASE_FINGERPRINT_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** A concurrent writer (a second key-sync during a lock hand-over) can make a CAS fail; retry this often. */
const MAX_WRITE_ATTEMPTS = 5;

/** Options of {@link RedisKeyStore}. */
export interface RedisKeyStoreOptions {
  /** The command connection; the caller owns it (it is never closed here). */
  readonly redis: RedisConnection;
  /** Prefix of every key and channel (`REDIS_PREFIX`, default `poslink`). */
  readonly prefix: string;
  /** `deriveWrapKey(KEY_WRAP_SECRET)`: key values are wrapped at rest (DESIGN §2). */
  readonly wrapKey: Buffer;
  /** How long an unlisted key outlives its `validUntil` before it is dropped (`KEY_GRACE_MS`, default 60 s). */
  readonly graceMs?: number;
  /** The time source; tests pass a fake. */
  readonly clock?: () => number;
  /** A dedicated pub/sub connection; by default `redis.duplicate()` is made on first subscribe and owned. */
  readonly subscriber?: RedisConnection;
  /** Receives subscriber connection errors, subscriber callback exceptions and failed claim releases. */
  readonly onError?: (error: unknown) => void;
}

/**
 * The Redis {@link KeyStore} (layout in the README and `keyringRedisLayout`). Each site is one JSON record
 * under its `{site:<id>}` hash tag, replaced by a compare-and-set Lua script that also publishes the change;
 * fingerprints are claimed one key at a time before the write (so the layout works on Redis Cluster) and
 * released after the write that dropped them. A process crash between claim and write can leave a claim
 * behind; it only ever refuses that (random, never reused) fingerprint to other sites.
 */
export class RedisKeyStore implements KeyStore {
  readonly #redis: RedisConnection;
  readonly #layout: KeyringRedisLayout;
  readonly #wrapKey: Buffer;
  readonly #graceMs: number;
  readonly #clock: () => number;
  readonly #channels: RedisChannels;
  readonly #onError: (error: unknown) => void;

  /** @param options connection, prefix, wrap key and tuning */
  constructor(options: RedisKeyStoreOptions) {
    if (options.redis === undefined || options.redis === null) throw new TypeError('redis is required');
    if (!Buffer.isBuffer(options.wrapKey) || options.wrapKey.length !== 32) {
      throw new TypeError('wrapKey must be the 32-byte Buffer from deriveWrapKey');
    }
    this.#redis = options.redis;
    this.#layout = keyringRedisLayout(options.prefix);
    this.#wrapKey = options.wrapKey;
    this.#graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
    if (!Number.isFinite(this.#graceMs) || this.#graceMs < 0) throw new TypeError('graceMs must be >= 0');
    this.#clock = options.clock ?? Date.now;
    this.#onError = options.onError ?? (() => undefined);
    this.#channels = new RedisChannels(options.redis, options.subscriber, this.#onError);
  }

  /** {@inheritDoc KeyStore.replaceSite} */
  async replaceSite(siteKeys: SiteKeys): Promise<ReplaceSiteResult> {
    assertSiteKeys(siteKeys);
    const { siteId } = siteKeys;
    const listed: StoredKey[] = siteKeys.keys.map((key) => ({
      fingerprint: key.fingerprint,
      validAfter: key.validAfter,
      validUntil: key.validUntil,
      wrappedValue: wrapSecret(this.#wrapKey, key.value, wrapContext(siteId, key.fingerprint)),
    }));
    const claimed = await this.#claim(siteId, listed.map((key) => key.fingerprint));
    let result: ReplaceSiteResult;
    try {
      await this.#redis.sadd(this.#layout.sites, siteId);
      result = await this.#write(siteKeys, listed);
    } catch (error) {
      await this.#release(siteId, claimed).catch(() => undefined); // best effort; the write error matters
      throw error;
    }
    // The write succeeded: a failed release only leaves a claim behind, reported but not thrown.
    await this.#release(siteId, result.dropped).catch(this.#onError);
    return result;
  }

  /** {@inheritDoc KeyStore.getSite} */
  async getSite(siteId: string): Promise<SiteKeys | undefined> {
    const text = await this.#redis.get(this.#layout.site(siteId));
    if (text === null) return undefined;
    const record = decodeRecord(text, siteId);
    return {
      siteId,
      encryption: record.encryption,
      fetchedAt: record.fetchedAt,
      ...(record.refreshEpoch > 0 ? { refreshEpoch: record.refreshEpoch } : {}),
      keys: record.keys.map((key) => ({
        fingerprint: key.fingerprint,
        value: this.#unwrap(siteId, key),
        validAfter: key.validAfter,
        validUntil: key.validUntil,
      })),
    };
  }

  /** {@inheritDoc KeyStore.findSiteByFingerprint} */
  async findSiteByFingerprint(fingerprint: string): Promise<string | undefined> {
    if (!isValidFingerprint(fingerprint)) return undefined;
    const owner = await this.#redis.get(this.#layout.fingerprint(fingerprint));
    return owner !== null && isValidSiteId(owner) ? owner : undefined;
  }

  /** {@inheritDoc KeyStore.listSites} */
  async listSites(): Promise<string[]> {
    const members = await this.#redis.smembers(this.#layout.sites);
    return members.filter((siteId) => isValidSiteId(siteId)).sort();
  }

  /** {@inheritDoc KeyStore.removeSite} */
  async removeSite(siteId: string): Promise<boolean> {
    const key = this.#layout.site(siteId);
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt += 1) {
      const text = await this.#redis.get(key);
      if (text === null) {
        await this.#redis.srem(this.#layout.sites, siteId);
        return false;
      }
      if (await this.#compareAndSet(siteId, text, '')) {
        await this.#redis.srem(this.#layout.sites, siteId);
        await this.#release(siteId, fingerprintsOf(text, siteId));
        return true;
      }
    }
    throw new KeyringError('ERR_KEYRING_STORE_CONTENDED', `site ${siteId}`);
  }

  /** {@inheritDoc KeyStore.subscribeChanges} */
  async subscribeChanges(onChange: (siteId: string) => void, onResync?: () => void): Promise<Unsubscribe> {
    const stopResync = onResync === undefined ? undefined : this.#channels.onResync(onResync);
    const stop = await this.#channels.subscribe(this.#layout.changedChannel, (message) => {
      if (isValidSiteId(message)) onChange(message);
    });
    return async () => {
      await stopResync?.();
      await stop();
    };
  }

  /** {@inheritDoc KeyStore.publishRefreshRequest} */
  async publishRefreshRequest(siteId: string): Promise<void> {
    assertSiteId(siteId);
    await this.#redis.publish(this.#layout.refreshChannel, siteId);
  }

  /** {@inheritDoc KeyStore.beginRefresh} */
  async beginRefresh(siteId: string): Promise<number> {
    return this.#redis.incr(this.#layout.refreshEpoch(siteId));
  }

  /** {@inheritDoc KeyStore.currentRefreshEpoch} */
  async currentRefreshEpoch(siteId: string): Promise<number> {
    const text = await this.#redis.get(this.#layout.refreshEpoch(siteId));
    const epoch = text === null ? 0 : Number(text);
    if (!Number.isSafeInteger(epoch) || epoch < 0) throw new KeyringError('ERR_KEYRING_STORE_CORRUPT', `site ${siteId}: refresh epoch`);
    return epoch;
  }

  /** {@inheritDoc KeyStore.subscribeRefreshRequests} */
  async subscribeRefreshRequests(onRequest: (siteId: string) => void): Promise<Unsubscribe> {
    return this.#channels.subscribe(this.#layout.refreshChannel, (message) => {
      if (isValidSiteId(message)) onRequest(message);
    });
  }

  /** Closes the subscriber connection if this store made it; the command connection stays the caller's. */
  async close(): Promise<void> {
    await this.#channels.close();
  }

  /** Read, plan (DESIGN §2 retention), compare-and-set; retried when a concurrent writer got in first. */
  async #write(siteKeys: SiteKeys, listed: readonly StoredKey[]): Promise<ReplaceSiteResult> {
    const { siteId } = siteKeys;
    const key = this.#layout.site(siteId);
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt += 1) {
      const previousText = await this.#redis.get(key);
      const decoded = previousText === null ? [] : readableKeys(previousText, siteId);
      // A key wrapped under an older KEY_WRAP_SECRET can never be read again: drop it now rather than carry
      // a value that would make every read of the site fail.
      const previous = decoded.filter((k) => this.#unwraps(siteId, k));
      const listedFingerprints = new Set(listed.map((k) => k.fingerprint));
      const unreadable = decoded
        .filter((k) => !previous.includes(k) && !listedFingerprints.has(k.fingerprint))
        .map((k) => k.fingerprint);
      const plan = planReplacement(listed, previous, this.#clock(), this.#graceMs);
      const text = encodeRecord({
        v: RECORD_VERSION,
        siteId,
        encryption: siteKeys.encryption,
        fetchedAt: siteKeys.fetchedAt,
        refreshEpoch: siteKeys.refreshEpoch ?? 0,
        keys: plan.keep,
      });
      if (await this.#compareAndSet(siteId, previousText ?? '', text)) {
        const stored = plan.keep.map((k) => k.fingerprint);
        return { siteId, stored, added: plan.added, retained: plan.retained, dropped: [...plan.dropped, ...unreadable] };
      }
    }
    throw new KeyringError('ERR_KEYRING_STORE_CONTENDED', `site ${siteId}`);
  }

  async #compareAndSet(siteId: string, expected: string, next: string): Promise<boolean> {
    const key = this.#layout.site(siteId);
    const written = await this.#redis.eval(CAS_RECORD_SCRIPT, 1, key, expected, next, this.#layout.changedChannel, siteId);
    return written === 1;
  }

  /**
   * Claims every listed fingerprint for the site (DESIGN §2/§3: unique across sites). On a conflict the
   * claims made by this call are released and nothing is written.
   * @returns the fingerprints newly claimed by this call
   */
  async #claim(siteId: string, fingerprints: readonly string[]): Promise<string[]> {
    const claimed: string[] = [];
    for (const fingerprint of fingerprints) {
      const reply = await this.#redis.eval(CLAIM_FINGERPRINT_SCRIPT, 1, this.#layout.fingerprint(fingerprint), siteId);
      const [owner, created] = reply as [string, number];
      if (owner !== siteId) {
        await this.#release(siteId, claimed);
        throw new KeyringError('ERR_KEYRING_FINGERPRINT_CONFLICT', `${fingerprint} belongs to site ${owner}`);
      }
      if (created === 1) claimed.push(fingerprint);
    }
    return claimed;
  }

  async #release(siteId: string, fingerprints: readonly string[]): Promise<void> {
    for (const fingerprint of fingerprints) {
      await this.#redis.eval(RELEASE_FINGERPRINT_SCRIPT, 1, this.#layout.fingerprint(fingerprint), siteId);
    }
  }

  #unwraps(siteId: string, key: StoredKey): boolean {
    try {
      this.#unwrap(siteId, key);
      return true;
    } catch {
      return false;
    }
  }

  #unwrap(siteId: string, key: StoredKey): string {
    try {
      return unwrapSecret(this.#wrapKey, key.wrappedValue, wrapContext(siteId, key.fingerprint));
    } catch (cause) {
      // Wrong KEY_WRAP_SECRET, a record copied to another site, or tampering: refuse, never guess.
      throw new KeyringError('ERR_KEYRING_STORE_CORRUPT', `site ${siteId}: key ${key.fingerprint} does not unwrap`, {
        cause,
      });
    }
  }
}

/** The wrap AAD (issue "key-sync"): a wrapped value only unwraps for its own site and fingerprint. */
function wrapContext(siteId: string, fingerprint: string): string {
  return `${siteId}:${fingerprint}`;
}

/**
 * The previous keys for retention. A record that cannot be decoded has nothing to retain: the new listing
 * replaces it (that is how a store recovers from a corrupt record), never a reason to refuse the write.
 */
function readableKeys(text: string, siteId: string): readonly StoredKey[] {
  try {
    return decodeRecord(text, siteId).keys;
  } catch {
    return [];
  }
}

function fingerprintsOf(text: string, siteId: string): string[] {
  return readableKeys(text, siteId).map((key) => key.fingerprint);
}
