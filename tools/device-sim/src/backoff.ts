/**
 * Reconnect delays of the terminal (seed 002: "continues trying … till it gets successful"; DESIGN §5:
 * "exponential backoff with jitter on loss"): `min(maxMs, initialMs · factor^(failures−1))`, then reduced by
 * up to `jitter` of itself at random so a fleet of terminals that lost the gateway together does not
 * reconnect in lock-step.
 */

/** Backoff settings. */
export interface BackoffOptions {
  /** Delay after the first failure, ms; default 250. */
  readonly initialMs?: number;
  /** Cap, ms; default 10000 (a terminal should be back within seconds once the gateway is). */
  readonly maxMs?: number;
  /** Growth per further failure; default 2. */
  readonly factor?: number;
  /** Fraction of the delay removed at random, 0–1; default 0.5. */
  readonly jitter?: number;
}

/** Backoff settings with defaults applied. */
export type ResolvedBackoff = Required<BackoffOptions>;

/** Defaults of {@link BackoffOptions}. */
export const DEFAULT_BACKOFF: ResolvedBackoff = Object.freeze({ initialMs: 250, maxMs: 10_000, factor: 2, jitter: 0.5 });

/**
 * Applies the defaults and checks the values.
 * @throws TypeError for a negative or non-finite value, `factor < 1`, `jitter` outside 0–1 or `maxMs < initialMs`
 */
export function resolveBackoff(options: BackoffOptions = {}): ResolvedBackoff {
  const b = { ...DEFAULT_BACKOFF, ...options };
  for (const [name, value] of Object.entries(b)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new TypeError(`backoff.${name} must be a non-negative number`);
  }
  if (b.factor < 1) throw new TypeError('backoff.factor must be at least 1');
  if (b.jitter > 1) throw new TypeError('backoff.jitter must be at most 1');
  if (b.maxMs < b.initialMs) throw new TypeError('backoff.maxMs must be at least backoff.initialMs');
  return b;
}

/**
 * The delay before the next attempt.
 * @param failures consecutive failed attempts (or 1 right after a loss), ≥ 1
 * @param random a number in [0, 1); default `Math.random`
 */
export function backoffDelay(failures: number, backoff: ResolvedBackoff, random: () => number = Math.random): number {
  const exponent = Math.max(0, failures - 1);
  const base = Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** exponent);
  return Math.round(base * (1 - backoff.jitter * random()));
}
