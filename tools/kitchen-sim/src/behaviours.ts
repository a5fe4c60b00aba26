/**
 * Configurable answers of the kitchen's REST side: status, latency, body, content type, "hang" (never
 * answer: upstream-timeout tests) and "empty" (204, no body). A behaviour applies to the requests it
 * matches; the most specific match wins (more of `path` / `method` / `site` given), the newest on a tie.
 */

/** How the kitchen answers matching requests. */
export interface KitchenBehaviour {
  /** The route to match, without any `/sites/{site}` prefix (e.g. `/order`); absent = every route. */
  readonly path?: string;
  /** The method to match (case-insensitive); absent = every method. */
  readonly method?: string;
  /** The site to match; absent = every site. */
  readonly site?: string;
  /** Response status; default 200 (204 with `empty`). */
  readonly status?: number;
  /** Delay before answering, in milliseconds; default 0. */
  readonly latencyMs?: number;
  /** Response body: text or bytes as is, anything else as JSON; default the echo body. */
  readonly body?: string | Buffer | object;
  /** Response content type; default `application/json` (`text/plain` for a string body that is not JSON). */
  readonly contentType?: string;
  /** Extra response headers. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Never answer (the request stays open until the client gives up or the simulator closes). */
  readonly hang?: boolean;
  /** Answer with no body (status 204 unless `status` says otherwise). */
  readonly empty?: boolean;
  /** Apply to this many matching requests, then remove itself; absent = until reset. */
  readonly times?: number;
}

/** What a request is matched on. */
export interface BehaviourTarget {
  readonly route: string;
  readonly method: string;
  readonly site: string | null;
}

interface Entry {
  readonly behaviour: KitchenBehaviour;
  remaining: number;
}

function checkBehaviour(b: KitchenBehaviour): void {
  if (b === null || typeof b !== 'object') throw new TypeError('behaviour must be an object');
  for (const field of ['path', 'method', 'site', 'contentType'] as const) {
    if (b[field] !== undefined && typeof b[field] !== 'string') throw new TypeError(`${field} must be a string`);
  }
  if (b.path !== undefined && !b.path.startsWith('/')) throw new TypeError('path must start with "/"');
  if (b.status !== undefined && (!Number.isInteger(b.status) || b.status < 100 || b.status > 599)) {
    throw new TypeError('status must be an integer from 100 to 599');
  }
  for (const field of ['latencyMs', 'times'] as const) {
    const value = b[field];
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) throw new TypeError(`${field} must be a non-negative integer`);
  }
  for (const field of ['hang', 'empty'] as const) {
    if (b[field] !== undefined && typeof b[field] !== 'boolean') throw new TypeError(`${field} must be a boolean`);
  }
}

function specificity(b: KitchenBehaviour): number {
  return (b.path === undefined ? 0 : 4) + (b.method === undefined ? 0 : 2) + (b.site === undefined ? 0 : 1);
}

function matches(b: KitchenBehaviour, t: BehaviourTarget): boolean {
  return (
    (b.path === undefined || b.path === t.route) &&
    (b.method === undefined || b.method.toUpperCase() === t.method.toUpperCase()) &&
    (b.site === undefined || b.site === t.site)
  );
}

/** The behaviour table. */
export class BehaviourTable {
  #entries: Entry[] = [];

  /**
   * Adds a behaviour, replacing one with the same `path`, `method` and `site`.
   * @throws TypeError for a malformed behaviour
   */
  set(behaviour: KitchenBehaviour): void {
    checkBehaviour(behaviour);
    const same = (e: Entry): boolean =>
      e.behaviour.path === behaviour.path &&
      e.behaviour.method?.toUpperCase() === behaviour.method?.toUpperCase() &&
      e.behaviour.site === behaviour.site;
    this.#entries = this.#entries.filter((e) => !same(e));
    this.#entries.push({ behaviour: { ...behaviour }, remaining: behaviour.times ?? Number.POSITIVE_INFINITY });
  }

  /** Removes every behaviour: the kitchen answers with its default echo again. */
  reset(): void {
    this.#entries = [];
  }

  /** Picks the behaviour for a request (and counts it against `times`); undefined = default answer. */
  take(target: BehaviourTarget): KitchenBehaviour | undefined {
    let best: Entry | undefined;
    for (const entry of this.#entries) {
      if (entry.remaining <= 0 || !matches(entry.behaviour, target)) continue;
      if (best === undefined || specificity(entry.behaviour) >= specificity(best.behaviour)) best = entry;
    }
    if (best === undefined) return undefined;
    best.remaining -= 1;
    if (best.remaining <= 0) this.#entries = this.#entries.filter((e) => e !== best);
    return best.behaviour;
  }
}
