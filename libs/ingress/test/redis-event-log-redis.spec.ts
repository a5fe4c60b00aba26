import Redis from 'ioredis';
import { isIngressError } from '../src/errors/ingress-errors';
import type { PesEventRecord } from '../src/store/pes-event-log';
import { PES_APPEND_BATCH_MAX } from '../src/store/append-script';
import { RedisPesEventLog } from '../src/store/redis-event-log';
import { openTestRedis, REDIS_URL, type TestRedis } from './support/ingress-harness';
import { PrivateRedis } from './support/private-redis';

const record = (msgId: string, data = '{"order_id":"ORD-1","items":[]}'): PesEventRecord => ({
  msgId,
  msgType: 'create_order',
  source: 'xenial',
  data,
  receivedAt: '2026-11-21T12:00:00.123Z',
});

describe('RedisPesEventLog.append (Lua script: dedupe + XADD per event, batched per turn)', () => {
  let store: TestRedis;

  beforeEach(async () => {
    store = await openTestRedis();
  });

  afterEach(async () => {
    await store.cleanup();
  });

  it('appends the DESIGN §8 fields and records the msg_id with a hash of the text and the TTL', async () => {
    const log = store.eventLog(600);
    await expect(log.append(record('m1'))).resolves.toBe('stored');

    const entries = await store.readStream();
    expect(log.streamKey).toBe(`${store.prefix}:{site:${store.siteId}}:pes:events`);
    expect(entries.map((e) => e.fields)).toEqual([
      { msg_id: 'm1', msg_type: 'create_order', source: 'xenial', data: record('m1').data, received_at: '2026-11-21T12:00:00.123Z' },
    ]);
    const dedupeKey = log.dedupeKey('m1');
    expect(dedupeKey).toBe(`${store.prefix}:{site:${store.siteId}}:pes:msg:m1`);
    expect(await store.redis.get(dedupeKey)).toMatch(/^[0-9a-f]{64}$/);
    const ttl = await store.redis.ttl(dedupeKey);
    expect(ttl).toBeGreaterThan(590);
    expect(ttl).toBeLessThanOrEqual(600);
  });

  it('same msg_id and text → duplicate (no second entry); other text → conflict', async () => {
    const log = store.eventLog();
    await log.append(record('m1'));
    await expect(log.append(record('m1'))).resolves.toBe('duplicate');
    await expect(log.append(record('m1', '{"order_id":"ORD-2"}'))).resolves.toBe('conflict');
    expect(await store.readStream()).toHaveLength(1);
  });

  it('is atomic under concurrency: 50 writers of one msg_id yield exactly one entry', async () => {
    const writers = await Promise.all(
      Array.from({ length: 5 }, async () => {
        const redis = new Redis(REDIS_URL);
        return { redis, log: new RedisPesEventLog({ redis, prefix: store.prefix, siteId: store.siteId, dedupeTtlSeconds: 60 }) };
      }),
    );
    await Promise.all(writers.map(({ redis }) => (redis.status === 'ready' ? undefined : new Promise((r) => redis.once('ready', r)))));
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, i) => writers[i % writers.length].log.append(record('same', i % 2 === 0 ? '{"a":1}' : '{"a":2}'))),
    );
    for (const { redis } of writers) redis.disconnect();

    expect(outcomes.filter((o) => o === 'stored')).toHaveLength(1);
    expect(await store.readStream()).toHaveLength(1);
  });

  it('keeps the order of appends issued in order (pipelined)', async () => {
    const log = store.eventLog();
    const ids = Array.from({ length: 200 }, (_, i) => `m${i}`);
    await Promise.all(ids.map((id) => log.append(record(id))));
    expect((await store.readStream()).map((e) => e.fields['msg_id'])).toEqual(ids);
  });

  it('a turn larger than one script call (PES_APPEND_BATCH_MAX) keeps every outcome and the order', async () => {
    const log = store.eventLog();
    await log.append(record('old-same'));
    await log.append(record('old-other'));
    const ids = Array.from({ length: PES_APPEND_BATCH_MAX * 2 + 10 }, (_, i) => `m${i}`);
    const issued = [
      ...ids.slice(0, 5).map((id) => record(id)),
      record('old-same'), // duplicate of an earlier call
      record('old-other', '{"order_id":"changed"}'), // conflict
      ...ids.slice(5, PES_APPEND_BATCH_MAX + 3).map((id) => record(id)),
      record('m1'), // duplicate of an event of the same turn, sent in the previous script call
      record('m6', '{"x":1}'), // conflict, likewise
      ...ids.slice(PES_APPEND_BATCH_MAX + 3).map((id) => record(id)),
    ];
    const outcomes = await Promise.all(issued.map((r) => log.append(r)));

    expect(outcomes.filter((o) => o === 'stored')).toHaveLength(ids.length);
    expect(outcomes[5]).toBe('duplicate');
    expect(outcomes[6]).toBe('conflict');
    expect(outcomes[PES_APPEND_BATCH_MAX + 5]).toBe('duplicate');
    expect(outcomes[PES_APPEND_BATCH_MAX + 6]).toBe('conflict');
    expect((await store.readStream()).map((e) => e.fields['msg_id'])).toEqual(['old-same', 'old-other', ...ids]);
  });

  it('a script call that fails fails every append of it with ERR_INGRESS_STORE_UNAVAILABLE (nothing acked unstored)', async () => {
    const log = store.eventLog();
    await store.redis.set(log.streamKey, 'not a stream'); // XADD → WRONGTYPE inside the script
    const results = await Promise.all(['a', 'b', 'c'].map((id) => log.append(record(id)).catch((e: unknown) => e)));
    for (const error of results) {
      expect(isIngressError(error, 'ERR_INGRESS_STORE_UNAVAILABLE')).toBe(true);
      expect(((error as Error).cause as Error).message).toContain('WRONGTYPE');
    }
    expect(await store.redis.exists(log.dedupeKey('a'), log.dedupeKey('b'), log.dedupeKey('c'))).toBe(0);
  });

  it('throws ERR_INGRESS_STORE_UNAVAILABLE at once when the client is not ready, storing nothing', async () => {
    const redis = new Redis(REDIS_URL, { lazyConnect: true }); // never connected: status "wait"
    const log = new RedisPesEventLog({ redis, prefix: store.prefix, siteId: store.siteId, dedupeTtlSeconds: 60 });
    const error = await log.append(record('m1')).catch((e: unknown) => e);
    expect(isIngressError(error, 'ERR_INGRESS_STORE_UNAVAILABLE')).toBe(true);
    expect(await store.readStream()).toHaveLength(0);
  });
});

describe('RedisPesEventLog.append against a hung Redis (private redis-server, SIGSTOP)', () => {
  it('gives up after appendTimeoutMs with ERR_INGRESS_STORE_UNAVAILABLE', async () => {
    const server = await PrivateRedis.start();
    const redis = new Redis(server.port, { maxRetriesPerRequest: 1 });
    try {
      await new Promise((resolve) => redis.once('ready', resolve));
      const log = new RedisPesEventLog({ redis, prefix: 'poslink', siteId: 's', dedupeTtlSeconds: 60, appendTimeoutMs: 200 });
      server.freeze();
      const error = await log.append(record('m1')).catch((e: unknown) => e);
      expect(isIngressError(error, 'ERR_INGRESS_STORE_UNAVAILABLE')).toBe(true);
      expect(((error as Error).cause as Error).message).toBe('append timed out after 200 ms');
    } finally {
      server.thaw();
      redis.disconnect();
      await server.destroy();
    }
  });
});
