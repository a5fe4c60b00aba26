import { KeyringError, isSiteInvalidError, parseSiteSecurity, type KeyStore } from '@pos-link/keyring';
import { KeySyncError, isKeySyncError, type KeySyncErrorCode } from '../errors/key-sync-errors';
import type { SiteObjectSource } from '../portal/portal-client';
import type { FetchOutcome, SyncReport } from './sync-report';

/** What {@link syncSiteOnce} needs. */
export interface SiteSyncDeps {
  /** The Portal. */
  readonly portal: SiteObjectSource;
  /** The key store written. */
  readonly store: KeyStore;
  /** `PORTAL_SERVICE`: the security-field entry read (default `XKM`). */
  readonly service: string;
  /** The fencing check right before the write (`LeaderElection.confirm`). */
  readonly confirmLeader: () => Promise<boolean>;
  /** Wall clock (ms since the epoch): the record's `fetchedAt`. */
  readonly clock: () => number;
}

/** The fetch outcome of each Portal client error (anything else the client throws counts as `http_error`). */
const PORTAL_OUTCOMES: Partial<Record<KeySyncErrorCode, FetchOutcome>> = {
  ERR_KEYSYNC_PORTAL_HTTP_STATUS: 'http_error',
  ERR_KEYSYNC_PORTAL_UNREACHABLE: 'http_error',
  ERR_KEYSYNC_PORTAL_TIMEOUT: 'timeout',
  ERR_KEYSYNC_PORTAL_BODY_INVALID: 'invalid',
  ERR_KEYSYNC_PORTAL_BODY_TOO_LARGE: 'invalid',
};

/**
 * One sync of one site (DESIGN §2): fetch the site object, validate its security field ("parse liberally,
 * store strictly"), confirm leadership (fencing), replace the site's keys. Whatever goes wrong, the site keeps
 * its last good keys: nothing is written unless the whole object is valid. Never throws for Portal or store
 * trouble — it reports it; only programmer misuse (a `TypeError`) escapes.
 */
export async function syncSiteOnce(deps: SiteSyncDeps, siteId: string): Promise<SyncReport> {
  const fetchedAt = deps.clock();
  const refreshEpoch = await readRefreshEpoch(deps.store, siteId);
  let body: unknown;
  try {
    body = await deps.portal.fetchSite(siteId);
  } catch (error) {
    if (!isKeySyncError(error)) throw error;
    return { siteId, status: 'fetch_failed', outcome: PORTAL_OUTCOMES[error.code] ?? 'http_error', errorCode: error.code, reason: error.message };
  }

  let security: ReturnType<typeof parseSiteSecurity>;
  try {
    security = parseSiteSecurity(body, deps.service);
  } catch (error) {
    if (!isSiteInvalidError(error)) throw error;
    return { siteId, status: 'rejected', outcome: 'invalid', errorCode: error.code, reason: error.message };
  }
  const listed = security.keys.map((key) => ({ validAfter: key.validAfter, validUntil: key.validUntil }));
  const valid = { siteId, outcome: 'ok' as const, encryption: security.encryption, listed };

  if (!(await deps.confirmLeader())) {
    const fenced = new KeySyncError('ERR_KEYSYNC_NOT_LEADER', `site ${siteId}`);
    return { ...valid, status: 'fenced', errorCode: fenced.code, reason: fenced.message };
  }
  try {
    const written = await deps.store.replaceSite({
      siteId,
      encryption: security.encryption,
      keys: security.keys,
      fetchedAt,
      ...(refreshEpoch > 0 ? { refreshEpoch } : {}),
    });
    return { ...valid, status: 'written', written };
  } catch (error) {
    if (error instanceof KeyringError && error.code === 'ERR_KEYRING_FINGERPRINT_CONFLICT') {
      return { ...valid, status: 'rejected', outcome: 'conflict', errorCode: error.code, reason: error.message };
    }
    if (error instanceof TypeError) throw error;
    const failed = new KeySyncError('ERR_KEYSYNC_STORE_WRITE_FAILED', `site ${siteId}: ${codeOf(error)}`, { cause: error });
    return { ...valid, status: 'store_failed', errorCode: failed.code, reason: failed.message };
  }
}

/**
 * The site's refresh epoch, read BEFORE the fetch begins (docs/specs/key-sync.md §7): a gateway that advanced
 * it earlier asked for this fetch or an earlier one, so the listing it writes answers that request. When the
 * read fails (the store is down), the sync goes on without one: the write then fails on the same store and is
 * reported as `store_failed`, or it succeeds and carries no epoch — waiting readers then end at their bound,
 * never early on a listing that might predate their request.
 */
async function readRefreshEpoch(store: KeyStore, siteId: string): Promise<number> {
  try {
    return await store.currentRefreshEpoch(siteId);
  } catch (error) {
    if (error instanceof TypeError) throw error;
    return 0;
  }
}

/** A bounded description of a store failure: the keyring code, or the Redis/ioredis error name. */
function codeOf(error: unknown): string {
  if (error instanceof KeyringError) return error.code;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code)) return code;
  return error instanceof Error ? error.name : 'unknown error';
}
