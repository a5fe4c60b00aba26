/**
 * The faults the simulated Portal can serve instead of (or around) a good site object — one per way the real
 * one can fail key-sync (DESIGN §2): transport errors, slowness, broken JSON, and each rule that makes a
 * site object invalid. `seed-timestamps` is not a fault for a correct reader: the keys stay valid.
 */
export const PORTAL_FAULT_KINDS = [
  'http500',
  'http503',
  'latency',
  'reset',
  'truncated-json',
  'invalid-json',
  'seed-timestamps',
  'three-keys',
  'duplicate-fingerprint',
  'until-before-after',
  'encryption-not-boolean',
] as const;

/** One fault kind. */
export type PortalFaultKind = (typeof PORTAL_FAULT_KINDS)[number];

/** Default delay of a `latency` fault. */
export const DEFAULT_FAULT_LATENCY_MS = 1000;

/** A fault to serve on the next matching `GET /sites/:id` requests. */
export interface PortalFault {
  /** What goes wrong. */
  readonly kind: PortalFaultKind;
  /** How many requests it applies to (default 1; 0 = every request until the faults are cleared). */
  readonly count?: number;
  /** The delay of a `latency` fault (default 1000 ms). */
  readonly latencyMs?: number;
  /** Only requests for this site (default: any site). */
  readonly siteId?: string;
}

/** True when `kind` names a fault. */
export function isPortalFaultKind(kind: unknown): kind is PortalFaultKind {
  return typeof kind === 'string' && (PORTAL_FAULT_KINDS as readonly string[]).includes(kind);
}

/**
 * Throws `TypeError` unless `fault` is well formed (the admin route turns that into a 400).
 */
export function assertPortalFault(fault: unknown): asserts fault is PortalFault {
  if (typeof fault !== 'object' || fault === null) throw new TypeError('fault must be an object');
  const { kind, count, latencyMs, siteId } = fault as Record<string, unknown>;
  if (!isPortalFaultKind(kind)) throw new TypeError(`kind must be one of ${PORTAL_FAULT_KINDS.join(', ')}`);
  if (count !== undefined && (!Number.isInteger(count) || (count as number) < 0)) {
    throw new TypeError('count must be an integer >= 0');
  }
  if (latencyMs !== undefined && (!Number.isInteger(latencyMs) || (latencyMs as number) < 0)) {
    throw new TypeError('latencyMs must be an integer >= 0');
  }
  if (siteId !== undefined && typeof siteId !== 'string') throw new TypeError('siteId must be a string');
}

interface QueuedFault {
  readonly fault: PortalFault;
  remaining: number; // Infinity for count 0
}

/** Faults in the order injected; each request takes the first one that matches its site. */
export class FaultQueue {
  #queue: QueuedFault[] = [];

  /** Queues a fault. */
  add(fault: PortalFault): void {
    assertPortalFault(fault);
    const count = fault.count ?? 1;
    this.#queue.push({ fault: { ...fault }, remaining: count === 0 ? Number.POSITIVE_INFINITY : count });
  }

  /** Takes (and counts down) the first fault for `siteId`, if any. */
  take(siteId: string): PortalFault | undefined {
    const index = this.#queue.findIndex((q) => q.fault.siteId === undefined || q.fault.siteId === siteId);
    const queued = this.#queue[index];
    if (queued === undefined) return undefined;
    queued.remaining -= 1;
    if (queued.remaining <= 0) this.#queue.splice(index, 1);
    return queued.fault;
  }

  /** Removes every queued fault. */
  clear(): void {
    this.#queue = [];
  }

  /** How many faults are queued. */
  get size(): number {
    return this.#queue.length;
  }
}
