import { seededRandom } from './random-source';
import { SimSite } from './sim-site';

const T0 = Date.UTC(2024, 6, 4);
const HOUR = 3_600_000;
const policy = { periodMs: 24 * HOUR, overlapMs: HOUR, leadMs: 0 };

function site(now = T0, overrides: Partial<typeof policy> = {}): SimSite {
  return new SimSite({ siteId: 's1', index: 1, encryption: true }, { ...policy, ...overrides }, seededRandom('t'), now);
}

describe('SimSite', () => {
  it('starts in steady state: previous key inside its overlap, current key just started', () => {
    const [previous, current] = site().listed(T0);
    expect(previous).toMatchObject({ validAfter: T0 - 24 * HOUR, validUntil: T0 + HOUR });
    expect(current).toMatchObject({ validAfter: T0, validUntil: T0 + 25 * HOUR });
    expect(previous!.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(previous!.fingerprint).not.toBe(current!.fingerprint);
  });

  it('rotate adds a key valid now, ends the previous one overlapMs later and lists at most two', () => {
    const s = site();
    const [, current] = s.listed(T0);
    const now = T0 + 24 * HOUR;
    const next = s.rotate(now);
    expect(next).toMatchObject({ validAfter: now, validUntil: now + 25 * HOUR });
    const listed = s.listed(now);
    expect(listed.map((k) => k.fingerprint)).toEqual([current!.fingerprint, next.fingerprint]);
    expect(listed[0]!.validUntil).toBe(now + HOUR); // the overlap: both valid for an hour
  });

  it('an early rotation shortens the previous key to the overlap', () => {
    const s = site();
    const now = T0 + 2 * HOUR;
    s.rotate(now);
    expect(s.listed(now)[0]!.validUntil).toBe(now + HOUR);
  });

  it('stops listing a key once it expired', () => {
    const s = site();
    expect(s.listed(T0 + HOUR - 1)).toHaveLength(2);
    expect(s.listed(T0 + HOUR)).toHaveLength(1);
  });

  it('with a lead, lists the new key before it becomes valid', () => {
    const s = site(T0, { leadMs: 5 * 60_000 });
    const next = s.rotate(T0 + HOUR);
    expect(next.validAfter).toBe(T0 + HOUR + 5 * 60_000);
    expect(s.listed(T0 + HOUR).map((k) => k.fingerprint)).toContain(next.fingerprint);
  });

  it('keeps valid_until after valid_after even for two rotations in one millisecond with no overlap', () => {
    const s = site(T0, { overlapMs: 0 });
    s.rotate(T0);
    s.rotate(T0);
    for (const key of s.listed(T0 - 1)) expect(key.validUntil).toBeGreaterThan(key.validAfter);
  });

  it('serves explicit initial keys as given', () => {
    const keys = [{ fingerprint: 'f1', value: 'v1', validAfter: T0, validUntil: T0 + HOUR }];
    const s = new SimSite({ siteId: 's', index: 1, encryption: true, keys }, policy, seededRandom('x'), T0);
    expect(s.listed(T0)).toEqual(keys);
  });
});
