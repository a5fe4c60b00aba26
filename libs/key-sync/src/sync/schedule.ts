import type { KeyValidity } from '@pos-link/keyring';

/**
 * Polls come up to this fraction EARLIER than due, never later (DESIGN §2 "poll each site with jitter"): many
 * sites configured at once spread out, and `KEYSYNC_POLL_MS` stays an upper bound on staleness.
 */
export const POLL_JITTER_FRACTION = 0.2;

/**
 * The first retry after a Portal failure waits at least this long even when `KEYSYNC_REFRESH_MIN_MS` is
 * smaller: a Portal that just failed is not asked again within the same second.
 */
export const MIN_BACKOFF_MS = 1_000;

/** Inputs of {@link nextPollDelay}. */
export interface PollTiming {
  /** `KEYSYNC_POLL_MS`. */
  readonly pollMs: number;
  /** `KEYSYNC_REFRESH_MIN_MS`: never poll a site more often than this. */
  readonly refreshMinMs: number;
}

/**
 * The delay until a site's next poll after a successful one (DESIGN §2: "poll each site with jitter, earlier
 * as a key's `valid_until` approaches"). The key that matters is the one that expires LAST: when it nears its
 * end without a successor, the site is about to have no key at all, so the poll interval shrinks to half the
 * time left (a successor published late is still seen in time), but never below `refreshMinMs`.
 *
 * @param keys the keys the Portal listed (validity only)
 * @param now the current time (ms since the epoch)
 * @param timing poll interval and floor
 * @param random a number in [0, 1) (Math.random; fixed in tests)
 */
export function nextPollDelay(keys: readonly KeyValidity[], now: number, timing: PollTiming, random: number): number {
  let delay = timing.pollMs;
  const lastUntil = keys.reduce((latest, key) => Math.max(latest, key.validUntil), Number.NEGATIVE_INFINITY);
  if (lastUntil > now) delay = Math.min(delay, Math.max(timing.refreshMinMs, (lastUntil - now) / 2));
  return Math.max(1, Math.round(delay * (1 - POLL_JITTER_FRACTION * clampRandom(random))));
}

/** Inputs of {@link backoffDelay}. */
export interface BackoffTiming {
  /** `KEYSYNC_REFRESH_MIN_MS`: the first retry waits this long (at least {@link MIN_BACKOFF_MS}). */
  readonly refreshMinMs: number;
  /** `KEYSYNC_BACKOFF_MAX_MS`: the cap. */
  readonly backoffMaxMs: number;
}

/**
 * The delay before retrying a site after `failures` consecutive failed syncs (DESIGN §2: "on Portal errors
 * back off (capped, jittered)"): exponential from `max(refreshMinMs, 1 s)`, doubled per failure, capped at
 * `backoffMaxMs`, with "equal jitter" (between half and all of it) so replicas and sites do not retry in step.
 *
 * @param failures consecutive failures so far (>= 1)
 * @param timing base and cap
 * @param random a number in [0, 1)
 */
export function backoffDelay(failures: number, timing: BackoffTiming, random: number): number {
  if (!Number.isInteger(failures) || failures < 1) throw new TypeError('failures must be an integer >= 1');
  const base = Math.max(MIN_BACKOFF_MS, timing.refreshMinMs);
  const ceiling = Math.min(timing.backoffMaxMs, base * 2 ** Math.min(failures - 1, 30));
  return Math.max(1, Math.round(ceiling / 2 + (ceiling / 2) * clampRandom(random)));
}

function clampRandom(random: number): number {
  return Number.isFinite(random) ? Math.min(Math.max(random, 0), 1) : 0;
}
