import type { Cluster, Redis } from 'ioredis';
import { PesStoreUnavailableError } from '../errors/ingress-errors';
import { PES_APPEND_BATCH_MAX, PES_APPEND_SCRIPT } from './append-script';
import { pesContentHash } from './content-hash';
import type { PesAppendOutcome, PesEventLog, PesEventRecord } from './pes-event-log';
import { pesRedisKeys, type PesRedisKeys } from './redis-keys';

/**
 * How long one append may take before it counts as "store unavailable" (nack 5). A healthy append is
 * well under a millisecond; 5 s covers a failover. Past it the write may still land later — the dedupe
 * record then turns the POS's resend into a `duplicate` ack, never a second entry.
 */
export const PES_APPEND_TIMEOUT_MS_DEFAULT = 5000;

/** Options of {@link RedisPesEventLog}. */
export interface RedisPesEventLogOptions {
  /** A connected client (from the platform's Redis factory); not closed by the log. */
  readonly redis: Redis | Cluster;
  /** `REDIS_PREFIX` (DESIGN §8). */
  readonly prefix: string;
  /** `SITE_ID`: the site whose stream this log appends to. */
  readonly siteId: string;
  /** `PES_DEDUPE_TTL_S`: how long a `msg_id` is remembered (default 86400). */
  readonly dedupeTtlSeconds: number;
  /** See {@link PES_APPEND_TIMEOUT_MS_DEFAULT}. */
  readonly appendTimeoutMs?: number;
}

const OUTCOMES: ReadonlySet<string> = new Set<PesAppendOutcome>(['stored', 'duplicate', 'conflict']);

interface PendingAppend {
  readonly event: PesEventRecord;
  readonly resolve: (outcome: PesAppendOutcome) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The distributed {@link PesEventLog}: a Lua script ({@link PES_APPEND_SCRIPT}) that de-duplicates and
 * appends each event atomically on the site's stream `<prefix>:{site:<id>}:pes:events`.
 *
 * Always `EVAL`, never `EVALSHA` + fallback: after a Redis restart the script cache is empty, and a
 * NOSCRIPT retry would re-issue one event's write behind later ones, breaking the per-connection order.
 * Redis caches the compiled script either way.
 *
 * Fails fast while the client is not `ready` (no offline queueing of writes the POS is waiting for).
 * Appends issued in the same event-loop turn (many connections' frames) share one pipeline — one write
 * to Redis — of script calls of up to {@link PES_APPEND_BATCH_MAX} events each, in the order issued
 * (so per-connection order holds).
 */
export class RedisPesEventLog implements PesEventLog {
  readonly #redis: Redis | Cluster;
  readonly #keys: PesRedisKeys;
  readonly #ttl: string;
  readonly #timeoutMs: number;
  #batch: PendingAppend[] | undefined;

  /** @throws TypeError on a bad prefix, site id, TTL or timeout */
  constructor(options: RedisPesEventLogOptions) {
    const { redis, prefix, siteId, dedupeTtlSeconds, appendTimeoutMs = PES_APPEND_TIMEOUT_MS_DEFAULT } = options;
    if (redis === null || typeof redis !== 'object') throw new TypeError('redis must be an ioredis client');
    if (!Number.isSafeInteger(dedupeTtlSeconds) || dedupeTtlSeconds < 1) {
      throw new TypeError('dedupeTtlSeconds must be a positive integer');
    }
    if (!Number.isSafeInteger(appendTimeoutMs) || appendTimeoutMs < 1) {
      throw new TypeError('appendTimeoutMs must be a positive integer');
    }
    this.#redis = redis;
    this.#keys = pesRedisKeys(prefix, siteId);
    this.#ttl = String(dedupeTtlSeconds);
    this.#timeoutMs = appendTimeoutMs;
  }

  /** The stream key (DESIGN §8), e.g. for consumers and tests. */
  get streamKey(): string {
    return this.#keys.stream;
  }

  /** The dedupe key of `msgId`. */
  dedupeKey(msgId: string): string {
    return this.#keys.dedupePrefix + msgId;
  }

  /** {@inheritDoc PesEventLog.append} */
  append(event: PesEventRecord): Promise<PesAppendOutcome> {
    if (this.#redis.status !== 'ready') return Promise.reject(new PesStoreUnavailableError());
    return new Promise((resolve, reject) => this.#enqueue({ event, resolve, reject }));
  }

  /** Collects the appends of this event-loop turn; {@link #flush} sends them once the turn is over. */
  #enqueue(item: PendingAppend): void {
    if (this.#batch === undefined) {
      this.#batch = [];
      setImmediate(() => this.#flush());
    }
    this.#batch.push(item);
  }

  /**
   * Sends one turn's appends. The append timeout runs per batch (one timer, not one per event): past it
   * every append of the batch still unsettled fails with `ERR_INGRESS_STORE_UNAVAILABLE`.
   */
  #flush(): void {
    const batch = this.#batch ?? [];
    this.#batch = undefined;
    const pipeline = this.#redis.pipeline();
    for (let start = 0; start < batch.length; start += PES_APPEND_BATCH_MAX) {
      pipeline.eval(...this.#scriptCall(batch, start, Math.min(batch.length, start + PES_APPEND_BATCH_MAX)));
    }
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      const error = new PesStoreUnavailableError({ cause: new Error(`append timed out after ${this.#timeoutMs} ms`) });
      for (const item of batch) item.reject(error);
    }, this.#timeoutMs);
    pipeline.exec().then(
      (replies) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        for (let start = 0, call = 0; start < batch.length; start += PES_APPEND_BATCH_MAX, call += 1) {
          settleCall(batch, start, Math.min(batch.length, start + PES_APPEND_BATCH_MAX), replies?.[call]);
        }
      },
      (cause: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const error = new PesStoreUnavailableError({ cause });
        for (const item of batch) item.reject(error);
      },
    );
  }

  /** `EVAL` arguments for `batch[start..end)`: script, key count, keys, TTL, six values per event. */
  #scriptCall(batch: readonly PendingAppend[], start: number, end: number): [string, number, ...string[]] {
    const count = end - start;
    const call: [string, number, ...string[]] = [PES_APPEND_SCRIPT, count + 1, this.#keys.stream];
    for (let i = start; i < end; i += 1) call.push(this.#keys.dedupePrefix + batch[i].event.msgId);
    call.push(this.#ttl);
    for (let i = start; i < end; i += 1) {
      const { event } = batch[i];
      call.push(pesContentHash(event.data), event.msgId, event.msgType, event.source, event.data, event.receivedAt);
    }
    return call;
  }
}

/**
 * Settles the appends `batch[start..end)` of one script call from its `[error, outcomes]` pipeline
 * reply. A failed call fails all of them: none is acknowledged unless known to be stored.
 */
function settleCall(batch: readonly PendingAppend[], start: number, end: number, reply: [Error | null, unknown] | undefined): void {
  const [error, outcomes] = reply ?? [new Error('no reply in pipeline result'), undefined];
  const valid = error === null && Array.isArray(outcomes) && outcomes.length === end - start && outcomes.every((o) => OUTCOMES.has(o as string));
  if (!valid) {
    const failure = new PesStoreUnavailableError({ cause: error ?? new Error('unexpected append script result') });
    for (let i = start; i < end; i += 1) batch[i].reject(failure);
    return;
  }
  for (let i = start; i < end; i += 1) batch[i].resolve((outcomes as PesAppendOutcome[])[i - start]);
}
