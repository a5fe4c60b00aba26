import { KEYSYNC_ERROR_CODES, KeySyncError, isKeySyncError } from './key-sync-errors';

describe('KEYSYNC_ERROR_CODES', () => {
  it('holds only ERR_KEYSYNC_ codes with a fixed message each', () => {
    for (const [code, message] of Object.entries(KEYSYNC_ERROR_CODES)) {
      expect(code).toMatch(/^ERR_KEYSYNC_[A-Z_]+$/);
      expect(message.length).toBeGreaterThan(0);
    }
  });
});

describe('KeySyncError', () => {
  it('carries its code, the registry message and the detail', () => {
    const cause = new Error('socket hang up');
    const error = new KeySyncError('ERR_KEYSYNC_PORTAL_HTTP_STATUS', 'site s1: HTTP 502', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('KeySyncError');
    expect(error.code).toBe('ERR_KEYSYNC_PORTAL_HTTP_STATUS');
    expect(error.message).toBe('Portal answered an unexpected HTTP status: site s1: HTTP 502');
    expect(error.cause).toBe(cause);
    expect(new KeySyncError('ERR_KEYSYNC_NOT_STARTED').message).toBe('key-sync has not started yet');
  });

  it('isKeySyncError matches the class and, optionally, the code', () => {
    const error = new KeySyncError('ERR_KEYSYNC_PORTAL_TIMEOUT');
    expect(isKeySyncError(error)).toBe(true);
    expect(isKeySyncError(error, 'ERR_KEYSYNC_PORTAL_TIMEOUT')).toBe(true);
    expect(isKeySyncError(error, 'ERR_KEYSYNC_NOT_LEADER')).toBe(false);
    expect(isKeySyncError(Object.assign(new Error('x'), { code: 'ERR_KEYSYNC_PORTAL_TIMEOUT' }))).toBe(false);
  });
});
