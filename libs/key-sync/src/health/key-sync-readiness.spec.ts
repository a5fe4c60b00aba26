import { isKeySyncError } from '../errors/key-sync-errors';
import type { KeySyncReadiness } from '../sync/key-sync-engine';
import { KEYS_READINESS_CHECK, keySyncReadinessCheck } from './key-sync-readiness';

async function outcome(readiness: KeySyncReadiness): Promise<string> {
  try {
    await keySyncReadinessCheck({ readiness: () => readiness }).check();
    return 'up';
  } catch (error) {
    return isKeySyncError(error) ? `${error.code}: ${error.message}` : String(error);
  }
}

describe('keySyncReadinessCheck', () => {
  it('is named "keys"', () => {
    expect(keySyncReadinessCheck({ readiness: () => ({ started: true, missing: [], degraded: [] }) }).name).toBe(KEYS_READINESS_CHECK);
  });

  it('is up when every site has valid keys, degraded sites included (a warning, not unreadiness)', async () => {
    expect(await outcome({ started: true, missing: [], degraded: ['s1'] })).toBe('up');
  });

  it('is down before the store was read, and names the sites without valid keys', async () => {
    expect(await outcome({ started: false, missing: ['s1'], degraded: [] })).toBe('ERR_KEYSYNC_NOT_STARTED: key-sync has not started yet');
    expect(await outcome({ started: true, missing: ['s1', 's2'], degraded: [] })).toBe(
      'ERR_KEYSYNC_SITE_KEYS_MISSING: no valid keys for site: s1, s2',
    );
    const many = Array.from({ length: 13 }, (_, i) => `site-${i}`);
    expect(await outcome({ started: true, missing: many, degraded: [] })).toBe(
      `ERR_KEYSYNC_SITE_KEYS_MISSING: no valid keys for site: ${many.slice(0, 10).join(', ')} and 3 more`,
    );
  });
});
