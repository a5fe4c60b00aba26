/**
 * Test helpers of `@pos-link/platform` (the `@pos-link/platform/testing` entry; never imported by
 * production code).
 */
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import type { RedisClient } from './redis/redis-client';
import { waitFor } from './testing/wait-for';

/** Asks the OS for a port that is free right now on `host` (bind to 0, read it, release it). */
export async function getFreePort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  server.listen(0, host);
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new TypeError('getFreePort: no TCP address');
  return address.port;
}

/** Whether nothing listens on `host:port` now (binds it and lets it go): proves a `close()` freed its port. */
export async function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  const server = createServer();
  server.listen(port, host);
  try {
    await once(server, 'listening');
  } catch {
    return false;
  }
  server.close();
  await once(server, 'close');
  return true;
}

/** How often `waitForReady` asks; a probe is cheap. */
const READY_POLL_MS = 25;

/**
 * Polls `GET <opsUrl>/health/ready` until it answers 200 (what a Kubernetes readiness probe does),
 * e.g. while the app's Redis connection completes; rejects naming the last answer after `timeoutMs`.
 */
export async function waitForReady(opsUrl: string, timeoutMs = 5_000): Promise<void> {
  await waitFor(
    `${opsUrl}/health/ready`,
    async () => {
      const answer = await fetch(`${opsUrl}/health/ready`);
      if (answer.status !== 200) throw new Error(`${answer.status} ${await answer.text()}`);
      return true;
    },
    { timeoutMs, intervalMs: READY_POLL_MS },
  );
}

/** A `REDIS_PREFIX` no other test run uses: `test-<label>-<pid>-<random>`. */
export function uniqueRedisPrefix(label: string): string {
  return `test-${label}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Deletes every key under `<prefix>:` (SCAN, never KEYS). Returns how many were deleted. */
export async function deleteKeysWithPrefix(client: RedisClient, prefix: string): Promise<number> {
  if (!('scanStream' in client)) throw new TypeError('deleteKeysWithPrefix: a Cluster needs per-node scans');
  let deleted = 0;
  for await (const keys of client.scanStream({ match: `${prefix}:*`, count: 500 }) as AsyncIterable<string[]>) {
    if (keys.length > 0) deleted += await client.del(...keys);
  }
  return deleted;
}

/** A pino destination that keeps every line in memory (`lines`, `records()`), for log assertions. */
export class LineCapture extends Writable {
  /** Every line written, without its newline. */
  readonly lines: string[] = [];

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    for (const line of chunk.toString().split('\n')) if (line !== '') this.lines.push(line);
    callback();
  }

  /** The lines parsed as JSON objects. */
  records(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

export { readPrometheusMetric } from './testing/prometheus-text';
export { waitFor } from './testing/wait-for';
