import { deriveWrapKey } from '@pos-link/crypto';
import { Redis } from 'ioredis';
import { KeyringError, RedisKeyStore, keyringRedisLayout, type RedisKeyStoreOptions } from '../src/index';
import { ChannelProbe } from '../src/testing/channel-probe';
import { describeKeyStoreContract } from '../src/testing/key-store-contract';
import { makeSiteKey, makeSiteKeys } from '../src/testing/fixtures';
import { REDIS_URL, connectRedis, deletePrefix, keysUnder, uniquePrefix } from './support/redis';

const WRAP_KEY = deriveWrapKey('keyring-test-wrap-secret-0123456789abcdef');

describeKeyStoreContract('RedisKeyStore', async ({ clock, graceMs }) => {
  const prefix = uniquePrefix('keyring');
  const a = connectRedis();
  const b = connectRedis(); // the peer: another process with its own connection
  const store = new RedisKeyStore({ redis: a, prefix, wrapKey: WRAP_KEY, clock, graceMs });
  const peer = new RedisKeyStore({ redis: b, prefix, wrapKey: WRAP_KEY, clock, graceMs });
  return {
    store,
    peer,
    close: async () => {
      await store.close();
      await peer.close();
      await deletePrefix(a, prefix);
      await a.quit();
      await b.quit();
    },
  };
});

describe('RedisKeyStore', () => {
  let redis: Redis;
  let prefix: string;
  const opened: RedisKeyStore[] = [];
  const open = (options: Partial<RedisKeyStoreOptions> = {}): RedisKeyStore => {
    const store = new RedisKeyStore({ redis, prefix, wrapKey: WRAP_KEY, ...options });
    opened.push(store);
    return store;
  };

  beforeEach(() => {
    redis = connectRedis();
    prefix = uniquePrefix('keyring');
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    await deletePrefix(redis, prefix);
    await redis.quit();
  });

  it('uses the documented layout: one record under the {site:<id>} hash tag, a fingerprint index, a site set', async () => {
    const key = makeSiteKey();
    await open().replaceSite(makeSiteKeys('s1', [key]));
    expect(await keysUnder(redis, prefix)).toEqual(
      [`${prefix}:{site:s1}:keys`, `${prefix}:keys:fp:${key.fingerprint}`, `${prefix}:keys:sites`].sort(),
    );
    const layout = keyringRedisLayout(prefix);
    expect(await redis.get(layout.fingerprint(key.fingerprint))).toBe('s1');
    expect(await redis.smembers(layout.sites)).toEqual(['s1']);
  });

  it('wraps values at rest: the key value appears nowhere in Redis', async () => {
    const key = makeSiteKey({ value: 'plain-value-that-must-not-be-stored' });
    await open().replaceSite(makeSiteKeys('s1', [key]));
    const record = await redis.get(keyringRedisLayout(prefix).site('s1'));
    expect(record).not.toBeNull();
    expect(record).not.toContain(key.value);
    expect(record).not.toContain(Buffer.from(key.value).toString('base64'));
    expect(JSON.parse(record!).keys[0].wrappedValue).toMatch(/^v1\./);
  });

  it('getSite refuses a record under another wrap key with ERR_KEYRING_STORE_CORRUPT, naming no value', async () => {
    const key = makeSiteKey();
    await open().replaceSite(makeSiteKeys('s1', [key]));
    const other = open({ wrapKey: deriveWrapKey('another-wrap-secret-0123456789abcdef!') });
    const error = await other.getSite('s1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeyringError);
    expect((error as KeyringError).code).toBe('ERR_KEYRING_STORE_CORRUPT');
    expect((error as KeyringError).message).not.toContain(key.value);
  });

  it('getSite refuses a record copied to another site (the wrap context binds site and fingerprint)', async () => {
    await open().replaceSite(makeSiteKeys('s1', [makeSiteKey()]));
    const layout = keyringRedisLayout(prefix);
    const copied = (await redis.get(layout.site('s1')))!.replace('"siteId":"s1"', '"siteId":"s2"');
    await redis.set(layout.site('s2'), copied);
    await expect(open().getSite('s2')).rejects.toMatchObject({ code: 'ERR_KEYRING_STORE_CORRUPT' });
  });

  it('getSite refuses a malformed record with ERR_KEYRING_STORE_CORRUPT', async () => {
    await redis.set(keyringRedisLayout(prefix).site('s1'), '{"v":1,"siteId":"s1"');
    await expect(open().getSite('s1')).rejects.toMatchObject({ code: 'ERR_KEYRING_STORE_CORRUPT' });
  });

  it('replaceSite over a corrupt record writes the listing (the recovery path)', async () => {
    await redis.set(keyringRedisLayout(prefix).site('s1'), 'garbage');
    const key = makeSiteKey();
    await open().replaceSite(makeSiteKeys('s1', [key]));
    expect((await open().getSite('s1'))?.keys).toEqual([key]);
  });

  it('replaceSite after a wrap-secret change drops retained keys it can no longer unwrap', async () => {
    const old = makeSiteKey();
    await open().replaceSite(makeSiteKeys('s1', [old]));
    const rewrapped = open({ wrapKey: deriveWrapKey('the-new-wrap-secret-0123456789abcdef') });
    const fresh = makeSiteKey();
    const result = await rewrapped.replaceSite(makeSiteKeys('s1', [fresh]));
    expect(result.dropped).toEqual([old.fingerprint]);
    expect((await rewrapped.getSite('s1'))?.keys).toEqual([fresh]);
    expect(await rewrapped.findSiteByFingerprint(old.fingerprint)).toBeUndefined();
  });

  it('uses a caller-given subscriber connection and leaves it open on close', async () => {
    const subscriber = connectRedis();
    try {
      const store = open({ subscriber });
      const probe = new ChannelProbe();
      await store.subscribeChanges(probe.callback);
      const heard = probe.next('s1');
      await open().replaceSite(makeSiteKeys('s1', [makeSiteKey()]));
      await heard;
      await store.close();
      expect(subscriber.status).toBe('ready');
    } finally {
      subscriber.disconnect();
    }
  });

  it('unsubscribes and closes at once while its subscriber connection is down (a shutdown during an outage)', async () => {
    // The subscriber loses its connection and waits a minute before reconnecting: an UNSUBSCRIBE awaited now
    // would hold the caller until Redis is back (or reject after the retries) and stop a shutdown half-way.
    const subscriber = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, retryStrategy: () => 60_000 });
    try {
      const id = await subscriber.client('ID'); // before SUBSCRIBE: then only subscriber commands may run
      const store = open({ subscriber });
      const unsubscribe = await store.subscribeChanges(new ChannelProbe().callback);
      const reconnecting = new Promise((resolve) => subscriber.once('reconnecting', resolve));
      await redis.client('KILL', 'ID', String(id));
      await reconnecting;
      expect(subscriber.status).toBe('reconnecting');
      const started = Date.now();
      await unsubscribe();
      await store.close();
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      subscriber.disconnect();
    }
  });

  it('ignores a change message that is not a site id', async () => {
    const store = open();
    const probe = new ChannelProbe();
    await store.subscribeChanges(probe.callback);
    const layout = keyringRedisLayout(prefix);
    const heard = probe.next('s9');
    // Messages on one channel arrive in order: once s9 is heard, the bad one was seen (and dropped) before it.
    await redis.publish(layout.changedChannel, 'not a/site id');
    await redis.publish(layout.changedChannel, 's9');
    await heard;
    expect(probe.received).toEqual(['s9']);
  });

  it('throws TypeError for a wrap key that is not 32 bytes or a prefix with braces', () => {
    expect(() => open({ wrapKey: Buffer.alloc(16) })).toThrow(TypeError);
    expect(() => open({ prefix: 'a{b}' })).toThrow(TypeError);
  });
});
