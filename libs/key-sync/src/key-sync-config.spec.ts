import { ConfigError, describeConfig, loadConfig } from '@pos-link/platform';
import { KeySyncConfig } from './key-sync-config';

const REQUIRED = {
  REDIS_URL: 'redis://127.0.0.1:6379',
  KEY_WRAP_SECRET: 'k'.repeat(32),
  PORTAL_URL: 'https://portal.example',
  PORTAL_AUTH: 'Bearer portal-token',
  SITE_IDS: 's1, s2',
};

describe('KeySyncConfig', () => {
  it('declares every key-sync variable of DESIGN §8 (plus LOG_LEVEL, DRAIN_TIMEOUT_MS, OPS_HOST)', () => {
    expect(describeConfig(KeySyncConfig).map((row) => row.name)).toEqual([
      'LOG_LEVEL',
      'DRAIN_TIMEOUT_MS',
      'OPS_HOST',
      'OPS_PORT',
      'REDIS_URL',
      'REDIS_PREFIX',
      'KEY_WRAP_SECRET',
      'KEY_SKEW_MS',
      'KEY_GRACE_MS',
      'PORTAL_URL',
      'PORTAL_AUTH',
      'SITE_IDS',
      'PORTAL_SERVICE',
      'KEYSYNC_POLL_MS',
      'KEYSYNC_REFRESH_MIN_MS',
      'KEYSYNC_PORTAL_TIMEOUT_MS',
      'KEYSYNC_BACKOFF_MAX_MS',
      'KEYSYNC_LOCK_TTL_MS',
    ]);
  });

  it('has the defaults DESIGN §2 and §8 give', () => {
    const config = loadConfig(KeySyncConfig, REQUIRED);
    expect({ ...config }).toMatchObject({
      opsPort: 9081,
      portalService: 'XKM',
      keysyncPollMs: 60_000,
      keysyncRefreshMinMs: 5_000,
      keySkewMs: 60_000,
      keyGraceMs: 60_000,
      siteIds: ['s1', 's2'],
      keysyncPortalTimeoutMs: 10_000,
      keysyncBackoffMaxMs: 300_000,
      keysyncLockTtlMs: 5_000,
    });
  });

  it('refuses site ids that would break a Redis hash tag, and never shows PORTAL_AUTH', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig(KeySyncConfig, { ...REQUIRED, SITE_IDS: 'a,{b}', PORTAL_AUTH: '' , PORTAL_URL: 'ftp://x' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.issues.map((i) => i.message)).toEqual([
      'PORTAL_URL: must be a http:// or https:// URL (got "ftp://x")',
      'PORTAL_AUTH: is required (not set)',
      'SITE_IDS: site ids must be 1-128 of A-Z a-z 0-9 . _ ~ - starting with a letter or digit (got "a,{b}")',
    ]);
    expect(error?.message).not.toContain('portal-token');
  });

  it('uses the keyring\'s site id rule and refuses repeated site ids', () => {
    const issues = (env: Record<string, string>): string[] => {
      try {
        loadConfig(KeySyncConfig, { ...REQUIRED, ...env });
        return [];
      } catch (e) {
        return (e as ConfigError).issues.map((i) => i.name);
      }
    };
    expect(issues({ SITE_IDS: 'store-1,store_2.b,S~3' })).toEqual([]);
    expect(issues({ SITE_IDS: '-leading-dash' })).toEqual(['SITE_IDS']);
    expect(issues({ SITE_IDS: 'a/b' })).toEqual(['SITE_IDS']);
    expect(issues({ SITE_IDS: 's1,s1' })).toEqual(['SITE_IDS']);
  });

  it('bounds the timing variables', () => {
    const issues = (env: Record<string, string>): string[] => {
      try {
        loadConfig(KeySyncConfig, { ...REQUIRED, ...env });
        return [];
      } catch (e) {
        return (e as ConfigError).issues.map((i) => i.name);
      }
    };
    expect(issues({ KEYSYNC_LOCK_TTL_MS: '99' })).toEqual(['KEYSYNC_LOCK_TTL_MS']);
    expect(issues({ KEYSYNC_PORTAL_TIMEOUT_MS: '0', KEYSYNC_BACKOFF_MAX_MS: '0' })).toEqual([
      'KEYSYNC_PORTAL_TIMEOUT_MS',
      'KEYSYNC_BACKOFF_MAX_MS',
    ]);
    expect(issues({ KEYSYNC_REFRESH_MIN_MS: '0', KEYSYNC_LOCK_TTL_MS: '100' })).toEqual([]);
    // a day at most: Node fires a timer over 2^31-1 ms at once
    expect(issues({ KEYSYNC_POLL_MS: '86400001', KEYSYNC_BACKOFF_MAX_MS: '3000000000' })).toEqual([
      'KEYSYNC_POLL_MS',
      'KEYSYNC_BACKOFF_MAX_MS',
    ]);
  });
});
