import { ArrayNotEmpty, ArrayUnique, IsString, MinLength, ValidateBy } from 'class-validator';
import { isValidSiteId } from '@pos-link/keyring';
import { EnvVar, IsIntInRange, IsUrlWithProtocols } from '@pos-link/platform';
import { KeyedServiceConfig } from '@pos-link/keyring';


/**
 * Site ids become part of Redis keys (`{site:<id>}`) and URLs: the keyring's rule (1-128 URL-unreserved
 * characters starting with a letter or digit), checked at boot rather than failing at the first write.
 */
function IsSiteIdList(): PropertyDecorator {
  return ValidateBy({
    name: 'isSiteIdList',
    validator: {
      validate: (value: unknown) => Array.isArray(value) && value.every((siteId) => isValidSiteId(siteId)),
      defaultMessage: () => 'site ids must be 1-128 of A-Z a-z 0-9 . _ ~ - starting with a letter or digit',
    },
  });
}

/** A Portal that has not answered in 10 s is down for our purpose; the next try comes after the back-off. */
const DEFAULT_PORTAL_TIMEOUT_MS = 10_000;

/**
 * Back-off cap: 5 minutes. Keys rotate on the scale of hours with an overlap (seed 001), so a few minutes of
 * extra staleness during an outage costs nothing, while hammering a failing Portal from every site does.
 */
const DEFAULT_BACKOFF_MAX_MS = 300_000;

/** Lock TTL: a dead leader is replaced within TTL + TTL/3 (about 7 s), "within a few seconds". */
const DEFAULT_LOCK_TTL_MS = 5_000;

/** Below this a lock TTL cannot survive one Redis round trip plus a GC pause. */
const MIN_LOCK_TTL_MS = 100;

/**
 * Upper bound of the interval variables: a day. Longer makes no sense for keys that rotate with an overlap,
 * and it keeps every timer far below Node's 2^31-1 ms limit (past it a timer fires at once: a poll storm).
 */
const MAX_INTERVAL_MS = 86_400_000;

/** Upper bound of the Portal timeout and the lock TTL: ten minutes. */
const MAX_TIMEOUT_MS = 600_000;

/**
 * key-sync's configuration (DESIGN §2, §8): every variable, its default and its rule, read once at
 * boot by `loadConfig(KeySyncConfig)`.
 */
export class KeySyncConfig extends KeyedServiceConfig {
  /** `OPS_PORT`, default 9081 (DESIGN §8). */
  override opsPort = 9081;

  /** `PORTAL_URL`; `undefined` only in the standalone process, where the Portal simulator supplies it. */
  @EnvVar({
    name: 'PORTAL_URL',
    kind: 'url',
    doc: 'Portal base URL (GET {PORTAL_URL}/sites/{siteId}). Standalone mode: unset starts the Portal simulator.',
  })
  @IsUrlWithProtocols(['http', 'https'])
  portalUrl?: string;

  /** `PORTAL_AUTH`; `undefined` only in the standalone process (with the simulator). */
  @EnvVar({ name: 'PORTAL_AUTH', kind: 'string', secret: true, doc: 'The Authorization header value sent to the Portal.' })
  @IsString()
  @MinLength(1)
  portalAuth?: string;

  /** `SITE_IDS`. */
  @EnvVar({ name: 'SITE_IDS', kind: 'list', doc: 'The sites to keep keys for, comma-separated.' })
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsSiteIdList()
  siteIds!: string[];

  /** `PORTAL_SERVICE`. */
  @EnvVar({ name: 'PORTAL_SERVICE', doc: "The security-field entry to read from the site object (seed 001's example: XKM)." })
  @IsString()
  @MinLength(1)
  portalService = 'XKM';

  /** `KEYSYNC_POLL_MS`. */
  @EnvVar({
    name: 'KEYSYNC_POLL_MS',
    kind: 'integer',
    doc: "Poll interval per site (jittered; earlier as a key's valid_until approaches).",
  })
  @IsIntInRange(1, MAX_INTERVAL_MS)
  keysyncPollMs = 60_000;

  /** `KEYSYNC_REFRESH_MIN_MS`. */
  @EnvVar({
    name: 'KEYSYNC_REFRESH_MIN_MS',
    kind: 'integer',
    doc: 'At most one Portal fetch per site per this interval for on-demand refreshes (shared by all replicas); also the shortest poll interval near a key\'s expiry.',
  })
  @IsIntInRange(0, MAX_INTERVAL_MS)
  keysyncRefreshMinMs = 5_000;

  /** `KEYSYNC_PORTAL_TIMEOUT_MS`. */
  @EnvVar({
    name: 'KEYSYNC_PORTAL_TIMEOUT_MS',
    kind: 'integer',
    doc: 'A Portal fetch (connect, headers and body) must complete within this; otherwise it counts as a timeout and backs off.',
  })
  @IsIntInRange(1, MAX_TIMEOUT_MS)
  keysyncPortalTimeoutMs = DEFAULT_PORTAL_TIMEOUT_MS;

  /** `KEYSYNC_BACKOFF_MAX_MS`. */
  @EnvVar({
    name: 'KEYSYNC_BACKOFF_MAX_MS',
    kind: 'integer',
    doc: 'Cap of the per-site back-off after failed syncs (exponential from max(KEYSYNC_REFRESH_MIN_MS, 1 s), jittered).',
  })
  @IsIntInRange(1, MAX_INTERVAL_MS)
  keysyncBackoffMaxMs = DEFAULT_BACKOFF_MAX_MS;

  /** `KEYSYNC_LOCK_TTL_MS`. */
  @EnvVar({
    name: 'KEYSYNC_LOCK_TTL_MS',
    kind: 'integer',
    doc: 'Leader lock TTL (Redis mode): renewed every TTL/3; a dead leader is replaced within about TTL + TTL/3.',
  })
  @IsIntInRange(MIN_LOCK_TTL_MS, MAX_TIMEOUT_MS)
  keysyncLockTtlMs = DEFAULT_LOCK_TTL_MS;
}
