import { IV_POOL_BYTES, IV_POOL_MAX_TAKE, randomIvBytes } from './iv-pool';

type IvPoolModule = typeof import('./iv-pool');

/**
 * Loads a fresh copy of the pool whose CSPRNG writes a counter (0, 1, 2, … mod 256 across refills), so a
 * test can see exactly which drawn bytes each IV got.
 */
function poolOverCounter(): { pool: IvPoolModule; fills: () => number } {
  let next = 0;
  let fills = 0;
  let pool: IvPoolModule | undefined;
  jest.isolateModules(() => {
    jest.doMock('node:crypto', () => ({
      ...jest.requireActual<typeof import('node:crypto')>('node:crypto'),
      randomFillSync: (buffer: Buffer) => {
        fills++;
        for (let i = 0; i < buffer.length; i++) buffer[i] = next++ & 0xff;
        return buffer;
      },
    }));
    pool = jest.requireActual<IvPoolModule>('./iv-pool');
  });
  jest.dontMock('node:crypto');
  return { pool: pool as IvPoolModule, fills: () => fills };
}

describe('randomIvBytes', () => {
  it('gives the asked length, different bytes each time (across several refills)', () => {
    const seen = new Set<string>();
    const count = Math.ceil((3 * IV_POOL_BYTES) / 12);
    for (let i = 0; i < count; i++) {
      const iv = randomIvBytes(12);
      expect(iv).toHaveLength(12);
      seen.add(iv.toString('hex'));
    }
    expect(seen.size).toBe(count);
  });

  it('hands every drawn byte out at most once, in order, dropping only a too-short remainder', () => {
    const { pool, fills } = poolOverCounter();
    const perBatch = Math.floor(IV_POOL_BYTES / 16);
    const ivs = Array.from({ length: perBatch + 2 }, () => pool.randomIvBytes(16));
    expect(fills()).toBe(2);
    // First batch: bytes 0..perBatch*16-1 in order; the 16 - remainder bytes at its end are never used.
    ivs.slice(0, perBatch).forEach((iv, i) => {
      expect([...iv]).toEqual(Array.from({ length: 16 }, (_, j) => (i * 16 + j) & 0xff));
    });
    // Second batch starts at the next drawn byte.
    expect([...(ivs[perBatch] as Buffer)]).toEqual(Array.from({ length: 16 }, (_, j) => (IV_POOL_BYTES + j) & 0xff));
  });

  it('returns copies: changing one IV changes no other and nothing later handed out', () => {
    const { pool } = poolOverCounter();
    const first = pool.randomIvBytes(12);
    first.fill(0xee);
    const second = pool.randomIvBytes(12);
    expect([...second]).toEqual(Array.from({ length: 12 }, (_, j) => 12 + j));
    expect(first.buffer === second.buffer && first.byteOffset + 12 > second.byteOffset && first.byteOffset < second.byteOffset + 12).toBe(false);
  });

  it.each([0, -1, 1.5, IV_POOL_MAX_TAKE + 1, Number.NaN])('refuses length %p (TypeError)', (length) => {
    expect(() => randomIvBytes(length)).toThrow(TypeError);
  });
});
