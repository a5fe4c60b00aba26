/**
 * Fetching a site's keys from the Portal for the CLI (DESIGN §2, seed 001): `GET {portal}/sites/{id}`
 * with `Authorization`, the security entry `XKM` (configurable), and the key to encrypt with per DESIGN §2
 * (valid now, the latest `valid_after`). Parsing — the seed's three-digit seconds `0SS` included — and
 * selection are `@pos-link/keyring`'s, so the tool reads site objects exactly as key-sync does.
 */
import { DEFAULT_PORTAL_SERVICE, isSiteInvalidError, parseSiteSecurity, selectEncryptionKey, type SiteKey, type SiteSecurity } from '@pos-link/keyring';
import { request, type Dispatcher } from 'undici';
import { AleClientError } from './errors';

/** A site object is a few KiB; anything far larger is not one (and is not buffered). */
const MAX_SITE_OBJECT_BYTES = 1024 * 1024;

/** Options of {@link fetchPortalKeys}. */
export interface PortalKeysOptions {
  /** The Portal base URL (`PORTAL_URL`). */
  readonly portalUrl: string;
  /** The `Authorization` value (`PORTAL_AUTH`; a secret: never printed). */
  readonly auth: string;
  /** The site id. */
  readonly siteId: string;
  /** The security-field entry; default `XKM`. */
  readonly service?: string;
  /** "Now" for key selection; default `Date.now()`. */
  readonly now?: number;
  /** undici dispatcher; default the global one. */
  readonly dispatcher?: Dispatcher;
}

/** A site's keys as the Portal lists them. */
export interface PortalKeys {
  /** Every listed key, fingerprint → value (for reading answers under either key). */
  readonly values: Readonly<Record<string, string>>;
  /** The listed keys with parsed validity. */
  readonly keys: readonly SiteKey[];
  /** The key to encrypt with now (DESIGN §2). */
  readonly current: SiteKey;
}

/**
 * Fetches and validates a site object and picks the key to encrypt with.
 * @throws AleClientError `ERR_ALE_CLIENT_PORTAL_UNAVAILABLE` (network error or status ≠ 200),
 *   `ERR_ALE_CLIENT_PORTAL_SITE_INVALID` (not JSON, or refused by keyring's checks; `reason` = its code),
 *   `ERR_ALE_CLIENT_ENCRYPTION_OFF`, `ERR_ALE_CLIENT_NO_VALID_KEY`
 */
export async function fetchPortalKeys(options: PortalKeysOptions): Promise<PortalKeys> {
  const url = new URL(`${options.portalUrl.replace(/\/+$/, '')}/sites/${encodeURIComponent(options.siteId)}`);
  let status: number;
  let text: string;
  try {
    const res = await request(url, {
      method: 'GET',
      headers: { authorization: options.auth, accept: 'application/json' },
      dispatcher: options.dispatcher,
    });
    status = res.statusCode;
    const length = Number(res.headers['content-length'] ?? 0);
    if (status !== 200 || length > MAX_SITE_OBJECT_BYTES) {
      await res.body.dump();
      throw new AleClientError('ERR_ALE_CLIENT_PORTAL_UNAVAILABLE', { status });
    }
    text = await res.body.text();
  } catch (cause) {
    if (cause instanceof AleClientError) throw cause;
    throw new AleClientError('ERR_ALE_CLIENT_PORTAL_UNAVAILABLE', { cause });
  }
  let siteObject: unknown;
  try {
    siteObject = JSON.parse(text);
  } catch {
    throw new AleClientError('ERR_ALE_CLIENT_PORTAL_SITE_INVALID', { reason: 'not JSON' });
  }
  let security: SiteSecurity;
  try {
    security = parseSiteSecurity(siteObject, options.service ?? DEFAULT_PORTAL_SERVICE);
  } catch (cause) {
    if (isSiteInvalidError(cause)) throw new AleClientError('ERR_ALE_CLIENT_PORTAL_SITE_INVALID', { reason: cause.code, cause });
    throw cause;
  }
  if (!security.encryption) throw new AleClientError('ERR_ALE_CLIENT_ENCRYPTION_OFF');
  const current = selectEncryptionKey(security.keys, options.now ?? Date.now());
  if (current === undefined) throw new AleClientError('ERR_ALE_CLIENT_NO_VALID_KEY');
  return {
    values: Object.fromEntries(security.keys.map((k) => [k.fingerprint, k.value])),
    keys: security.keys,
    current,
  };
}
