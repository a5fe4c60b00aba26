import { deriveAleKey } from '@pos-link/crypto';
import { AleClientKeys } from './client-keys';
import { isAleClientError } from './errors';

describe('AleClientKeys', () => {
  it('holds SHA-256 of each value by fingerprint', () => {
    const keys = new AleClientKeys({ a: 'secret' });
    keys.add('b', 'other');
    expect(keys.key('a').export().toString('hex')).toBe('2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b');
    expect(keys.key('b').export().equals(deriveAleKey('other'))).toBe(true);
    expect(keys.has('c')).toBe(false);
  });

  it('refuses an unknown fingerprint with ERR_ALE_CLIENT_FINGERPRINT_UNKNOWN', () => {
    try {
      new AleClientKeys().key('nope');
      throw new Error('no error');
    } catch (error) {
      expect(isAleClientError(error, 'ERR_ALE_CLIENT_FINGERPRINT_UNKNOWN')).toBe(true);
    }
  });

  it('refuses empty fingerprints and values with TypeError', () => {
    expect(() => new AleClientKeys({ '': 'x' })).toThrow(TypeError);
    expect(() => new AleClientKeys({ a: '' })).toThrow(TypeError);
  });
});
