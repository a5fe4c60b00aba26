import pino from 'pino';
import { PLATFORM_ERROR_CODES } from '../src/errors/platform-error-codes';
import {
  closeRedisClient,
  createRedisClient,
  waitForRedisReady,
  type RedisClient,
} from '../src/redis/redis-client';
import { RedisKeys } from '../src/redis/redis-keys';
import { redisReadinessCheck } from '../src/redis/redis-readiness';
import { deleteKeysWithPrefix, getFreePort, uniqueRedisPrefix } from '../src/testing';

// Integration: the real Redis of DESIGN §7 (REDIS_URL, default redis://127.0.0.1:6379).
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const silent = pino({ level: 'silent' });

describe('createRedisClient against a real Redis', () => {
  const prefix = uniqueRedisPrefix('platform');
  const keys = new RedisKeys(prefix);
  let client: RedisClient;

  beforeAll(async () => {
    client = createRedisClient(REDIS_URL, { name: 'platform-test', logger: silent });
    await waitForRedisReady(client, 5000);
  });

  afterAll(async () => {
    await deleteKeysWithPrefix(client, prefix);
    await closeRedisClient(client);
  });

  it('connects at construction and names the connection', async () => {
    expect(client.status).toBe('ready');
    const info = String(await client.call('CLIENT', 'INFO'));
    expect(info).toMatch(/\bname=platform-test\b/);
  });

  it('reads and writes keys built with RedisKeys under a site hash tag', async () => {
    const key = keys.site('s1', 'probe');
    await client.set(key, 'v', 'PX', 60_000);
    expect(await client.get(key)).toBe('v');
    expect(await client.keys(`${prefix}:*`)).toEqual([`${prefix}:{site:s1}:probe`]);
  });

  it('redisReadinessCheck passes on a live connection', async () => {
    await expect(redisReadinessCheck(client).check()).resolves.toBeUndefined();
  });

  it('selects the database of the URL path', async () => {
    const db1 = createRedisClient(`${REDIS_URL.replace(/\/\d+$/, '')}/1`, { name: 'platform-test-db1', logger: silent });
    try {
      await waitForRedisReady(db1, 5000);
      expect(String(await db1.call('CLIENT', 'INFO'))).toMatch(/\bdb=1\b/);
    } finally {
      await closeRedisClient(db1);
    }
    expect(db1.status).toBe('end');
  });
});

describe('createRedisClient when Redis is unreachable', () => {
  let client: RedisClient;
  const errors: unknown[] = [];

  beforeAll(async () => {
    const port = await getFreePort();
    const logger = pino({ level: 'warn' }, { write: (line: string) => void errors.push(JSON.parse(line)) });
    client = createRedisClient(`redis://127.0.0.1:${port}`, { name: 'platform-test-down', logger });
  });

  afterAll(async () => {
    await closeRedisClient(client);
  });

  it('fails commands at once instead of queueing them (enableOfflineQueue: false)', async () => {
    const started = Date.now();
    await expect(client.ping()).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(500);
    await expect(redisReadinessCheck(client).check()).rejects.toThrow();
  });

  it('waitForRedisReady rejects with ERR_PLATFORM_REDIS_NOT_READY', async () => {
    await expect(waitForRedisReady(client, 200)).rejects.toMatchObject({
      code: PLATFORM_ERROR_CODES.ERR_PLATFORM_REDIS_NOT_READY,
    });
  });

  it('logs connection errors instead of ioredis "Unhandled error event"', () => {
    expect(errors[0]).toMatchObject({ event: 'RedisConnectionError', client: 'platform-test-down', code: 'ECONNREFUSED' });
  });
});
