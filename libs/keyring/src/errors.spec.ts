import { KEYRING_ERROR_CODES, KeyringError, SITE_INVALID_CODES, isSiteInvalidError } from './errors';

describe('KeyringError registry', () => {
  it('has a message per code; site-invalid codes are exactly the ERR_KEYRING_SITE_* ones', () => {
    const codes = Object.keys(KEYRING_ERROR_CODES);
    expect(codes.every((code) => /^ERR_KEYRING_[A-Z_]+$/.test(code))).toBe(true);
    expect([...SITE_INVALID_CODES].sort()).toEqual(codes.filter((code) => code.startsWith('ERR_KEYRING_SITE_')).sort());
  });

  it('carries the code, the registry message and the detail', () => {
    const error = new KeyringError('ERR_KEYRING_SITE_TOO_MANY_KEYS', '3 keys');
    expect(error.code).toBe('ERR_KEYRING_SITE_TOO_MANY_KEYS');
    expect(error.message).toBe('more than two keys: 3 keys');
    expect(error.name).toBe('KeyringError');
    expect(isSiteInvalidError(error)).toBe(true);
    expect(isSiteInvalidError(new KeyringError('ERR_KEYRING_FINGERPRINT_CONFLICT'))).toBe(false);
    expect(isSiteInvalidError(new Error('x'))).toBe(false);
  });
});
