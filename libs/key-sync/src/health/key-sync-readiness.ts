import type { ReadinessCheck } from '@pos-link/platform';
import { KeySyncError } from '../errors/key-sync-errors';
import type { KeySyncReadiness } from '../sync/key-sync-engine';

/** The name of key-sync's readiness check in `/health/ready`. */
export const KEYS_READINESS_CHECK = 'keys';

/** Longest list of site ids quoted in a readiness reason (the platform cuts reasons at 200 characters). */
const MAX_LISTED_SITES = 10;

/**
 * `/health/ready`'s `keys` check (DESIGN §2/§7): up when the store has been read and every configured site has
 * a key valid now, or encryption off; down with `ERR_KEYSYNC_NOT_STARTED` or `ERR_KEYSYNC_SITE_KEYS_MISSING`
 * naming the sites (ids only, never keys).
 *
 * Degraded sites (stale-while-error) do NOT make the replica unready: their keys are still valid and key-sync
 * serves no traffic a load balancer could move elsewhere, so failing readiness would only stall rollouts during
 * a Portal outage. The warning is the `poslink_keysync_site_degraded` gauge and the `KeySyncSiteDegraded` log
 * event (see docs/specs/key-sync.md §5).
 */
export function keySyncReadinessCheck(source: { readiness(): KeySyncReadiness }): ReadinessCheck {
  return {
    name: KEYS_READINESS_CHECK,
    check: async () => {
      const readiness = source.readiness();
      if (!readiness.started) throw new KeySyncError('ERR_KEYSYNC_NOT_STARTED');
      if (readiness.missing.length > 0) {
        const listed = readiness.missing.slice(0, MAX_LISTED_SITES).join(', ');
        const more = readiness.missing.length > MAX_LISTED_SITES ? ` and ${readiness.missing.length - MAX_LISTED_SITES} more` : '';
        throw new KeySyncError('ERR_KEYSYNC_SITE_KEYS_MISSING', `${listed}${more}`);
      }
    },
  };
}
