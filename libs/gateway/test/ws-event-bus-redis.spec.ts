import { Redis } from 'ioredis';
import { createLogger, createRedisClient, closeRedisClient, waitForRedisReady, type RedisClient } from '@pos-link/platform';
import { uniqueRedisPrefix, waitFor } from '@pos-link/platform/testing';
import { RedisSiteEventBus } from '../src/ws/bus/redis-site-event-bus';

// Integration (real Redis): the distributed event bus that carries kitchen events to every replica.
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

describe('RedisSiteEventBus', () => {
  const prefix = uniqueRedisPrefix('ws-bus');
  const logger = createLogger({ app: 'test', level: 'silent' });
  let clients: RedisClient[];
  let busA: RedisSiteEventBus;
  let busB: RedisSiteEventBus;

  beforeAll(async () => {
    clients = [createRedisClient(REDIS_URL, { name: 'bus-a', logger }), createRedisClient(REDIS_URL, { name: 'bus-b', logger })];
    await Promise.all(clients.map((c) => waitForRedisReady(c, 5_000)));
    busA = new RedisSiteEventBus({ redis: clients[0]!, prefix });
    busB = new RedisSiteEventBus({ redis: clients[1]!, prefix });
  });
  afterAll(async () => {
    await busA.close();
    await busB.close();
    for (const client of clients) await closeRedisClient(client);
  });

  it('names channels under the site hash tag', () => {
    expect(busA.channel('42', 'to-pos')).toBe(`${prefix}:{site:42}:ws:to-pos`);
    expect(busA.channel('42', 'to-kitchen')).toBe(`${prefix}:{site:42}:ws:to-kitchen`);
  });

  it('a message published by one replica (or any Redis client) reaches the subscribers of every replica, of that site only', async () => {
    const got: string[] = [];
    const offA = await busA.subscribe('s1', 'to-pos', (t) => got.push(`A:${t}`));
    const offB = await busB.subscribe('s1', 'to-pos', (t) => got.push(`B:${t}`));
    const offOther = await busB.subscribe('s2', 'to-pos', (t) => got.push(`other:${t}`));
    await busA.publish('s1', 'to-pos', 'from A');
    const raw = new Redis(REDIS_URL);
    await raw.publish(`${prefix}:{site:s1}:ws:to-pos`, 'from anyone');
    raw.disconnect();
    await waitFor('four deliveries', () => got.length === 4);
    expect(got.sort()).toEqual(['A:from A', 'A:from anyone', 'B:from A', 'B:from anyone']);
    await Promise.all([offA(), offB(), offOther()]);
  });

  it('after the last unsubscribe of a channel nothing more is delivered; other subscribers are untouched', async () => {
    const got: string[] = [];
    const off1 = await busA.subscribe('s3', 'to-pos', (t) => got.push(`1:${t}`));
    const off2 = await busA.subscribe('s3', 'to-pos', (t) => got.push(`2:${t}`));
    await off1();
    await busB.publish('s3', 'to-pos', 'one');
    await waitFor('one delivery', () => got.length === 1);
    await off2();
    await busB.publish('s3', 'to-pos', 'two');
    await busB.publish('s3', 'to-kitchen', 'marker');
    const marker: string[] = [];
    const offMarker = await busA.subscribe('s3', 'to-kitchen', (t) => marker.push(t));
    await busB.publish('s3', 'to-kitchen', 'marker');
    await waitFor('the marker', () => marker.length === 1);
    expect(got).toEqual(['2:one']);
    await offMarker();
  });
});
