import { createLogger, createRedisClient, closeRedisClient, waitForRedisReady, type RedisClient } from '@pos-link/platform';
import { deleteKeysWithPrefix, uniqueRedisPrefix, waitFor } from '@pos-link/platform/testing';
import type { PesFeedEntry } from '../src/ws/pes/pes-event-feed';
import { PesSubscription } from '../src/ws/pes/pes-subscription';
import { RedisPesEventFeed } from '../src/ws/pes/redis-pes-event-feed';

// Integration (real Redis): reading the ingress's PES streams (DESIGN §8) — catch-up, live tail, hand-over.
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

describe('RedisPesEventFeed', () => {
  const prefix = uniqueRedisPrefix('ws-feed');
  const logger = createLogger({ app: 'test', level: 'silent' });
  let redis: RedisClient;
  let feed: RedisPesEventFeed;
  let n = 0;

  async function append(siteId: string, count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const k = ++n;
      ids.push(
        (await redis.xadd(feed.streamKey(siteId), '*', 'msg_id', `m${k}`, 'msg_type', 'tender', 'source', 'pos', 'data', `{"k":${k}}`, 'received_at', '2026-01-01T00:00:00.000Z'))!,
      );
    }
    return ids;
  }

  beforeAll(async () => {
    redis = createRedisClient(REDIS_URL, { name: 'feed-test', logger });
    await waitForRedisReady(redis, 5_000);
    feed = new RedisPesEventFeed({ redis, prefix, tailBlockMs: 200 });
  });
  afterAll(async () => {
    await feed.close();
    await deleteKeysWithPrefix(redis, prefix);
    await closeRedisClient(redis);
  });

  it('uses the ingress stream key of DESIGN §8', () => {
    expect(feed.streamKey('42')).toBe(`${prefix}:{site:42}:pes:events`);
  });

  it('range reads after an id (exclusive) with the stream fields mapped; lastId is 0-0 for an empty stream', async () => {
    expect(await feed.lastId('r1')).toBe('0-0');
    const ids = await append('r1', 5);
    expect(await feed.lastId('r1')).toBe(ids[4]);
    const entries = await feed.range('r1', ids[1]!, 2);
    expect(entries).toEqual([
      { id: ids[2], msgId: 'm3', msgType: 'tender', source: 'pos', data: '{"k":3}', receivedAt: '2026-01-01T00:00:00.000Z' },
      { id: ids[3], msgId: 'm4', msgType: 'tender', source: 'pos', data: '{"k":4}', receivedAt: '2026-01-01T00:00:00.000Z' },
    ]);
    expect(await feed.range('r1', ids[4]!, 10)).toEqual([]);
    await expect(feed.range('r1', '$', 10)).rejects.toThrow(TypeError);
  });

  it('one tail per site is shared by its listeners and delivers every later append in order', async () => {
    await append('t1', 3);
    const a: string[] = [];
    const b: string[] = [];
    const offA = await feed.tail('t1', (e) => a.push(e.id));
    const offB = await feed.tail('t1', (e) => b.push(e.id));
    const ids = await append('t1', 20);
    await waitFor('both listeners', () => a.length === 20 && b.length === 20, { timeoutMs: 10_000 });
    expect(a).toEqual(ids);
    expect(b).toEqual(ids);
    await offA();
    const more = await append('t1', 2);
    await waitFor('the remaining listener', () => b.length === 22, { timeoutMs: 10_000 });
    expect(b.slice(20)).toEqual(more);
    expect(a).toHaveLength(20);
    await offB();
  });

  it('PesSubscription over Redis: catch-up in pages while appends continue, then live — no gap, no duplicate', async () => {
    const expected = await append('h1', 300);
    const got: PesFeedEntry[] = [];
    const sub = new PesSubscription({ feed, siteId: 'h1', from: '0-0', pageSize: 50, deliver: async (e) => void got.push(e) });
    const started = sub.start();
    for (let i = 0; i < 10; i++) expected.push(...(await append('h1', 10)));
    await started;
    expected.push(...(await append('h1', 5)));
    await waitFor(`${expected.length} entries`, () => got.length === expected.length, { timeoutMs: 10_000 });
    expect(got.map((e) => e.id)).toEqual(expected);
    await sub.stop();
  });
});
