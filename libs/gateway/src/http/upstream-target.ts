/** The placeholder `UPSTREAM_URL` / `UPSTREAM_WS_URL` may contain (DESIGN §3/§8). */
export const SITE_PLACEHOLDER = '{site}';

/** Where one site's kitchen requests go. */
export interface UpstreamTarget {
  /** `scheme://host:port`: one connection pool per origin. */
  readonly origin: string;
  /** The URL's path without a trailing `/`, prepended to every forwarded path (`''` for none). */
  readonly basePath: string;
}

/**
 * Bound of the per-site cache: the template is resolved once per site, and site ids are validated
 * (at most the sites key-sync serves), so this is a safety limit, not a working size.
 */
const MAX_CACHED_TARGETS = 10_000;

/**
 * Resolves `UPSTREAM_URL` per site (DESIGN §3: "`{site}` replaced by the site id, so one gateway can front
 * many stores"). The placeholder may sit in the host or the path; site ids are URL-unreserved characters,
 * so no escaping is needed. A query in the template is not supported (the request's own query is kept).
 */
export class UpstreamTargets {
  readonly #template: string;
  readonly #cache = new Map<string, UpstreamTarget>();

  /**
   * @param template `UPSTREAM_URL`, e.g. `http://kitchen:8080/sites/{site}`
   * @throws TypeError when the template is not an http(s) URL or carries a query or fragment
   */
  constructor(template: string) {
    const probe = parse(template.replaceAll(SITE_PLACEHOLDER, 'site'));
    if (probe.search !== '' || probe.hash !== '') throw new TypeError('UPSTREAM_URL must not carry a query or fragment');
    this.#template = template;
  }

  /** The target of one site. */
  target(siteId: string): UpstreamTarget {
    const cached = this.#cache.get(siteId);
    if (cached !== undefined) return cached;
    const url = parse(this.#template.replaceAll(SITE_PLACEHOLDER, siteId));
    const target: UpstreamTarget = { origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') };
    if (this.#cache.size < MAX_CACHED_TARGETS) this.#cache.set(siteId, target);
    return target;
  }
}

function parse(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TypeError('UPSTREAM_URL must be an absolute http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError('UPSTREAM_URL must be an http(s) URL');
  return url;
}
