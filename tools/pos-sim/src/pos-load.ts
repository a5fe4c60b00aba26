import { performance } from 'node:perf_hooks';
import { PosClient, type PosClientOptions, type PosHandshakeResult } from './pos-client';
import { POS_WINDOW_DEFAULT } from './pos-terminal';
import type { PosKeySource } from './rsa-keys';

/**
 * Load mode for benchmarks (DESIGN §7): many POS connections driven as hard as the protocol allows,
 * with as little work as possible on the POS side, so the figure measured is the ingress's. The
 * handshakes are the real POS side (RSA-OAEP open, integrator check, ack); events are frames made
 * before the clock starts, and answers are counted, not decrypted.
 */

/** What {@link runHandshakes} needs: a {@link PosClient}'s options, with a key source instead of one pair. */
export interface PosHandshakeLoadOptions extends Omit<PosClientOptions, 'keyPair'> {
  /** Where each connection's RSA pair comes from (an `RsaKeyPool` in load tests). */
  readonly keys: PosKeySource;
  /** Connections to open and handshake. */
  readonly count: number;
  /** Handshakes under way at once. */
  readonly concurrency: number;
  /** Keep each connection open after its handshake (default false: half-close at once). */
  readonly keepOpen?: boolean;
}

/** What {@link runHandshakes} did. */
export interface PosHandshakeLoadResult {
  /** The open clients (only with `keepOpen`), in completion order. */
  readonly clients: readonly PosClient[];
  /** Handshakes that completed. */
  readonly completed: number;
  /** Failed handshakes by reason (`connect`, `refused`, `closed`, `timeout`, `protocol`). */
  readonly failures: Readonly<Record<string, number>>;
  /** From the first connect to the last handshake's end. */
  readonly elapsedMs: number;
}

/**
 * Opens `count` connections and runs the POS side of each handshake, `concurrency` at a time.
 * @throws TypeError on a non-positive count or concurrency
 */
export async function runHandshakes(options: PosHandshakeLoadOptions): Promise<PosHandshakeLoadResult> {
  const { count, concurrency, keys, keepOpen = false, ...clientOptions } = options;
  if (!Number.isSafeInteger(count) || count < 1) throw new TypeError('count must be a positive integer');
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) throw new TypeError('concurrency must be a positive integer');
  const clients: PosClient[] = [];
  const failures: Record<string, number> = {};
  let started = 0;
  let completed = 0;
  const worker = async (): Promise<void> => {
    while (started < count) {
      started += 1;
      let client: PosClient;
      try {
        client = await PosClient.connect({ ...clientOptions, keyPair: await keys() });
      } catch {
        failures['connect'] = (failures['connect'] ?? 0) + 1;
        continue;
      }
      const result: PosHandshakeResult = await client.handshake();
      if (!result.ok) {
        failures[result.reason] = (failures[result.reason] ?? 0) + 1;
        client.destroy();
        continue;
      }
      completed += 1;
      if (keepOpen) clients.push(client);
      else client.end();
    }
  };
  const begin = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { clients, completed, failures, elapsedMs: performance.now() - begin };
}

/** What {@link streamFrames} counted. */
export interface PosStreamResult {
  readonly acked: number;
  readonly nacked: number;
  /** From the first frame written to the last answer read. */
  readonly elapsedMs: number;
}

/**
 * The ingress writes envelope fields in a fixed order and a nack is the only answer with
 * `"msg_resp":"nack"`: a byte search tells it from an ack without parsing JSON.
 */
const NACK_MARK = Buffer.from('"msg_resp":"nack"');

/**
 * Sends `frames[i]` over `clients[i]` (handshaken, not in raw mode yet), keeping up to `window`
 * unanswered per connection (DESIGN §6: the ingress reads 64 in flight), and counts the answers.
 * Resolves when every frame is answered.
 * @throws Error when a connection closes before all its frames are answered
 */
export function streamFrames(
  clients: readonly PosClient[],
  frames: ReadonlyArray<readonly Buffer[]>,
  window = POS_WINDOW_DEFAULT,
): Promise<PosStreamResult> {
  if (clients.length !== frames.length) throw new TypeError('one list of frames per client');
  if (!Number.isSafeInteger(window) || window < 1) throw new TypeError('window must be a positive integer');
  return new Promise((resolve, reject) => {
    let acked = 0;
    let nacked = 0;
    let open = clients.length;
    let failed = false;
    const begin = performance.now();
    const finishOne = (): void => {
      open -= 1;
      if (open === 0) resolve({ acked, nacked, elapsedMs: performance.now() - begin });
    };
    if (clients.length === 0) resolve({ acked, nacked, elapsedMs: 0 });
    clients.forEach((client, index) => {
      const mine = frames[index];
      let next = 0;
      let answered = 0;
      const refill = (): void => {
        const end = Math.min(mine.length, answered + window);
        if (end > next) client.sendFrames(mine.slice(next, end));
        next = end;
      };
      client.onFrames((bodies) => {
        for (const body of bodies) {
          if (body.includes(NACK_MARK)) nacked += 1;
          else acked += 1;
        }
        answered += bodies.length;
        if (answered >= mine.length) {
          finishOne();
          return;
        }
        refill();
      });
      void client.closed.then(() => {
        if (answered < mine.length && !failed) {
          failed = true;
          reject(new Error(`connection ${index} closed with ${mine.length - answered} frames unanswered`));
        }
      });
      if (mine.length === 0) finishOne();
      else refill();
    });
  });
}
