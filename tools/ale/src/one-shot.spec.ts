import { loadVectors } from '@pos-link/crypto/testing';
import { isAleClientError } from './errors';
import { decryptAle, encryptAle } from './one-shot';

const { ale, aleMustFail } = loadVectors();

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isAleClientError(error) ? error.code : `not an AleClientError: ${String(error)}`;
  }
  return undefined;
}

describe('decryptAle', () => {
  it.each(ale.map((v, i) => [i, v.suite, v.timestamp ?? 'no timestamp', v] as const))(
    'decrypts vector ale[%i] (%s, %s) with its IV in base64 and in hex',
    (_i, _suite, _ts, v) => {
      const expected = Buffer.from(v.plaintextB64, 'base64');
      const common = { keyValue: v.keyValue, fingerprint: v.fingerprint, suite: v.suite, ciphertext: v.ciphertext, timestamp: v.timestamp ?? undefined };
      expect(decryptAle({ ...common, iv: v.iv }).equals(expected)).toBe(true);
      expect(decryptAle({ ...common, iv: v.ivHex }).equals(expected)).toBe(true);
    },
  );

  it.each(aleMustFail.map((v) => [v.why, v] as const))('refuses a must-fail vector (%s) with ERR_ALE_CLIENT_DECRYPT_FAILED', (_why, v) => {
    const options = { keyValue: v.keyValue, fingerprint: v.fingerprint, suite: v.suite, iv: v.iv, ciphertext: v.ciphertext };
    expect(codeOf(() => decryptAle({ ...options, timestamp: v.timestamp ?? undefined }))).toBe('ERR_ALE_CLIENT_DECRYPT_FAILED');
  });

  it('refuses an IV of the wrong length with ERR_ALE_CLIENT_MESSAGE_INVALID', () => {
    const v = ale[0]!;
    expect(codeOf(() => decryptAle({ keyValue: v.keyValue, fingerprint: v.fingerprint, iv: 'AAAA', ciphertext: v.ciphertext }))).toBe(
      'ERR_ALE_CLIENT_MESSAGE_INVALID',
    );
  });

  it('refuses misuse with TypeError', () => {
    expect(() => decryptAle({ keyValue: '', fingerprint: 'f', iv: 'x', ciphertext: 'y' })).toThrow(TypeError);
    expect(() => decryptAle({ keyValue: 'k', fingerprint: 'f', iv: 'x', ciphertext: 'y', suite: 'rot13' as never })).toThrow(TypeError);
  });
});

describe('encryptAle', () => {
  it.each(ale.map((v, i) => [i, v] as const))('reproduces vector ale[%i] with its IV, with the headers of DESIGN §3', (_i, v) => {
    const sealed = encryptAle({
      keyValue: v.keyValue,
      fingerprint: v.fingerprint,
      suite: v.suite,
      plaintext: Buffer.from(v.plaintextB64, 'base64'),
      iv: v.ivHex,
      timestamp: v.timestamp ?? undefined,
    });
    expect(sealed.ciphertext).toBe(v.ciphertext);
    const headers: Record<string, string> = { 'sec-fingerprint': v.fingerprint, 'sec-iv': v.iv, 'sec-alg': v.suite };
    if (v.timestamp !== null) headers['sec-timestamp'] = v.timestamp;
    expect(sealed.headers).toEqual(headers);
  });

  it('uses a fresh IV each time and binds timestamp: true as now', () => {
    const a = encryptAle({ keyValue: 'secret', fingerprint: 'fp', plaintext: '{}', timestamp: true, now: () => 1767225600001 });
    const b = encryptAle({ keyValue: 'secret', fingerprint: 'fp', plaintext: '{}' });
    expect(a.iv).not.toBe(b.iv);
    expect(a.timestamp).toBe('1767225600001');
    expect(a.headers['sec-timestamp']).toBe('1767225600001');
    expect(decryptAle({ keyValue: 'secret', fingerprint: 'fp', iv: a.iv, ciphertext: a.ciphertext, timestamp: '1767225600001' }).toString()).toBe('{}');
    expect(codeOf(() => decryptAle({ keyValue: 'secret', fingerprint: 'fp', iv: a.iv, ciphertext: a.ciphertext }))).toBe(
      'ERR_ALE_CLIENT_DECRYPT_FAILED',
    );
  });

  it('encrypts the empty plaintext too (GCM: the bare 16-byte tag)', () => {
    const sealed = encryptAle({ keyValue: 'secret', fingerprint: 'fp', plaintext: '' });
    expect(Buffer.from(sealed.ciphertext, 'base64')).toHaveLength(16);
  });

  it('refuses misuse with TypeError', () => {
    expect(() => encryptAle({ keyValue: 'k', fingerprint: '', plaintext: '' })).toThrow(TypeError);
    expect(() => encryptAle({ keyValue: 'k', fingerprint: 'f', plaintext: '', iv: 'short' })).toThrow(TypeError);
    expect(() => encryptAle({ keyValue: 'k', fingerprint: 'f', plaintext: '', timestamp: 'soon' })).toThrow(TypeError);
  });
});
