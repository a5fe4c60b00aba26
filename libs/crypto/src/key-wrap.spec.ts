import fc from 'fast-check';
import { WRAP_SECRET_MIN_CHARS, deriveWrapKey, unwrapSecret, wrapSecret } from './index';
import { captureCryptoError } from './testing';

const SECRET = 'correct horse battery staple 0123456789';
const wrapKey = deriveWrapKey(SECRET);
const CONTEXT = 'site:42/key:b6e4b70983144e192bd7eea24c698f54';
/**
 * Computed with Python `cryptography`: HKDF(SHA256(), length=32, salt=None,
 * info=b'pos-link key-wrap v1 aes-256-gcm').derive(b'0123456789abcdef0123456789abcdef').hex()
 * (salt=None is RFC 5869's HashLen zeros, which an empty salt also means).
 */
const HKDF_KNOWN_ANSWER = 'f0b961f3ed64050a1cf5793db045f68d2f390f5593f457c32e54f57403adf47e';

describe('deriveWrapKey', () => {
  it('is HKDF-SHA256 with the documented info string (known answer)', () => {
    expect(deriveWrapKey('0123456789abcdef0123456789abcdef').toString('hex')).toBe(HKDF_KNOWN_ANSWER);
  });

  it('gives 32 bytes, the same for the same secret, different for another', () => {
    expect(wrapKey).toHaveLength(32);
    expect(deriveWrapKey(SECRET)).toEqual(wrapKey);
    expect(deriveWrapKey(`${SECRET}!`)).not.toEqual(wrapKey);
  });

  it(`throws TypeError for a secret under ${WRAP_SECRET_MIN_CHARS} characters or not a string`, () => {
    expect(WRAP_SECRET_MIN_CHARS).toBe(32);
    expect(() => deriveWrapKey('x'.repeat(31))).toThrow(TypeError);
    expect(() => deriveWrapKey('')).toThrow(TypeError);
    expect(() => deriveWrapKey(undefined as unknown as string)).toThrow(TypeError);
    expect(deriveWrapKey('x'.repeat(32))).toHaveLength(32);
  });
});

describe('wrapSecret / unwrapSecret', () => {
  it('round-trips any text under any context', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200, unit: 'grapheme' }), fc.string({ minLength: 1, maxLength: 60 }), (plaintext, context) => {
        expect(unwrapSecret(wrapKey, wrapSecret(wrapKey, plaintext, context), context)).toBe(plaintext);
      }),
    );
  });

  it('writes v1.<base64url IV>.<base64url ciphertext+tag>, fresh each time', () => {
    const a = wrapSecret(wrapKey, 'secret', CONTEXT);
    const b = wrapSecret(wrapKey, 'secret', CONTEXT);
    expect(a).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{30}$/); // 12-byte IV; 6 + 16 bytes
    expect(a).not.toBe(b);
    expect(a).not.toContain('secret');
  });

  const wrapped = wrapSecret(wrapKey, 'secret', CONTEXT);
  const [, iv, body] = wrapped.split('.') as [string, string, string];
  const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
  it.each([
    ['another context (another site)', wrapped, 'site:43/key:b6e4b70983144e192bd7eea24c698f54', wrapKey],
    ['another context (another key)', wrapped, 'site:42/key:8ad8c9b0faedd4799805510a91578849', wrapKey],
    ['another wrap key', wrapped, CONTEXT, deriveWrapKey(`${SECRET}?`)],
    ['a tampered ciphertext', `v1.${iv}.${flip(body, 2)}`, CONTEXT, wrapKey],
    ['a tampered tag', `v1.${iv}.${flip(body, body.length - 3)}`, CONTEXT, wrapKey],
    ['a tampered IV', `v1.${flip(iv, 0)}.${body}`, CONTEXT, wrapKey],
    ['an unknown version', `v2.${iv}.${body}`, CONTEXT, wrapKey],
    ['a missing part', `v1.${body}`, CONTEXT, wrapKey],
    ['an extra part', `${wrapped}.x`, CONTEXT, wrapKey],
    ['a short IV', `v1.${iv.slice(4)}.${body}`, CONTEXT, wrapKey],
    ['a truncated tag', `v1.${iv}.${body.slice(0, 20)}`, CONTEXT, wrapKey],
    ['bad base64', `v1.${iv}.${body}*`, CONTEXT, wrapKey],
    ['plain text', 'secret', CONTEXT, wrapKey],
  ])('refuses %s with ERR_CRYPTO_UNWRAP_FAILED', (_name, text, context, key) => {
    expect(captureCryptoError(() => unwrapSecret(key, text, context)).code).toBe('ERR_CRYPTO_UNWRAP_FAILED');
  });

  it.each<[string, () => unknown]>([
    ['an empty context', () => wrapSecret(wrapKey, 'x', '')],
    ['a short wrap key', () => wrapSecret(wrapKey.subarray(1), 'x', CONTEXT)],
    ['a Buffer plaintext', () => wrapSecret(wrapKey, Buffer.from('x') as unknown as string, CONTEXT)],
    ['unwrap with an empty context', () => unwrapSecret(wrapKey, wrapped, '')],
  ])('throws TypeError for %s', (_name, call) => {
    expect(call).toThrow(TypeError);
  });
});
