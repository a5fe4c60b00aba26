/**
 * What the simulator records: every kitchen request and every WebSocket message the POS side sent, in
 * arrival order, bounded (oldest dropped) so long benchmark runs do not grow memory without limit.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { SiteSource } from './site-path';

/** One HTTP request the kitchen received (admin routes under `/_sim/` are not recorded). */
export interface RecordedRequest {
  /** Arrival order, from 1, over the simulator's lifetime (not reset by `clear()`). */
  readonly seq: number;
  /** HTTP method. */
  readonly method: string;
  /** The path as received, with any `/sites/{site}` prefix, without the query. */
  readonly path: string;
  /** The path without the site prefix, e.g. `/order`. */
  readonly route: string;
  /** The query string as received, without `?` (empty when none). */
  readonly search: string;
  /** The query parsed; a repeated name gives an array. */
  readonly query: Readonly<Record<string, string | string[]>>;
  /** The site (path prefix first, else `x-site-id`), or null. */
  readonly site: string | null;
  /** Where `site` came from. */
  readonly siteSource: SiteSource | null;
  /** Request headers as Node presents them (lower-case names). */
  readonly headers: IncomingHttpHeaders;
  /** The exact body bytes. */
  readonly rawBody: Buffer;
  /** The body decoded as UTF-8. */
  readonly body: string;
  /** Arrival time, ISO-8601 UTC with milliseconds. */
  readonly time: string;
}

/** One WebSocket message the kitchen received from a POS-side connection. */
export interface RecordedWsMessage {
  /** Arrival order, from 1. */
  readonly seq: number;
  /** The connection's id (see `connections()`). */
  readonly connectionId: number;
  /** The connection's site, or null. */
  readonly site: string | null;
  /** The message as text (binary messages decoded as UTF-8). */
  readonly data: string;
  /** Whether it came as a binary frame. */
  readonly binary: boolean;
  /** Arrival time, ISO-8601 UTC with milliseconds. */
  readonly time: string;
}

/** An append-only log that keeps the newest `max` entries. */
export class BoundedLog<T> {
  readonly #max: number;
  #entries: T[] = [];

  /** @param max entries kept; 0 keeps none */
  constructor(max: number) {
    this.#max = max;
  }

  /** Appends an entry, dropping the oldest beyond the bound. */
  push(entry: T): void {
    if (this.#max === 0) return;
    this.#entries.push(entry);
    // Trim in batches so a full log costs an amortized O(1) per push, not a shift each time.
    if (this.#entries.length >= this.#max * 2) this.#entries = this.#entries.slice(-this.#max);
  }

  /** The kept entries, oldest first (a copy). */
  list(): T[] {
    return this.#entries.slice(-this.#max);
  }

  /** Forgets every entry. */
  clear(): void {
    this.#entries = [];
  }
}

/** The query string parsed into a plain object (repeated names become arrays). */
export function parseQuery(search: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(search)) {
    const previous = out[name];
    out[name] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return out;
}
