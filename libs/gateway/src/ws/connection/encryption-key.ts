import { canEncrypt, type CachedSite, type KeyLookup } from '@pos-link/keyring';

/**
 * The key a message to a WebSocket client is sealed with (DESIGN §2/§4): the key the client itself last
 * used while it may ENCRYPT (`validAfter <= now < validUntil`, no skew, no grace), otherwise the
 * encrypt-capable key with the latest `validAfter`, otherwise none. The keyring's `selectEncryptionKey`
 * rule, over the cached lookups directly so the per-message path allocates nothing.
 */
export function encryptionKeyFor(site: CachedSite | undefined, now: number, preferredFingerprint: string | undefined): KeyLookup | undefined {
  if (site === undefined) return undefined;
  let latest: KeyLookup | undefined;
  for (const lookup of site.keys) {
    if (!canEncrypt(lookup.key, now)) continue;
    if (lookup.key.fingerprint === preferredFingerprint) return lookup;
    if (latest === undefined || lookup.key.validAfter > latest.key.validAfter) latest = lookup;
  }
  return latest;
}
