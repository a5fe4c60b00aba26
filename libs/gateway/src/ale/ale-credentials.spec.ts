import { gatewayErrorCode } from '../testing/capture-gateway-error';
import { parseAleCredentials, type RawAleCredentials } from './ale-credentials';

const FP = 'b6e4b70983144e192bd7eea24c698f54';
const IV_B64 = 'nkaVcqRaTmVWOy0m';
const IV_HEX = '9e469572a45a4e65563b2d26';
const raw = (over: Partial<RawAleCredentials>): RawAleCredentials => ({ fingerprint: FP, iv: IV_B64, timestamp: undefined, alg: undefined, ...over });
const BOTH = ['aes-256-gcm', 'aes-256-cbc'] as const;

describe('parseAleCredentials', () => {
  it('reads base64, base64url and hex IVs to the same bytes, the default suite being the first allowed', () => {
    for (const iv of [IV_B64, IV_HEX, IV_HEX.toUpperCase(), Buffer.from(IV_HEX, 'hex').toString('base64url')]) {
      const parsed = parseAleCredentials(raw({ iv }), BOTH);
      expect(parsed.iv.toString('hex')).toBe(IV_HEX);
      expect(parsed.suite).toBe('aes-256-gcm');
    }
  });

  it('keeps the timestamp text for the AAD and its value for the window', () => {
    expect(parseAleCredentials(raw({ timestamp: '0001767225600001' }), BOTH)).toMatchObject({ timestamp: '0001767225600001', timestampMs: 1767225600001 });
    expect(parseAleCredentials(raw({ timestamp: '' }), BOTH)).toMatchObject({ timestamp: undefined, timestampMs: undefined });
  });

  it('takes sec-alg when allowed', () => {
    expect(parseAleCredentials(raw({ alg: 'aes-256-cbc', iv: 'edqik3A9lr1hXsXdSkCvuQ==' }), BOTH).suite).toBe('aes-256-cbc');
  });

  it.each<[string, Partial<RawAleCredentials>, readonly ('aes-256-gcm' | 'aes-256-cbc')[], string]>([
    ['no fingerprint', { fingerprint: undefined }, BOTH, 'ERR_GATEWAY_FINGERPRINT_MISSING'],
    ['an empty fingerprint', { fingerprint: '' }, BOTH, 'ERR_GATEWAY_FINGERPRINT_MISSING'],
    ['a fingerprint with a space', { fingerprint: 'a b' }, BOTH, 'ERR_GATEWAY_FINGERPRINT_MISSING'],
    ['a fingerprint of 129 characters', { fingerprint: 'f'.repeat(129) }, BOTH, 'ERR_GATEWAY_FINGERPRINT_MISSING'],
    ['no IV', { iv: undefined }, BOTH, 'ERR_GATEWAY_IV_MISSING'],
    ['an empty IV', { iv: '' }, BOTH, 'ERR_GATEWAY_IV_MISSING'],
    ['an unknown suite', { alg: 'aes-128-gcm' }, BOTH, 'ERR_GATEWAY_ALG_UNSUPPORTED'],
    ['a suite not allowed', { alg: 'aes-256-cbc' }, ['aes-256-gcm'], 'ERR_GATEWAY_ALG_UNSUPPORTED'],
    ['a GCM IV under CBC', { alg: 'aes-256-cbc' }, BOTH, 'ERR_GATEWAY_IV_INVALID'],
    ['an IV with whitespace', { iv: ` ${IV_B64}` }, BOTH, 'ERR_GATEWAY_IV_INVALID'],
    ['a timestamp with a sign', { timestamp: '+1' }, BOTH, 'ERR_GATEWAY_TIMESTAMP_INVALID'],
    ['a timestamp over 16 digits', { timestamp: '12345678901234567' }, BOTH, 'ERR_GATEWAY_TIMESTAMP_INVALID'],
  ])('refuses %s', async (_case, over, suites, code) => {
    expect(await gatewayErrorCode(() => parseAleCredentials(raw(over), suites))).toBe(code);
  });
});
