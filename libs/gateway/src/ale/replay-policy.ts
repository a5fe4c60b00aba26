import { isValidSiteId } from '@pos-link/keyring';

/**
 * Which replay window applies to which site (DESIGN §3 "per-site overrides may exist"):
 * `ALE_REPLAY_WINDOW_MS` for every site, overridden per site by `ALE_REPLAY_WINDOW_SITES`
 * (`site1=30000,site2=0`). A window of 0 turns replay protection off for that site.
 */
export class ReplayPolicy {
  readonly #defaultWindowMs: number;
  readonly #overrides: ReadonlyMap<string, number>;

  /**
   * @param defaultWindowMs `ALE_REPLAY_WINDOW_MS`
   * @param overrides `ALE_REPLAY_WINDOW_SITES` entries, `siteId=windowMs`
   * @throws TypeError for a malformed entry, a repeated site or a negative window (config validation
   *   normally refuses these first)
   */
  constructor(defaultWindowMs: number, overrides: readonly string[] = []) {
    if (!Number.isSafeInteger(defaultWindowMs) || defaultWindowMs < 0) throw new TypeError('defaultWindowMs must be an integer >= 0');
    this.#defaultWindowMs = defaultWindowMs;
    const map = new Map<string, number>();
    for (const entry of overrides) {
      const [siteId, ms, extra] = entry.split('=');
      const windowMs = Number(ms);
      if (extra !== undefined || !isValidSiteId(siteId) || !/^[0-9]+$/.test(ms ?? '') || !Number.isSafeInteger(windowMs)) {
        throw new TypeError('replay window overrides must be siteId=milliseconds');
      }
      if (map.has(siteId)) throw new TypeError(`replay window override for "${siteId}" is repeated`);
      map.set(siteId, windowMs);
    }
    this.#overrides = map;
  }

  /** The window of a site in ms; 0 = replay protection off. */
  windowFor(siteId: string): number {
    return this.#overrides.get(siteId) ?? this.#defaultWindowMs;
  }
}
