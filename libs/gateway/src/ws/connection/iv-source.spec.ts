import { nextIv } from './iv-source';

describe('nextIv', () => {
  it('hands out IVs of the asked length that never repeat, across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const iv = nextIv(12);
      expect(iv).toHaveLength(12);
      seen.add(iv.toString('hex'));
    }
    expect(seen.size).toBe(2000);
  });

  it('an IV already returned is not changed by a refill', () => {
    const first = nextIv(16);
    const copy = Buffer.from(first);
    for (let i = 0; i < 1000; i++) nextIv(16);
    expect(first.equals(copy)).toBe(true);
  });

  it('refuses a nonsensical length', () => {
    expect(() => nextIv(0)).toThrow(TypeError);
    expect(() => nextIv(5000)).toThrow(TypeError);
  });
});
