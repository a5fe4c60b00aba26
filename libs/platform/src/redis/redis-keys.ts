/**
 * Builds Redis keys and channel names under `REDIS_PREFIX` (DESIGN §8). Every key of one site
 * carries the hash tag `{site:<id>}` so a site's keys live in one Cluster slot and can be written in
 * one MULTI/EXEC or script (DESIGN §2): `poslink:{site:42}:pes:events`.
 */
export class RedisKeys {
  /** The prefix, e.g. `poslink`. */
  readonly prefix: string;

  /** @param prefix `REDIS_PREFIX`; must not contain `{` or `}` (it would change the hash slot) */
  constructor(prefix: string) {
    if (prefix === '' || /[{}\s]/.test(prefix)) {
      throw new TypeError('RedisKeys: the prefix must be non-empty, without braces or whitespace');
    }
    this.prefix = prefix;
  }

  /** A key of one site: `<prefix>:{site:<siteId>}:<suffix…>`. */
  site(siteId: string, ...suffix: string[]): string {
    if (siteId === '' || /[{}]/.test(siteId)) {
      throw new TypeError('RedisKeys.site: the site id must be non-empty and without braces');
    }
    return [this.prefix, `{site:${siteId}}`, ...this.#checked(suffix)].join(':');
  }

  /** A key or channel not tied to one site: `<prefix>:<suffix…>` (e.g. `poslink:keys:changed`). */
  global(...suffix: string[]): string {
    if (suffix.length === 0) throw new TypeError('RedisKeys.global needs at least one part');
    return [this.prefix, ...this.#checked(suffix)].join(':');
  }

  #checked(parts: readonly string[]): readonly string[] {
    for (const part of parts) {
      if (part === '' || /[{}]/.test(part)) throw new TypeError('RedisKeys: key parts must be non-empty, without braces');
    }
    return parts;
  }
}
