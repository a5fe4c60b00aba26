import { CRYPTO_ERROR_CODES, CryptoError, isCryptoError, type CryptoErrorCode } from './index';

describe('CryptoError', () => {
  it('carries its code, the registry description as message, and the name CryptoError', () => {
    const error = new CryptoError('ERR_CRYPTO_DECRYPT_FAILED');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('CryptoError');
    expect(error.code).toBe('ERR_CRYPTO_DECRYPT_FAILED');
    expect(error.message).toBe(CRYPTO_ERROR_CODES.ERR_CRYPTO_DECRYPT_FAILED);
  });

  it('isCryptoError narrows by class and, optionally, code', () => {
    const error = new CryptoError('ERR_CRYPTO_IV_INVALID');
    expect(isCryptoError(error)).toBe(true);
    expect(isCryptoError(error, 'ERR_CRYPTO_IV_INVALID')).toBe(true);
    expect(isCryptoError(error, 'ERR_CRYPTO_DECRYPT_FAILED')).toBe(false);
    expect(isCryptoError(Object.assign(new Error('x'), { code: 'ERR_CRYPTO_IV_INVALID' }))).toBe(false);
  });
});

describe('CRYPTO_ERROR_CODES', () => {
  it('is frozen and lists every code with a description', () => {
    expect(Object.isFrozen(CRYPTO_ERROR_CODES)).toBe(true);
    const codes: CryptoErrorCode[] = [
      'ERR_CRYPTO_DECRYPT_FAILED',
      'ERR_CRYPTO_IV_INVALID',
      'ERR_CRYPTO_RSA_KEY_INVALID',
      'ERR_CRYPTO_RSA_KEY_TOO_SMALL',
      'ERR_CRYPTO_UNWRAP_FAILED',
    ];
    expect(Object.keys(CRYPTO_ERROR_CODES).sort()).toEqual(codes.sort());
    for (const code of codes) expect(CRYPTO_ERROR_CODES[code]).toMatch(/^\S.{8,}$/);
  });

  it('the decryption message names no cause', () => {
    expect(CRYPTO_ERROR_CODES.ERR_CRYPTO_DECRYPT_FAILED).not.toMatch(/tag|pad|base64|key|length|auth/i);
  });
});
