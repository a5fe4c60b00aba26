import { randomFingerprint, randomKeyValue, type RandomSource } from './random-source';
import type { PortalSimKey } from './sim-key';

/** Seed 001: the collection holds at most two keys, "previous and current". */
const MAX_KEYS = 2;

/** How the Portal rotates one site's keys. */
export interface RotationPolicy {
  /** Time between two rotations; a key lives `periodMs + overlapMs`. */
  readonly periodMs: number;
  /** How long the previous key stays valid after the next one takes over (seed 001's overlap). */
  readonly overlapMs: number;
  /** How long before it becomes valid a new key is published (0: valid at once). */
  readonly leadMs: number;
}

/**
 * One simulated site: its encryption flag and key collection. A rotation makes a new key valid from
 * `now + lead` for `period + overlap`, shortens the previous key to end `overlap` after the new one starts,
 * and forgets anything older. The listing holds the (at most two) keys not yet expired.
 */
export class SimSite {
  /** The Portal's site id. */
  readonly siteId: string;
  /** Position in the configuration (1-based): the seed-like `store_number` and default name. */
  readonly index: number;
  /** The site's display name. */
  readonly name: string;
  /** The `encryption` flag served. */
  encryption: boolean;
  #keys: PortalSimKey[];
  readonly #policy: RotationPolicy;
  readonly #random: RandomSource;

  /**
   * @param init the site's identity, flag and explicit keys (when absent, a steady state is generated)
   * @param policy the rotation policy
   * @param random value and fingerprint source
   * @param now the current time
   */
  constructor(
    init: { siteId: string; index: number; name?: string; encryption: boolean; keys?: readonly PortalSimKey[] },
    policy: RotationPolicy,
    random: RandomSource,
    now: number,
  ) {
    this.siteId = init.siteId;
    this.index = init.index;
    this.name = init.name ?? `Restaurant ${init.index}`;
    this.encryption = init.encryption;
    this.#policy = policy;
    this.#random = random;
    this.#keys = init.keys?.map((key) => ({ ...key })) ?? [];
    if (init.keys === undefined) {
      // Steady state, as if the Portal had been rotating all along: a previous key inside its overlap and a
      // current one.
      this.rotate(now - policy.periodMs);
      this.rotate(now);
    }
  }

  /** Adds a fresh key (see the class comment) and returns it. */
  rotate(now: number): PortalSimKey {
    const validAfter = now + this.#policy.leadMs;
    const next: PortalSimKey = {
      fingerprint: randomFingerprint(this.#random),
      value: randomKeyValue(this.#random),
      validAfter,
      validUntil: validAfter + this.#policy.periodMs + this.#policy.overlapMs,
    };
    const previous = this.#keys.at(-1);
    if (previous !== undefined) {
      // Never valid for less than a millisecond: valid_until must stay after valid_after (DESIGN §2).
      const end = Math.max(previous.validAfter + 1, Math.min(previous.validUntil, validAfter + this.#policy.overlapMs));
      this.#keys[this.#keys.length - 1] = { ...previous, validUntil: end };
    }
    this.#keys = [...this.#keys, next].slice(-MAX_KEYS);
    return { ...next };
  }

  /** The keys the Portal lists at `now`: the collection minus expired keys, oldest first. */
  listed(now: number): PortalSimKey[] {
    return this.#keys.filter((key) => key.validUntil > now).map((key) => ({ ...key }));
  }
}
