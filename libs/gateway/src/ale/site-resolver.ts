import { GatewayError } from '../errors/gateway-error';
import type { KeySource } from './key-source';

/** Where a request goes, decided before any key is looked up (DESIGN §3 "Which site"). */
export type AleAddress =
  /** The addressed site has `encryption: false`: forward in plaintext, `sec-*` stripped. */
  | { readonly kind: 'plaintext'; readonly siteId: string }
  /**
   * An ALE request. `prefixSiteId`: the site of a `/sites/{id}/` prefix (the key must belong to it);
   * otherwise the fingerprint names the site. `refreshSiteId`: the site to refresh when the fingerprint is
   * unknown (the prefix's, else `DEFAULT_SITE_ID`); undefined = no refresh. `siteId`: the site known before
   * the lookup (prefix, or `DEFAULT_SITE_ID` for a request without fingerprint).
   */
  | {
      readonly kind: 'ale';
      readonly prefixSiteId: string | undefined;
      readonly refreshSiteId: string | undefined;
      readonly siteId: string | undefined;
    };

/**
 * Site addressing (DESIGN §3): the path prefix `/sites/{siteId}/` explicitly, else the site of the
 * fingerprint, else — with no fingerprint — `DEFAULT_SITE_ID`. A site the gateway has no record of is
 * treated as encrypted (fail closed: it is never forwarded in plaintext on a guess).
 */
export class SiteResolver {
  readonly #keys: KeySource;
  readonly #defaultSiteId: string | undefined;

  /**
   * @param keys the cached sites (their `encryption` flags)
   * @param defaultSiteId `DEFAULT_SITE_ID`
   */
  constructor(keys: KeySource, defaultSiteId: string | undefined) {
    this.#keys = keys;
    this.#defaultSiteId = defaultSiteId === '' ? undefined : defaultSiteId;
  }

  /**
   * @param prefixSiteId the site of the request's path prefix, if any
   * @param fingerprint the `sec-fingerprint` value as received (empty = absent)
   * @throws GatewayError `ERR_GATEWAY_SITE_UNADDRESSED` (errorCode 1) with neither prefix, fingerprint nor
   *   `DEFAULT_SITE_ID`
   */
  resolve(prefixSiteId: string | undefined, fingerprint: string | undefined): AleAddress {
    const hasFingerprint = fingerprint !== undefined && fingerprint !== '';
    const siteId = prefixSiteId ?? (hasFingerprint ? undefined : this.#defaultSiteId);
    if (siteId === undefined && !hasFingerprint) throw new GatewayError('ERR_GATEWAY_SITE_UNADDRESSED');
    if (siteId !== undefined && this.#keys.site(siteId)?.encryption === false) return { kind: 'plaintext', siteId };
    return { kind: 'ale', prefixSiteId, refreshSiteId: prefixSiteId ?? this.#defaultSiteId, siteId };
  }
}
