import { createHash } from 'node:crypto';
import { randomFingerprint, randomKeyValue, randomUuid, seededRandom, systemRandom } from './random-source';

describe('random source', () => {
  it('seededRandom is reproducible and seed-dependent', () => {
    expect(seededRandom('a').bytes(40)).toEqual(seededRandom('a').bytes(40));
    expect(seededRandom('a').bytes(40)).not.toEqual(seededRandom('b').bytes(40));
    // Known answer: the first block is SHA-256("a:0").
    expect(seededRandom('a').bytes(32).toString('hex')).toBe(createHash('sha256').update('a:0').digest('hex'));
  });

  it('randomUuid makes RFC 9562 version-4 UUIDs', () => {
    for (let i = 0; i < 50; i += 1) {
      expect(randomUuid(systemRandom)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  it('randomFingerprint is the MD5 hex of a random UUID (seed 001)', () => {
    const uuid = randomUuid(seededRandom('s'));
    expect(randomFingerprint(seededRandom('s'))).toBe(createHash('md5').update(uuid).digest('hex'));
  });

  it('randomKeyValue is 32 base64url characters', () => {
    expect(randomKeyValue(systemRandom)).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
});
