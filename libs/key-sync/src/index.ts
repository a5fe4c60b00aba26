/**
 * `@pos-link/key-sync` — key-sync's behaviour (DESIGN §2): fetch every configured site's object from the
 * Portal, validate it, keep its keys fresh in the key store (Redis, wrapped at rest; or in memory), serve
 * on-demand refreshes, back off and serve stale keys on Portal errors, one leader at a time (Redis lock).
 * `apps/key-sync` only builds and listens.
 */
export { KeySyncConfig } from './key-sync-config';
export { KEY_SYNC_CONFIG, KEY_SYNC_ENGINE } from './key-sync.tokens';
export { KeySyncModule } from './key-sync.module';
export { KEY_SYNC_APP_NAME, createKeySyncApp, type KeySyncAppOptions } from './key-sync-app.factory';
export { buildKeySyncEngine, type BuiltKeySyncEngine, type KeySyncEngineParts } from './build-key-sync-engine';

export { KEYSYNC_ERROR_CODES, KeySyncError, isKeySyncError, type KeySyncErrorCode } from './errors/key-sync-errors';

export { KeySyncEngine, type KeySyncEngineOptions, type KeySyncReadiness } from './sync/key-sync-engine';
export { FETCH_OUTCOMES, type FetchOutcome, type SyncReport, type SyncStatus } from './sync/sync-report';
export {
  MIN_BACKOFF_MS,
  POLL_JITTER_FRACTION,
  backoffDelay,
  nextPollDelay,
  type BackoffTiming,
  type PollTiming,
} from './sync/schedule';

export { MAX_SITE_OBJECT_BYTES, PortalClient, type PortalClientOptions, type SiteObjectSource } from './portal/portal-client';

export { SoleLeader, type LeaderElection } from './leader/leader-election';
export { RedisLeaderLock, type RedisLeaderLockOptions } from './leader/redis-leader-lock';
export { keySyncRedisLayout, type KeySyncRedisLayout } from './key-sync-redis-layout';

export { KEYS_READINESS_CHECK, keySyncReadinessCheck } from './health/key-sync-readiness';
export { REFRESH_OUTCOMES, type RefreshOutcome, type SiteGaugeSnapshot } from './telemetry/key-sync-metrics';
export type { KeySyncLogger } from './telemetry/key-sync-telemetry';
