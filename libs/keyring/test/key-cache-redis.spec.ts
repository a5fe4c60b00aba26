import { deriveWrapKey } from '@pos-link/crypto';
import type { Redis } from 'ioredis';
import { KeyCache, KeyringError, RedisKeyStore, keyringRedisLayout } from '../src/index';
import { describeKeyCacheContract } from '../src/testing/key-cache-contract';
import { makeSiteKey, makeSiteKeys } from '../src/testing/fixtures';
import { connectRedis, deletePrefix, uniquePrefix } from './support/redis';

const WRAP_KEY = deriveWrapKey('keyring-test-wrap-secret-0123456789abcdef');

describeKeyCacheContract('RedisKeyStore', async () => {
  const prefix = uniquePrefix('keycache');
  const a = connectRedis();
  const b = connectRedis();
  const writer = new RedisKeyStore({ redis: a, prefix, wrapKey: WRAP_KEY });
  const reader = new RedisKeyStore({ redis: b, prefix, wrapKey: WRAP_KEY });
  return {
    writer,
    reader,
    close: async () => {
      await writer.close();
      await reader.close();
      await deletePrefix(a, prefix);
      await a.quit();
      await b.quit();
    },
  };
});

/** Resolves once `condition()` holds; rejects after `timeoutMs` (a bounded wait for a condition, not a sleep). */
async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('KeyCache over Redis', () => {
  let redis: Redis;
  let prefix: string;
  let writer: RedisKeyStore;

  beforeEach(() => {
    redis = connectRedis();
    prefix = uniquePrefix('keycache');
    writer = new RedisKeyStore({ redis, prefix, wrapKey: WRAP_KEY });
  });
  afterEach(async () => {
    await writer.close();
    await deletePrefix(redis, prefix);
    await redis.quit();
  });

  it('keeps the last good keys when a changed record cannot be read, and reports ERR_KEYRING_STORE_CORRUPT', async () => {
    const key = makeSiteKey();
    await writer.replaceSite(makeSiteKeys('s1', [key]));
    const errors: unknown[] = [];
    const cache = new KeyCache(writer, { onError: (error) => errors.push(error) });
    await cache.start();
    try {
      const layout = keyringRedisLayout(prefix);
      const changed = cache.waitForChange('s1', 1000);
      await redis.set(layout.site('s1'), 'not a record');
      await redis.publish(layout.changedChannel, 's1');
      expect(await changed).toBe(true);
      expect(cache.lookup(key.fingerprint)?.key).toEqual(key);
      expect((errors[0] as KeyringError).code).toBe('ERR_KEYRING_STORE_CORRUPT');
    } finally {
      await cache.close();
    }
  });

  it('reloads everything after its subscriber reconnects (changes published meanwhile are lost)', async () => {
    const subscriber = connectRedis();
    const reader = new RedisKeyStore({ redis, prefix, wrapKey: WRAP_KEY, subscriber });
    const cache = new KeyCache(reader, { resyncIntervalMs: 0 });
    await cache.start();
    try {
      // A record written without a notification: made under another prefix, copied in place.
      const elsewhere = uniquePrefix('keycache-src');
      const source = new RedisKeyStore({ redis, prefix: elsewhere, wrapKey: WRAP_KEY });
      const key = makeSiteKey();
      await source.replaceSite(makeSiteKeys('quiet', [key]));
      const layout = keyringRedisLayout(prefix);
      await redis.set(layout.site('quiet'), (await redis.get(keyringRedisLayout(elsewhere).site('quiet')))!);
      await redis.sadd(layout.sites, 'quiet');
      await deletePrefix(redis, elsewhere);
      expect(cache.lookup(key.fingerprint)).toBeUndefined();

      subscriber.disconnect(true); // drop the connection; ioredis reconnects and resubscribes
      await until(() => cache.lookup(key.fingerprint) !== undefined, 5000);
      expect(cache.lookup(key.fingerprint)?.siteId).toBe('quiet');
    } finally {
      await cache.close();
      await reader.close();
      subscriber.disconnect();
    }
  });
});
