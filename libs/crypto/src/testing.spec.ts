import { CryptoError } from './index';
import { captureCryptoError, loadVectors } from './testing';

describe('loadVectors', () => {
  it('loads every vector set', () => {
    const v = loadVectors();
    expect(v.ale).toHaveLength(8);
    expect(v.aleMustFail).toHaveLength(6);
    expect(v.pes.messages).toHaveLength(3);
    expect(v.pes.registerClient.msg_id).toBe('reg-0001');
    expect(v.pes.frame.hex.startsWith('81000000')).toBe(true);
  });

  it('returns a fresh copy each call', () => {
    const a = loadVectors();
    (a.ale as unknown as unknown[]).length = 0;
    expect(loadVectors().ale).toHaveLength(8);
  });
});

describe('captureCryptoError', () => {
  it('returns the CryptoError thrown', () => {
    expect(captureCryptoError(() => { throw new CryptoError('ERR_CRYPTO_IV_INVALID'); }).code).toBe('ERR_CRYPTO_IV_INVALID');
  });

  it('rethrows anything else, and fails when nothing is thrown', () => {
    expect(() => captureCryptoError(() => { throw new TypeError('x'); })).toThrow(TypeError);
    expect(() => captureCryptoError(() => 1)).toThrow('expected a CryptoError');
  });
});
