import { createHash, randomBytes } from 'node:crypto';

/** Where the simulator's key values and fingerprints come from. */
export interface RandomSource {
  /** `length` random bytes. */
  bytes(length: number): Buffer;
}

/** The default: `crypto.randomBytes`. */
export const systemRandom: RandomSource = { bytes: (length) => randomBytes(length) };

/**
 * A deterministic source for tests and reproducible demos: SHA-256 in counter mode over the seed. Not for
 * secrets anyone relies on — the whole point is that the seed reproduces them.
 */
export function seededRandom(seed: string): RandomSource {
  let counter = 0;
  return {
    bytes(length: number): Buffer {
      const blocks: Buffer[] = [];
      for (let total = 0; total < length; total += 32) {
        blocks.push(createHash('sha256').update(`${seed}:${counter}`).digest());
        counter += 1;
      }
      return Buffer.concat(blocks).subarray(0, length);
    },
  };
}

/** A version-4 UUID (RFC 9562 §5.4) from the source. */
export function randomUuid(random: RandomSource): string {
  const b = random.bytes(16);
  b.writeUInt8((b.readUInt8(6) & 0x0f) | 0x40, 6); // version 4
  b.writeUInt8((b.readUInt8(8) & 0x3f) | 0x80, 8); // variant 10
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Seed 001: the fingerprint is "an encrypted UUID with MD5 or similar algorithm" — MD5 hex of a fresh UUID. */
export function randomFingerprint(random: RandomSource): string {
  return createHash('md5').update(randomUuid(random)).digest('hex');
}

/** A key value: 24 random bytes as base64url (32 characters), a pass phrase like the Portal's. */
export function randomKeyValue(random: RandomSource): string {
  return random.bytes(24).toString('base64url');
}
