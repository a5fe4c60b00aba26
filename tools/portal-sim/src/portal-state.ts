import { FaultQueue, type PortalFault, type PortalFaultKind } from './faults';
import type { ResolvedPortalSimOptions } from './options';
import { seededRandom, systemRandom, type RandomSource } from './random-source';
import type { PortalSimKey } from './sim-key';
import { DEFAULT_KEY_PERIOD_MS } from './options';
import { SimSite } from './sim-site';

/** Counters a test reads to assert e.g. "at most one Portal fetch per site per interval". */
export interface PortalSimStats {
  /** Authorized `GET /sites/:id` of known sites, per site id (faulted answers included). */
  readonly fetches: Record<string, number>;
  /** Sum of `fetches`. */
  readonly totalFetches: number;
  /** Requests refused with 401. */
  readonly unauthorized: number;
  /** Authorized requests for unknown sites (404). */
  readonly notFound: number;
  /** Faults served, per kind. */
  readonly faults: Partial<Record<PortalFaultKind, number>>;
  /** Rotations done, per site id (automatic and requested). */
  readonly rotations: Record<string, number>;
}

/** Called after each rotation with the site id and the new key. */
export type RotationListener = (siteId: string, key: PortalSimKey) => void;

/** The simulator's state, apart from HTTP: sites, faults, counters. */
export class PortalState {
  readonly options: ResolvedPortalSimOptions;
  readonly random: RandomSource;
  readonly faults = new FaultQueue();
  readonly #sites = new Map<string, SimSite>();
  readonly #listeners = new Set<RotationListener>();
  #stats = emptyStats();

  /** @param options resolved options */
  constructor(options: ResolvedPortalSimOptions) {
    this.options = options;
    this.random = options.seed === undefined ? systemRandom : seededRandom(options.seed);
    const policy = {
      periodMs: options.rotationMs > 0 ? options.rotationMs : DEFAULT_KEY_PERIOD_MS,
      overlapMs: options.overlapMs,
      leadMs: options.leadMs,
    };
    const now = options.clock();
    options.sites.forEach((site, i) => {
      const init = { ...site, index: i + 1, encryption: site.encryption ?? true };
      this.#sites.set(site.siteId, new SimSite(init, policy, this.random, now));
    });
  }

  /** The site, or undefined. */
  find(siteId: string): SimSite | undefined {
    return this.#sites.get(siteId);
  }

  /** The site. @throws TypeError for an unknown site (programmatic API misuse) */
  get(siteId: string): SimSite {
    const site = this.#sites.get(siteId);
    if (site === undefined) throw new TypeError(`unknown site "${siteId}"`);
    return site;
  }

  /** Rotates one site now and tells the listeners. */
  rotate(siteId: string): PortalSimKey {
    const key = this.get(siteId).rotate(this.options.clock());
    this.#stats.rotations[siteId] = (this.#stats.rotations[siteId] ?? 0) + 1;
    for (const listener of [...this.#listeners]) listener(siteId, { ...key });
    return key;
  }

  /** Rotates every site (the timer). */
  rotateAll(): void {
    for (const siteId of this.#sites.keys()) this.rotate(siteId);
  }

  /** Registers a rotation listener; returns its remover. */
  onRotate(listener: RotationListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Queues a fault (see `PortalFault`). */
  injectFault(fault: PortalFault): void {
    this.faults.add(fault);
  }

  /** Counts an authorized fetch of a known site. */
  countFetch(siteId: string): void {
    this.#stats.fetches[siteId] = (this.#stats.fetches[siteId] ?? 0) + 1;
  }

  /** Counts a served fault. */
  countFault(kind: PortalFaultKind): void {
    this.#stats.faults[kind] = (this.#stats.faults[kind] ?? 0) + 1;
  }

  /** Counts a 401. */
  countUnauthorized(): void {
    this.#stats.unauthorized += 1;
  }

  /** Counts a 404 for an unknown site. */
  countNotFound(): void {
    this.#stats.notFound += 1;
  }

  /** A snapshot of the counters. */
  stats(): PortalSimStats {
    const fetches = { ...this.#stats.fetches };
    return {
      fetches,
      totalFetches: Object.values(fetches).reduce((sum, n) => sum + n, 0),
      unauthorized: this.#stats.unauthorized,
      notFound: this.#stats.notFound,
      faults: { ...this.#stats.faults },
      rotations: { ...this.#stats.rotations },
    };
  }

  /** Zeroes every counter. */
  resetStats(): void {
    this.#stats = emptyStats();
  }
}

interface MutableStats {
  fetches: Record<string, number>;
  unauthorized: number;
  notFound: number;
  faults: Partial<Record<PortalFaultKind, number>>;
  rotations: Record<string, number>;
}

function emptyStats(): MutableStats {
  return { fetches: {}, unauthorized: 0, notFound: 0, faults: {}, rotations: {} };
}
