/**
 * Key lookup and rotation propagation (issue 3, DESIGN §7 table: "key lookup p99 in process; rotation visible
 * to every reader — < 50 µs; < 1 s").
 *
 * 1. Lookup: `KeyCache.lookup(fingerprint)` (what a gateway does per request) over 1,000 sites × 2 keys,
 *    single-lookup latency p50/p99 (hrtime around each call, the timer's own cost included) and throughput,
 *    each against a bare `Map.get` on the same fingerprints measured the same way in the same run.
 * 2. Propagation: the time from key-sync's write (`RedisKeyStore.replaceSite`, the call its engine makes after
 *    a fetch) to THREE reader worker threads — each with its own Redis connections, `RedisKeyStore` and
 *    `KeyCache`, like three gateway replicas — all resolving the new fingerprint. Baseline: a bare Redis
 *    PUBLISH reaching three bare subscribers on the same server. Needs Redis at REDIS_URL.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { Redis } from 'ioredis';
import { deriveWrapKey } from '@pos-link/crypto';
import { KeyCache, MemoryKeyStore, RedisKeyStore, type SiteKey } from '@pos-link/keyring';
import { absoluteLine, measureSync, quantile, ratioLine } from './harness';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const WRAP_KEY = deriveWrapKey('bench-key-lookup-wrap-secret-0123456789');
/** A large multi-store deployment: 1,000 sites, previous + current key each. */
const SITES = 1_000;
const LATENCY_SAMPLES = 200_000;
const BATCH = 1_000;
const READERS = 3;
const WARMUP_ROTATIONS = 20;
const ROTATIONS = 300;
const SITE = 'bench-site';

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across threads of one process. */
const wallNow = (): number => performance.timeOrigin + performance.now();

type ToReader = { kind: 'expect'; fingerprint: string } | { kind: 'stop' };
type FromReader =
  | { kind: 'ready' }
  | { kind: 'armed' }
  | { kind: 'seen'; at: number }
  | { kind: 'published'; id: string; at: number }
  | { kind: 'stopped' };

function key(fingerprint: string, now = Date.now()): SiteKey {
  return { fingerprint, value: randomBytes(18).toString('base64url'), validAfter: now - 60_000, validUntil: now + 86_400_000 };
}

// ---------------------------------------------------------------------------------------------- lookup

async function lookupBench(): Promise<void> {
  const store = new MemoryKeyStore();
  const fingerprints: string[] = [];
  for (let i = 0; i < SITES; i++) {
    const keys = [key(`fp-${i}-a`), key(`fp-${i}-b`)];
    fingerprints.push(...keys.map((k) => k.fingerprint));
    await store.replaceSite({ siteId: `site-${i}`, encryption: true, keys, fetchedAt: Date.now() });
  }
  const cache = new KeyCache(store, { resyncIntervalMs: 0 });
  await cache.start();
  const map = new Map(fingerprints.map((fp) => [fp, cache.lookup(fp)]));
  const n = fingerprints.length;
  // A fixed pseudo-random visiting order (stride by a prime), the same for the cache and the baseline.
  const order = Array.from({ length: BATCH }, (_, i) => fingerprints[(i * 7919) % n] as string);
  let sink = 0;

  const viaCache = (): void => {
    for (const fp of order) if (cache.lookup(fp) !== undefined) sink++;
  };
  const viaMap = (): void => {
    for (const fp of order) if (map.get(fp) !== undefined) sink++;
  };
  let cacheOps = 0;
  let mapOps = 0;
  for (let round = 0; round < 3; round++) {
    mapOps = Math.max(mapOps, measureSync(viaMap, { batch: BATCH, durationMs: 700 }).opsPerSec);
    cacheOps = Math.max(cacheOps, measureSync(viaCache, { batch: BATCH, durationMs: 700 }).opsPerSec);
  }

  const sample = (get: (fp: string) => unknown): number[] => {
    const out = new Array<number>(LATENCY_SAMPLES);
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      const fp = order[i % BATCH] as string;
      const start = process.hrtime.bigint();
      if (get(fp) !== undefined) sink++;
      out[i] = Number(process.hrtime.bigint() - start) / 1_000; // µs
    }
    return out;
  };
  sample((fp) => cache.lookup(fp)); // warm-up
  const cacheLat = sample((fp) => cache.lookup(fp));
  const mapLat = sample((fp) => map.get(fp));
  await cache.close();
  if (sink === 0) throw new Error('lookups found nothing');

  console.log(`key lookup: ${n} fingerprints over ${SITES} sites, ${LATENCY_SAMPLES} timed single lookups each`);
  console.log(absoluteLine('KeyCache.lookup p50', quantile(cacheLat, 0.5), 'µs'));
  console.log(absoluteLine('KeyCache.lookup p99', quantile(cacheLat, 0.99), 'µs', { op: '<=', value: 50 }));
  console.log(ratioLine('KeyCache.lookup p99 vs Map.get p99', { label: 'cache', value: quantile(cacheLat, 0.99) }, { label: 'Map', value: quantile(mapLat, 0.99) }, 'µs'));
  console.log(ratioLine('KeyCache.lookup throughput vs Map.get', { label: 'cache', value: cacheOps }, { label: 'Map', value: mapOps }, 'op/s'));
}

// ------------------------------------------------------------------------------------------ propagation

/** One reader replica (worker thread): its own connections, store and cache; reports when it sees a key. */
async function readerMain(data: { prefix: string; channel: string }): Promise<void> {
  const port = parentPort;
  if (port === null) throw new TypeError('readerMain runs in a worker thread');
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const store = new RedisKeyStore({ redis, prefix: data.prefix, wrapKey: WRAP_KEY });
  const cache = new KeyCache(store, { siteIds: [SITE], resyncIntervalMs: 0 });
  await cache.start();
  const bare = new Redis(REDIS_URL);
  bare.on('message', (_channel: string, id: string) => port.postMessage({ kind: 'published', id, at: wallNow() } satisfies FromReader));
  await bare.subscribe(data.channel);
  port.on('message', (message: ToReader) => {
    if (message.kind === 'stop') {
      void (async () => {
        await cache.close();
        await store.close();
        await redis.quit();
        await bare.quit();
        port.postMessage({ kind: 'stopped' } satisfies FromReader);
      })();
      return;
    }
    void (async () => {
      let change = cache.waitForChange(SITE, 5_000);
      port.postMessage({ kind: 'armed' } satisfies FromReader);
      while (cache.lookup(message.fingerprint) === undefined) {
        if (!(await change)) throw new Error('reader: no change within 5 s');
        change = cache.waitForChange(SITE, 5_000);
      }
      port.postMessage({ kind: 'seen', at: wallNow() } satisfies FromReader);
    })();
  });
  port.postMessage({ kind: 'ready' } satisfies FromReader);
}

/** Collects the next `count` messages of a kind from the readers. */
function collect<K extends FromReader['kind']>(readers: Worker[], kind: K, count = readers.length): Promise<Array<Extract<FromReader, { kind: K }>>> {
  return new Promise((resolve, reject) => {
    const got: Array<Extract<FromReader, { kind: K }>> = [];
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out waiting for ${kind}`));
    }, 10_000);
    const onMessage = (message: FromReader): void => {
      if (message.kind !== kind) return;
      got.push(message as Extract<FromReader, { kind: K }>);
      if (got.length === count) {
        cleanup();
        resolve(got);
      }
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      for (const reader of readers) reader.off('message', onMessage);
    };
    for (const reader of readers) reader.on('message', onMessage);
  });
}

async function propagationBench(): Promise<void> {
  const prefix = `bench-keylookup-${process.pid}-${randomBytes(4).toString('hex')}`;
  const channel = `${prefix}:bench:baseline`;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const writer = new RedisKeyStore({ redis, prefix, wrapKey: WRAP_KEY });
  let previous = key('fp-initial');
  await writer.replaceSite({ siteId: SITE, encryption: true, keys: [previous], fetchedAt: Date.now() });
  const readers = Array.from({ length: READERS }, () => new Worker(__filename, { workerData: { prefix, channel } }));
  try {
    await collect(readers, 'ready');
    const rotation: number[] = [];
    for (let i = 0; i < WARMUP_ROTATIONS + ROTATIONS; i++) {
      const next = key(`fp-rotation-${i}`);
      const armed = collect(readers, 'armed');
      for (const reader of readers) reader.postMessage({ kind: 'expect', fingerprint: next.fingerprint } satisfies ToReader);
      await armed;
      const seen = collect(readers, 'seen');
      const writtenAt = wallNow();
      await writer.replaceSite({ siteId: SITE, encryption: true, keys: [previous, next], fetchedAt: Date.now() });
      const lastSeen = Math.max(...(await seen).map((m) => m.at));
      if (i >= WARMUP_ROTATIONS) rotation.push(lastSeen - writtenAt);
      previous = next;
    }
    const baseline: number[] = [];
    for (let i = 0; i < WARMUP_ROTATIONS + ROTATIONS; i++) {
      const id = String(i);
      const received = collect(readers, 'published');
      const sentAt = wallNow();
      await redis.publish(channel, id);
      const lastAt = Math.max(...(await received).filter((m) => m.id === id).map((m) => m.at));
      if (i >= WARMUP_ROTATIONS) baseline.push(lastAt - sentAt);
    }
    console.log(`\nrotation propagation: write -> all ${READERS} reader threads resolve the new fingerprint, ${ROTATIONS} rotations`);
    console.log(absoluteLine('rotation visible to 3 readers p50', quantile(rotation, 0.5), 'ms'));
    console.log(absoluteLine('rotation visible to 3 readers p99', quantile(rotation, 0.99), 'ms', { op: '<=', value: 1000 }));
    console.log(absoluteLine('rotation visible to 3 readers max', Math.max(...rotation), 'ms'));
    console.log(
      ratioLine('rotation p50 vs bare PUBLISH to 3 subscribers', { label: 'keys', value: quantile(rotation, 0.5) }, { label: 'pub/sub', value: quantile(baseline, 0.5) }, 'ms'),
    );
    console.log(
      ratioLine('rotation p99 vs bare PUBLISH to 3 subscribers', { label: 'keys', value: quantile(rotation, 0.99) }, { label: 'pub/sub', value: quantile(baseline, 0.99) }, 'ms'),
    );
  } finally {
    const stopped = collect(readers, 'stopped').catch(() => undefined);
    for (const reader of readers) reader.postMessage({ kind: 'stop' } satisfies ToReader);
    await stopped;
    await Promise.all(readers.map((reader) => reader.terminate()));
    await writer.close();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await redis.quit();
  }
}

if (isMainThread) {
  (async () => {
    await lookupBench();
    await propagationBench();
  })().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
} else {
  void readerMain(workerData as { prefix: string; channel: string });
}
