import { ALE_SUITE_NAMES, encodeAleIv, generateAleIv, isAleSuiteName, parseAleIv, type AleSuiteName } from './index';
import { captureCryptoError } from './testing';

const IV_BYTES: Record<AleSuiteName, number> = { 'aes-256-gcm': 12, 'aes-256-cbc': 16 };

describe.each(ALE_SUITE_NAMES.map((s) => [s]))('ALE IV, %s', (suite) => {
  const bytes = IV_BYTES[suite];
  // 0xfb 0xff bytes make the standard and url alphabets differ ('+/' vs '-_')
  const iv = Buffer.alloc(bytes, 0xfb).fill(0xff, 1, 2);

  it('generateAleIv gives the suite length, fresh each time', () => {
    expect(generateAleIv(suite)).toHaveLength(bytes);
    expect(generateAleIv(suite)).not.toEqual(generateAleIv(suite));
  });

  it('encodeAleIv writes standard base64', () => {
    expect(encodeAleIv(iv)).toBe(iv.toString('base64'));
  });

  it.each([
    ['base64', iv.toString('base64')],
    ['base64 without padding', iv.toString('base64').replace(/=+$/, '')],
    ['base64url', iv.toString('base64url')],
    ['lower-case hex', iv.toString('hex')],
    ['upper-case hex', iv.toString('hex').toUpperCase()],
  ])('parseAleIv reads %s', (_form, text) => {
    expect(parseAleIv(suite, text)).toEqual(iv);
  });

  it.each([
    ['one byte short (base64)', iv.subarray(1).toString('base64')],
    ['one byte long (base64)', Buffer.concat([iv, Buffer.alloc(1)]).toString('base64')],
    ['one byte short (hex)', iv.subarray(1).toString('hex')],
    ['one byte long (hex)', Buffer.concat([iv, Buffer.alloc(1)]).toString('hex')],
    ['an odd hex digit count', `${iv.toString('hex')}0`],
    ['hex with a non-hex letter', `${iv.toString('hex').slice(1)}g`],
    ['surrounding whitespace', ` ${iv.toString('base64')}`],
    ['a character outside the alphabet', `${iv.toString('base64').slice(1)}*`],
    ['an empty string', ''],
    ['the other suite’s IV', Buffer.alloc(bytes === 12 ? 16 : 12).toString('base64')],
  ])('parseAleIv refuses %s with ERR_CRYPTO_IV_INVALID', (_form, text) => {
    expect(captureCryptoError(() => parseAleIv(suite, text)).code).toBe('ERR_CRYPTO_IV_INVALID');
  });
});

describe('ALE suite names', () => {
  it('isAleSuiteName accepts exactly the listed suites', () => {
    expect(ALE_SUITE_NAMES).toEqual(['aes-256-gcm', 'aes-256-cbc']);
    for (const name of ALE_SUITE_NAMES) expect(isAleSuiteName(name)).toBe(true);
    for (const name of ['AES-256-GCM', 'aes-128-gcm', 'toString', '__proto__', '', 1, null]) {
      expect(isAleSuiteName(name)).toBe(false);
    }
  });

  it('ALE_SUITE_NAMES is frozen', () => {
    expect(Object.isFrozen(ALE_SUITE_NAMES)).toBe(true);
  });

  it('parseAleIv and generateAleIv refuse an unknown suite or a non-string IV (TypeError)', () => {
    expect(() => generateAleIv('des' as AleSuiteName)).toThrow(TypeError);
    expect(() => parseAleIv('des' as AleSuiteName, 'AAAA')).toThrow(TypeError);
    expect(() => parseAleIv('aes-256-gcm', 12 as unknown as string)).toThrow(TypeError);
  });
});
