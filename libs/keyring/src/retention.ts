import { isPastGrace, type KeyValidity } from './validity';

/** The fields the retention rule needs; stored entries carry more (a value, wrapped or not). */
export interface RetainableKey extends KeyValidity {
  /** The key's fingerprint. */
  readonly fingerprint: string;
}

/** The outcome of {@link planReplacement}. */
export interface ReplacementPlan<L extends RetainableKey, P extends RetainableKey> {
  /** What to store: the listed keys in order, then the retained ones. */
  readonly keep: ReadonlyArray<L | P>;
  /** Listed fingerprints not stored before. */
  readonly added: readonly string[];
  /** Unlisted fingerprints still within grace. */
  readonly retained: readonly string[];
  /** Unlisted fingerprints past grace. */
  readonly dropped: readonly string[];
}

/**
 * DESIGN §2: "The store keeps every key the Portal lists (so a listed key outside its validity answers
 * errorCode 3, not 2) and drops a key once the Portal stops listing it and its `valid_until + grace` has
 * passed" — so a Portal that stops listing a key does not cut off clients still using it. A listed key always
 * replaces the stored one with the same fingerprint. Pure: both stores share it.
 */
export function planReplacement<L extends RetainableKey, P extends RetainableKey>(
  listed: readonly L[],
  previous: readonly P[],
  now: number,
  graceMs: number,
): ReplacementPlan<L, P> {
  const listedFingerprints = new Set(listed.map((key) => key.fingerprint));
  const previousFingerprints = new Set(previous.map((key) => key.fingerprint));
  const keep: Array<L | P> = [...listed];
  const retained: string[] = [];
  const dropped: string[] = [];
  for (const key of previous) {
    if (listedFingerprints.has(key.fingerprint)) continue;
    if (isPastGrace(key, now, graceMs)) dropped.push(key.fingerprint);
    else {
      keep.push(key);
      retained.push(key.fingerprint);
    }
  }
  const added = listed.filter((key) => !previousFingerprints.has(key.fingerprint)).map((key) => key.fingerprint);
  return { keep, added, retained, dropped };
}
