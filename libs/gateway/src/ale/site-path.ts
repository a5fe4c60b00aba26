import { isValidSiteId } from '@pos-link/keyring';
import { GatewayError } from '../errors/gateway-error';

/** DESIGN §3: a request addresses a site explicitly with this path prefix, stripped before forwarding. */
export const SITE_PATH_PREFIX = '/sites/';

/** A request target split into the explicitly addressed site (if any) and what is forwarded. */
export interface SitePath {
  /** The site of a `/sites/{siteId}/` prefix; undefined when the path has none. */
  readonly siteId: string | undefined;
  /** Path and query to forward: the prefix stripped (`/sites/42/order?x=1` → `/order?x=1`). */
  readonly forwardPath: string;
}

/**
 * Splits a request target (`req.url`, origin-form) per DESIGN §3. `/sites/42/order?x` → site `42`,
 * `/order?x`; `/sites/42` and `/sites/42?x` → site `42`, `/` (`/?x`); anything else → no site, the target
 * unchanged. A target that is not origin-form (`*`, absolute-form) addresses nothing.
 *
 * @throws GatewayError `ERR_GATEWAY_SITE_UNADDRESSED` when the prefix's segment is not a valid site id
 *   (site ids are URL-unreserved characters, so a percent-escape is never part of one) or the target is
 *   not origin-form
 */
export function splitSitePath(target: string): SitePath {
  if (target.charCodeAt(0) !== 0x2f /* / */) throw new GatewayError('ERR_GATEWAY_SITE_UNADDRESSED');
  if (!target.startsWith(SITE_PATH_PREFIX)) return { siteId: undefined, forwardPath: target };
  const start = SITE_PATH_PREFIX.length;
  let end = start;
  while (end < target.length) {
    const c = target.charCodeAt(end);
    if (c === 0x2f /* / */ || c === 0x3f /* ? */ || c === 0x23 /* # */) break;
    end++;
  }
  const siteId = target.slice(start, end);
  if (!isValidSiteId(siteId)) throw new GatewayError('ERR_GATEWAY_SITE_UNADDRESSED');
  const rest = target.slice(end);
  return { siteId, forwardPath: rest.charCodeAt(0) === 0x2f ? rest : `/${rest}` };
}
