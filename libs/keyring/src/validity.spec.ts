import fc from 'fast-check';
import type { SiteKey } from './site-key';
import { canDecrypt, canEncrypt, isPastGrace, selectEncryptionKey } from './validity';

const T0 = Date.UTC(2024, 6, 4);
const HOUR = 3_600_000;
const SKEW = 60_000;
const GRACE = 60_000;

function key(fingerprint: string, validAfter: number, validUntil: number): SiteKey {
  return { fingerprint, value: `value-of-${fingerprint}`, validAfter, validUntil };
}

describe('canDecrypt', () => {
  const k = key('a', T0, T0 + HOUR);

  it('accepts validAfter - skew <= now < validUntil + grace', () => {
    expect(canDecrypt(k, T0 - SKEW, SKEW, GRACE)).toBe(true);
    expect(canDecrypt(k, T0, SKEW, GRACE)).toBe(true);
    expect(canDecrypt(k, T0 + HOUR, SKEW, GRACE)).toBe(true);
    expect(canDecrypt(k, T0 + HOUR + GRACE - 1, SKEW, GRACE)).toBe(true);
  });

  it('refuses just outside the window', () => {
    expect(canDecrypt(k, T0 - SKEW - 1, SKEW, GRACE)).toBe(false);
    expect(canDecrypt(k, T0 + HOUR + GRACE, SKEW, GRACE)).toBe(false);
  });

  it('is exactly the half-open interval (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -2 * HOUR, max: 3 * HOUR }), fc.nat(HOUR), fc.nat(HOUR), (offset, skew, grace) => {
        const now = T0 + offset;
        expect(canDecrypt(k, now, skew, grace)).toBe(now >= T0 - skew && now < T0 + HOUR + grace);
      }),
    );
  });
});

describe('canEncrypt', () => {
  const k = key('a', T0, T0 + HOUR);

  it('accepts validAfter <= now < validUntil, no skew, no grace', () => {
    expect(canEncrypt(k, T0 - 1)).toBe(false);
    expect(canEncrypt(k, T0)).toBe(true);
    expect(canEncrypt(k, T0 + HOUR - 1)).toBe(true);
    expect(canEncrypt(k, T0 + HOUR)).toBe(false);
  });
});

describe('isPastGrace', () => {
  it('is true from validUntil + grace on', () => {
    const k = key('a', T0, T0 + HOUR);
    expect(isPastGrace(k, T0 + HOUR + GRACE - 1, GRACE)).toBe(false);
    expect(isPastGrace(k, T0 + HOUR + GRACE, GRACE)).toBe(true);
  });
});

describe('selectEncryptionKey', () => {
  // The seed 001 shape: previous valid until after current starts (an overlap).
  const previous = key('prev', T0 - 10 * HOUR, T0 + 2 * HOUR);
  const current = key('curr', T0, T0 + 20 * HOUR);
  const keys = [previous, current];

  it('takes the preferred key while it can encrypt', () => {
    expect(selectEncryptionKey(keys, T0 + HOUR, 'prev')).toBe(previous);
    expect(selectEncryptionKey(keys, T0 + HOUR, 'curr')).toBe(current);
  });

  it('otherwise takes the encrypt-capable key with the latest validAfter', () => {
    expect(selectEncryptionKey(keys, T0 + HOUR)).toBe(current);
    expect(selectEncryptionKey(keys, T0 + HOUR, 'unknown')).toBe(current);
    expect(selectEncryptionKey([current, previous], T0 + HOUR)).toBe(current);
  });

  it('drops the preferred key once it cannot encrypt (no grace for encryption)', () => {
    expect(selectEncryptionKey(keys, T0 + 2 * HOUR, 'prev')).toBe(current);
  });

  it('takes the previous key before the current one starts', () => {
    expect(selectEncryptionKey(keys, T0 - 1, 'curr')).toBe(previous);
  });

  it('returns undefined when no key can encrypt', () => {
    expect(selectEncryptionKey(keys, T0 + 20 * HOUR)).toBeUndefined();
    expect(selectEncryptionKey([], T0)).toBeUndefined();
  });

  it('always returns a key that can encrypt, and one exists whenever any key can (property)', () => {
    const arbKey = fc
      .tuple(fc.integer({ min: -10, max: 10 }), fc.integer({ min: 1, max: 10 }), fc.constantFrom('a', 'b', 'c', 'd'))
      .map(([start, length, fp]) => key(fp, T0 + start * HOUR, T0 + (start + length) * HOUR));
    fc.assert(
      fc.property(fc.array(arbKey, { maxLength: 3 }), fc.integer({ min: -12, max: 22 }), fc.option(fc.constantFrom('a', 'b', 'x')), (ks, h, pref) => {
        const now = T0 + h * HOUR;
        const chosen = selectEncryptionKey(ks, now, pref ?? undefined);
        const capable = ks.filter((k) => canEncrypt(k, now));
        if (capable.length === 0) expect(chosen).toBeUndefined();
        else {
          expect(chosen).toBeDefined();
          expect(canEncrypt(chosen!, now)).toBe(true);
          const preferred = capable.find((k) => k.fingerprint === pref);
          if (preferred) expect(chosen!.fingerprint).toBe(pref);
          else expect(chosen!.validAfter).toBe(Math.max(...capable.map((k) => k.validAfter)));
        }
      }),
    );
  });
});
