import fc from 'fast-check';
import {
  ALE_SUITE_NAMES,
  CRYPTO_ERROR_CODES,
  aleAad,
  aleDecrypt,
  aleEncrypt,
  deriveAleKey,
  generateAleIv,
  parseAleIv,
  type AleSuiteName,
} from './index';
import { captureCryptoError, loadVectors, type AleVector } from './testing';

const { ale, aleMustFail } = loadVectors();

function label(v: AleVector): string {
  return `${v.suite}, key "${v.keyValue}", ${Buffer.from(v.plaintextB64, 'base64').length}-byte plaintext${v.timestamp === null ? '' : ', timestamp'}`;
}

function inputs(v: AleVector) {
  return {
    key: deriveAleKey(v.keyValue),
    iv: parseAleIv(v.suite, v.iv),
    aad: aleAad(v.fingerprint, v.timestamp),
    plaintext: Buffer.from(v.plaintextB64, 'base64'),
  };
}

describe('ALE known answers (shared/vectors ale)', () => {
  it('covers both suites', () => {
    expect(new Set(ale.map((v) => v.suite))).toEqual(new Set(ALE_SUITE_NAMES));
  });

  describe.each(ale.map((v) => [label(v), v] as const))('%s', (_name, v) => {
    it('aleAad reproduces the vector AAD (GCM)', () => {
      if (v.aad !== null) expect(aleAad(v.fingerprint, v.timestamp).toString('utf8')).toBe(v.aad);
    });

    it('parseAleIv reads the IV given as base64 and as hex alike', () => {
      expect(parseAleIv(v.suite, v.ivHex)).toEqual(parseAleIv(v.suite, v.iv));
      expect(parseAleIv(v.suite, v.ivHex.toUpperCase())).toEqual(Buffer.from(v.ivHex, 'hex'));
    });

    it('aleEncrypt with the given IV reproduces the ciphertext', () => {
      const { key, iv, aad, plaintext } = inputs(v);
      expect(aleEncrypt(v.suite, key, iv, plaintext, aad)).toBe(v.ciphertext);
    });

    it('aleDecrypt reproduces the plaintext (IV given as hex)', () => {
      const { key, aad, plaintext } = inputs(v);
      expect(aleDecrypt(v.suite, key, parseAleIv(v.suite, v.ivHex), v.ciphertext, aad)).toEqual(plaintext);
    });
  });
});

describe('ALE must-fail vectors (shared/vectors aleMustFail)', () => {
  it.each(aleMustFail.map((v) => [v.why, v] as const))('aleDecrypt refuses: %s', (_why, v) => {
    const { key, iv, aad } = inputs(v);
    const error = captureCryptoError(() => aleDecrypt(v.suite, key, iv, v.ciphertext, aad));
    expect(error.code).toBe('ERR_CRYPTO_DECRYPT_FAILED');
    expect(error.message).toBe(CRYPTO_ERROR_CODES.ERR_CRYPTO_DECRYPT_FAILED);
  });
});

describe('aleDecrypt ciphertext text', () => {
  const v = ale.find((x) => x.suite === 'aes-256-gcm' && x.timestamp === null)!;
  const { key, iv, aad, plaintext } = inputs(v);
  const raw = Buffer.from(v.ciphertext, 'base64');
  const decrypt = (text: string | Buffer) => aleDecrypt(v.suite, key, iv, text, aad);
  const failure = (text: string | Buffer) => captureCryptoError(() => decrypt(text)).code;

  it('accepts the url alphabet, missing padding and surrounding whitespace', () => {
    expect(raw.length % 3).not.toBe(0); // the vector really has padding to drop
    expect(decrypt(raw.toString('base64url'))).toEqual(plaintext);
    expect(decrypt(v.ciphertext.replace(/=+$/, ''))).toEqual(plaintext);
    expect(decrypt(` \r\n\t${v.ciphertext}\r\n `)).toEqual(plaintext);
  });

  it('accepts the decoded bytes', () => {
    expect(decrypt(raw)).toEqual(plaintext);
  });

  // Each corruption below is one that `Buffer.from(text, 'base64')` reads as the very same bytes, so
  // only the strict check can refuse it (the first assertion proves the case is not vacuous).
  it.each([
    ['an inner space', (t: string) => `${t.slice(0, 8)} ${t.slice(8)}`],
    ['an inner line break', (t: string) => `${t.slice(0, 8)}\n${t.slice(8)}`],
    ['a character outside the alphabet', (t: string) => `${t.slice(0, 8)}*${t.slice(8)}`],
    ['a non-ASCII letter whose low byte is a base64 letter', (t: string) => t.replace('D', '\u0144')],
    ['both alphabets mixed', (t: string) => t.replace('+', '-')],
    ['partial padding', (t: string) => t.replace(/==$/, '=')],
    ['surrounding non-ASCII whitespace', (t: string) => `\u00a0${t}`],
    ['a JSON string literal (the caller unwraps those)', (t: string) => JSON.stringify(t)],
  ])('refuses %s with ERR_CRYPTO_DECRYPT_FAILED', (_name, corrupt) => {
    const text = corrupt(v.ciphertext);
    expect(text).not.toBe(v.ciphertext);
    expect(Buffer.from(text, 'base64')).toEqual(raw);
    expect(failure(text)).toBe('ERR_CRYPTO_DECRYPT_FAILED');
  });

  it.each([
    ['empty text', ''],
    ['whitespace only', '  \n'],
    ['an inner "="', `${v.ciphertext.slice(0, 8)}=${v.ciphertext.slice(8)}`],
    ['a 15-byte (short) tag', raw.subarray(0, 15).toString('base64')],
  ])('refuses %s', (_name, text) => {
    expect(failure(text)).toBe('ERR_CRYPTO_DECRYPT_FAILED');
  });

  it('refuses a CBC ciphertext that is not a whole number of blocks', () => {
    const cbc = ale.find((x) => x.suite === 'aes-256-cbc' && x.plaintextB64 !== '')!;
    const c = inputs(cbc);
    const short = Buffer.from(cbc.ciphertext, 'base64').subarray(1);
    expect(captureCryptoError(() => aleDecrypt('aes-256-cbc', c.key, c.iv, short)).code).toBe('ERR_CRYPTO_DECRYPT_FAILED');
  });
});

describe('aleEncrypt / aleDecrypt', () => {
  const key = deriveAleKey('secret');

  it('encrypt → decrypt round-trips any plaintext, key, AAD and suite', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ALE_SUITE_NAMES),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 600 }),
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.option(fc.bigInt({ min: 0n, max: 2n ** 53n }).map(String), { nil: undefined }),
        (suite, keyBytes, plaintext, fingerprint, timestamp) => {
          const k = Buffer.from(keyBytes);
          const iv = generateAleIv(suite);
          const aad = aleAad(fingerprint, timestamp);
          const text = aleEncrypt(suite, k, iv, Buffer.from(plaintext), aad);
          expect(aleDecrypt(suite, k, iv, text, aad)).toEqual(Buffer.from(plaintext));
        },
      ),
    );
  });

  it('GCM: flipping any one bit of the ciphertext or tag fails', () => {
    const iv = generateAleIv('aes-256-gcm');
    const aad = aleAad('fp');
    const sealed = Buffer.from(aleEncrypt('aes-256-gcm', key, iv, Buffer.from('{"orderId":"1001"}'), aad), 'base64');
    fc.assert(
      fc.property(fc.nat({ max: sealed.length * 8 - 1 }), (bit) => {
        const tampered = Buffer.from(sealed);
        tampered[bit >> 3] ^= 1 << (bit & 7);
        const error = captureCryptoError(() => aleDecrypt('aes-256-gcm', key, iv, tampered, aad));
        expect(error.code).toBe('ERR_CRYPTO_DECRYPT_FAILED');
      }),
    );
  });

  it('GCM: the empty plaintext is the bare 16-byte tag and still authenticates', () => {
    const iv = generateAleIv('aes-256-gcm');
    const text = aleEncrypt('aes-256-gcm', key, iv, Buffer.alloc(0), aleAad('fp'));
    expect(Buffer.from(text, 'base64')).toHaveLength(16);
    expect(aleDecrypt('aes-256-gcm', key, iv, text, aleAad('fp'))).toHaveLength(0);
    expect(captureCryptoError(() => aleDecrypt('aes-256-gcm', key, iv, text, aleAad('other'))).code).toBe(
      'ERR_CRYPTO_DECRYPT_FAILED',
    );
  });

  it('CBC binds no AAD: any AAD, or none, gives the same result', () => {
    const iv = generateAleIv('aes-256-cbc');
    const plaintext = Buffer.from('hello');
    const text = aleEncrypt('aes-256-cbc', key, iv, plaintext, aleAad('a'));
    expect(aleEncrypt('aes-256-cbc', key, iv, plaintext)).toBe(text);
    expect(aleDecrypt('aes-256-cbc', key, iv, text, aleAad('b'))).toEqual(plaintext);
  });

  it('CBC: a wrong key fails (bad padding) or yields other bytes, never the plaintext', () => {
    const iv = generateAleIv('aes-256-cbc');
    const plaintext = Buffer.from('{"a":1}');
    const text = aleEncrypt('aes-256-cbc', key, iv, plaintext);
    let refused = 0;
    for (let i = 0; i < 64; i++) {
      try {
        expect(aleDecrypt('aes-256-cbc', deriveAleKey(`wrong ${i}`), iv, text)).not.toEqual(plaintext);
      } catch (error) {
        expect(captureCryptoError(() => { throw error; }).code).toBe('ERR_CRYPTO_DECRYPT_FAILED');
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(48); // ≈ 255/256 of random keys break the padding
  });

  it.each<[string, () => unknown]>([
    ['an unknown suite', () => aleEncrypt('aes-128-gcm' as AleSuiteName, key, Buffer.alloc(12), Buffer.alloc(0))],
    ['a 16-byte key', () => aleEncrypt('aes-256-gcm', Buffer.alloc(16), Buffer.alloc(12), Buffer.alloc(0))],
    ['a key given as text', () => aleDecrypt('aes-256-gcm', 'secret' as unknown as Buffer, Buffer.alloc(12), 'AAAA')],
    ['a CBC-sized IV under GCM', () => aleDecrypt('aes-256-gcm', key, Buffer.alloc(16), 'AAAA')],
    ['a plaintext given as text', () => aleEncrypt('aes-256-gcm', key, Buffer.alloc(12), 'x' as unknown as Buffer)],
    ['a ciphertext that is neither text nor bytes', () => aleDecrypt('aes-256-gcm', key, Buffer.alloc(12), 42 as unknown as string)],
    ['an AAD given as text', () => aleDecrypt('aes-256-gcm', key, Buffer.alloc(12), 'AAAA', 'fp' as unknown as Buffer)],
  ])('throws TypeError for %s', (_name, call) => {
    expect(call).toThrow(TypeError);
  });
});

describe('aleAad', () => {
  it('is the fingerprint, or fingerprint.timestamp', () => {
    expect(aleAad('b6e4').toString()).toBe('b6e4');
    expect(aleAad('b6e4', null).toString()).toBe('b6e4');
    expect(aleAad('b6e4', '1767225600001').toString()).toBe('b6e4.1767225600001');
  });

  it('refuses an empty fingerprint or timestamp (TypeError)', () => {
    expect(() => aleAad('')).toThrow(TypeError);
    expect(() => aleAad('fp', '')).toThrow(TypeError);
  });
});

describe('ALE keys as KeyObject (toAesKeyObject)', () => {
  // Imported lazily to keep this block self-contained.
  const crypto = jest.requireActual<typeof import('./index')>('./index');

  it.each(['aes-256-gcm', 'aes-256-cbc'] as const)('%s gives the same ciphertext with a KeyObject as with the bytes', (suite) => {
    const bytes = crypto.deriveAleKey('secret');
    const keyObject = crypto.toAesKeyObject(bytes);
    const iv = crypto.generateAleIv(suite);
    const aad = crypto.aleAad('b6e4b70983144e192bd7eea24c698f54');
    const plaintext = Buffer.from('{"orderId":"1001"}');
    const viaBytes = crypto.aleEncrypt(suite, bytes, iv, plaintext, aad);
    expect(crypto.aleEncrypt(suite, keyObject, iv, plaintext, aad)).toBe(viaBytes);
    expect(crypto.aleDecrypt(suite, keyObject, iv, viaBytes, aad)).toEqual(plaintext);
  });

  it('refuses a KeyObject of the wrong size or type with TypeError', () => {
    const { createSecretKey, generateKeyPairSync } = jest.requireActual<typeof import('node:crypto')>('node:crypto');
    expect(() => crypto.toAesKeyObject(createSecretKey(Buffer.alloc(16)))).toThrow(TypeError);
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const iv = crypto.generateAleIv('aes-256-gcm');
    expect(() => crypto.aleEncrypt('aes-256-gcm', publicKey as never, iv, Buffer.alloc(1))).toThrow(TypeError);
  });
});
