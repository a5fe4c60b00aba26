/**
 * Which site a request is for. The gateway calls `UPSTREAM_URL` with `{site}` replaced (DESIGN §3), so a
 * multi-site deployment points it at `http://kitchen/sites/{site}` and the site shows in the path; it also
 * adds `x-site-id` to every forwarded request. The simulator reads both so tests can check isolation.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** The header the gateway adds to every forwarded request (DESIGN §3). */
export const SITE_ID_HEADER = 'x-site-id';

/** Where a request's site came from. */
export type SiteSource = 'path' | 'header';

/** A request path split into its site and the kitchen route. */
export interface SitePath {
  /** The site id, or null when neither the path nor `x-site-id` names one. */
  readonly site: string | null;
  /** Where `site` came from; null when there is none. */
  readonly siteSource: SiteSource | null;
  /** The path without the `/sites/{site}` prefix, e.g. `/order` (always starts with `/`). */
  readonly route: string;
}

const SITE_PREFIX = /^\/sites\/([^/?#]+)(\/[^?#]*)?$/;

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // a malformed escape is recorded as sent, never rejected: this is a test peer
  }
}

function headerSite(headers: IncomingHttpHeaders): string | null {
  const value = headers[SITE_ID_HEADER];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? null : first;
}

/**
 * Splits a path (no query) into site and route: `/sites/42/order` → site `42`, route `/order`; otherwise
 * the site comes from `x-site-id` and the route is the whole path. The path prefix wins over the header.
 */
export function splitSitePath(pathname: string, headers: IncomingHttpHeaders): SitePath {
  const match = SITE_PREFIX.exec(pathname);
  if (match !== null) {
    return { site: decodeSegment(match[1] ?? ''), siteSource: 'path', route: match[2] ?? '/' };
  }
  const site = headerSite(headers);
  return { site, siteSource: site === null ? null : 'header', route: pathname === '' ? '/' : pathname };
}

/**
 * The site of a WebSocket upgrade: `/ws/{site}` (the documented `UPSTREAM_WS_URL` form),
 * `/sites/{site}/ws`, or `/ws` with `x-site-id` or `?site=`. Returns undefined for any other path
 * (the upgrade is refused with 404).
 */
export function wsSite(pathname: string, search: URLSearchParams, headers: IncomingHttpHeaders): string | null | undefined {
  const parts = pathname.split('/').filter((p) => p !== '');
  if (parts.length === 2 && parts[0] === 'ws') return decodeSegment(parts[1] ?? '');
  if (parts.length === 3 && parts[0] === 'sites' && parts[2] === 'ws') return decodeSegment(parts[1] ?? '');
  if (parts.length === 1 && parts[0] === 'ws') return headerSite(headers) ?? search.get('site');
  return undefined;
}
