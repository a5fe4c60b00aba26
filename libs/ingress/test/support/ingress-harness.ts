import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { Registry } from 'prom-client';
import { createPesTransport, type PesIngressOptions } from '../../src/transport/create-pes-transport';
import type { PesTransport } from '../../src/transport/pes-transport';
import type { PesEventLog } from '../../src/store/pes-event-log';
import { RedisPesEventLog } from '../../src/store/redis-event-log';

/** The integrator credentials every test ingress sends (and every test POS accepts). */
export const TEST_INTEGRATOR = Object.freeze({ keyId: 'integrator-test', secretKey: 'integrator-test-secret-0123456789' });

/** Redis of the shared test server (DESIGN §7). */
export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** A running in-process ingress on a free port. */
export interface TestIngress {
  readonly transport: PesTransport;
  readonly port: number;
  readonly registry: Registry;
  /** Value of one sample of a metric (0 when absent). */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  close(): Promise<void>;
}

/** Starts `createPesTransport` on port 0 with the test credentials; `overrides` win. */
export async function startTestIngress(eventLog: PesEventLog, overrides: Partial<PesIngressOptions> = {}): Promise<TestIngress> {
  const registry = new Registry();
  const transport = createPesTransport({
    port: 0,
    host: '127.0.0.1',
    integratorKeyId: TEST_INTEGRATOR.keyId,
    integratorSecretKey: TEST_INTEGRATOR.secretKey,
    eventLog,
    registry,
    ...overrides,
  });
  await new Promise<void>((resolve, reject) => transport.listen((error?: unknown) => (error ? reject(error) : resolve())));
  return {
    transport,
    port: transport.port as number,
    registry,
    metric: (name, labels = {}) => metricValue(registry, name, labels),
    close: () => transport.close(),
  };
}

/** Reads one sample of `name` with exactly-matching `labels` from `registry`. */
export async function metricValue(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) return 0;
  const { values } = await metric.get();
  const wanted = Object.entries(labels);
  const sample = values.find((v) => wanted.every(([k, value]) => String((v.labels as Record<string, unknown>)[k]) === value));
  return sample?.value ?? 0;
}

/** A Redis connection and a unique key prefix for one test file; `cleanup` deletes the prefix's keys. */
export interface TestRedis {
  readonly redis: Redis;
  readonly prefix: string;
  readonly siteId: string;
  eventLog(dedupeTtlSeconds?: number): RedisPesEventLog;
  /** Stream entries as `{ id, fields }`. */
  readStream(): Promise<Array<{ id: string; fields: Record<string, string> }>>;
  cleanup(): Promise<void>;
}

/** Connects to the shared test Redis under a fresh prefix. */
export async function openTestRedis(url = REDIS_URL): Promise<TestRedis> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const prefix = `test:ingress:${randomUUID()}`;
  const siteId = 'site-1';
  const log = (ttl = 86_400): RedisPesEventLog => new RedisPesEventLog({ redis, prefix, siteId, dedupeTtlSeconds: ttl });
  return {
    redis,
    prefix,
    siteId,
    eventLog: log,
    readStream: async () => readStream(redis, log().streamKey),
    cleanup: async () => {
      await deleteByPrefix(redis, prefix);
      redis.disconnect();
    },
  };
}

/** Every entry of a stream. */
export async function readStream(redis: Redis, key: string): Promise<Array<{ id: string; fields: Record<string, string> }>> {
  const entries = await redis.xrange(key, '-', '+');
  return entries.map(([id, flat]) => {
    const fields: Record<string, string> = {};
    for (let i = 0; i < flat.length; i += 2) fields[flat[i]] = flat[i + 1];
    return { id, fields };
  });
}

/** Deletes every key under `prefix` (SCAN, never KEYS: the server is shared). */
export async function deleteByPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}
