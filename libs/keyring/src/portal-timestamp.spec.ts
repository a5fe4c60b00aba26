import fc from 'fast-check';
import { KeyringError } from './errors';
import { parsePortalTimestamp } from './portal-timestamp';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof KeyringError ? error.code : `not a KeyringError: ${String(error)}`;
  }
  return undefined;
}

describe('parsePortalTimestamp', () => {
  it('reads the seed 001 example timestamps, three-digit seconds 000 as 00', () => {
    // Known answers: 2024-06-11T00:00:00Z is 1718064000 s after the epoch.
    expect(parsePortalTimestamp('2024-06-11T00:00:000Z')).toBe(1_718_064_000_000);
    expect(parsePortalTimestamp('2024-07-11T00:00:000Z')).toBe(1_720_656_000_000);
    expect(parsePortalTimestamp('2024-07-04T00:00:000Z')).toBe(1_720_051_200_000);
    expect(parsePortalTimestamp('2024-08-11T00:00:000Z')).toBe(1_723_334_400_000);
  });

  it('reads 0SS as SS for every second 00-59', () => {
    for (let s = 0; s < 60; s += 1) {
      const ss = String(s).padStart(2, '0');
      expect(parsePortalTimestamp(`2024-06-11T12:34:0${ss}Z`)).toBe(parsePortalTimestamp(`2024-06-11T12:34:${ss}Z`));
    }
    expect(parsePortalTimestamp('2024-06-11T00:00:059Z')).toBe(1_718_064_059_000);
  });

  it('refuses any other three-digit seconds', () => {
    for (const s of ['060', '099', '100', '159', '559', '600', '999']) {
      expect(codeOf(() => parsePortalTimestamp(`2024-06-11T00:00:${s}Z`))).toBe('ERR_KEYRING_TIMESTAMP_INVALID');
    }
  });

  it('reads ordinary ISO-8601 forms: fraction, offsets, minutes-only, end of day', () => {
    expect(parsePortalTimestamp('2024-06-11T00:00:00.123Z')).toBe(1_718_064_000_123);
    expect(parsePortalTimestamp('2024-06-11T00:00:00,5Z')).toBe(1_718_064_000_500);
    expect(parsePortalTimestamp('2024-06-11T00:00:00.123456789Z')).toBe(1_718_064_000_123);
    expect(parsePortalTimestamp('2024-06-11T02:00:00+02:00')).toBe(1_718_064_000_000);
    expect(parsePortalTimestamp('2024-06-10T17:00:00-0700')).toBe(1_718_064_000_000);
    expect(parsePortalTimestamp('2024-06-11T05:30:00+05:30')).toBe(1_718_064_000_000);
    expect(parsePortalTimestamp('2024-06-11T03:00+03')).toBe(1_718_064_000_000);
    expect(parsePortalTimestamp('2024-06-11T00:00Z')).toBe(1_718_064_000_000);
    expect(parsePortalTimestamp('2024-06-11t00:00:00z')).toBe(1_718_064_000_000);
    expect(parsePortalTimestamp('2024-06-11 00:00:00Z')).toBe(1_718_064_000_000);
    expect(parsePortalTimestamp('2024-06-10T24:00:00Z')).toBe(1_718_064_000_000);
    expect(parsePortalTimestamp('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
    expect(parsePortalTimestamp('0050-01-01T00:00:00Z')).toBe(new Date('0050-01-01T00:00:00Z').getTime());
  });

  it('agrees with Date for every millisecond-precision UTC instant of years 0000-9999 (property)', () => {
    const first = new Date('0000-01-01T00:00:00.000Z').getTime();
    const last = new Date('9999-12-31T23:59:59.999Z').getTime();
    fc.assert(
      fc.property(fc.integer({ min: first, max: last }), (ms) => {
        expect(parsePortalTimestamp(new Date(ms).toISOString())).toBe(ms);
      }),
    );
  });

  it.each([
    ['no zone (local time of an unknown zone)', '2024-06-11T00:00:00'],
    ['date only', '2024-06-11'],
    ['empty', ''],
    ['month 13', '2024-13-01T00:00:00Z'],
    ['30 February', '2024-02-30T00:00:00Z'],
    ['29 February in a common year', '2023-02-29T00:00:00Z'],
    ['hour 25', '2024-06-11T25:00:00Z'],
    ['24:00 with minutes', '2024-06-11T24:01:00Z'],
    ['minute 60', '2024-06-11T00:60:00Z'],
    ['leap second', '2024-06-30T23:59:60Z'],
    ['offset hour 24', '2024-06-11T00:00:00+24:00'],
    ['offset minute 60', '2024-06-11T00:00:00+01:60'],
    ['four-digit seconds', '2024-06-11T00:00:0000Z'],
    ['ten fraction digits', '2024-06-11T00:00:00.0000000000Z'],
    ['surrounding space', ' 2024-06-11T00:00:00Z'],
    ['expanded year', '+002024-06-11T00:00:00Z'],
    ['basic format', '20240611T000000Z'],
    ['words', 'tomorrow'],
    ['a very long text', `2024-06-11T00:00:00${'0'.repeat(100)}Z`],
  ])('refuses %s with ERR_KEYRING_TIMESTAMP_INVALID', (_why, text) => {
    expect(codeOf(() => parsePortalTimestamp(text))).toBe('ERR_KEYRING_TIMESTAMP_INVALID');
  });

  it('never repeats the text in its message', () => {
    try {
      parsePortalTimestamp('secret-looking-text');
      throw new Error('expected a failure');
    } catch (error) {
      expect((error as Error).message).not.toContain('secret-looking-text');
    }
  });

  it('throws TypeError for a non-string (programmer misuse)', () => {
    expect(() => parsePortalTimestamp(42 as unknown as string)).toThrow(TypeError);
  });
});
