import type { AesKey } from './assert';
import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { SymmetricSuite } from './symmetric-suite';

const BLOCK_BYTES = 16;

/**
 * Checks PKCS#7 padding of the last block without branching on its bytes and returns the pad length,
 * or 0 when the padding is invalid. A padding check that returns early is the classic padding oracle;
 * OpenSSL's own check is careful too, but it reports failure by throwing, which costs a measurable
 * stack capture that a good padding does not, so padding is removed here instead.
 */
function pkcs7PadLength(block: Buffer): number {
  const last = block.length - 1;
  const pad = block[last];
  // bad = 1 when pad is 0 or above the block size
  let bad = ((pad - 1) >>> 31) | ((BLOCK_BYTES - pad) >>> 31);
  for (let i = 0; i < BLOCK_BYTES; i++) {
    const inPad = (i - pad) >>> 31; // 1 when i < pad
    const differs = ((block[last - i] ^ pad) + 0xff) >>> 8; // 1 when the byte is not `pad`
    bad |= inPad & differs;
  }
  return pad & (bad - 1); // bad ? 0 : pad
}

/**
 * AES-256-CBC with PKCS#7 padding: the legacy compatibility suite. It has no integrity: callers must
 * check what the plaintext is (DESIGN §3: valid UTF-8/JSON) before trusting it, and AAD is ignored.
 */
export const AES_256_CBC: SymmetricSuite = Object.freeze({
  name: 'aes-256-cbc',
  ivBytes: BLOCK_BYTES,
  tagBytes: 0,
  bindsAad: false,
  minSealedBytes: BLOCK_BYTES,
  sealedMultipleOf: BLOCK_BYTES,

  seal(key: AesKey, iv: Buffer, plaintext: Buffer): Buffer {
    const cipher = createCipheriv('aes-256-cbc', key, iv);
    const head = cipher.update(plaintext);
    return Buffer.concat([head, cipher.final()]);
  },

  open(key: AesKey, iv: Buffer, sealed: Buffer): Buffer | undefined {
    const decipher = createDecipheriv('aes-256-cbc', key, iv);
    decipher.setAutoPadding(false);
    const head = decipher.update(sealed);
    const tail = decipher.final(); // empty: the length is a whole number of blocks
    const padded = tail.length === 0 ? head : Buffer.concat([head, tail]);
    const pad = pkcs7PadLength(padded);
    if (pad === 0) {
      padded.fill(0);
      return undefined;
    }
    return padded.subarray(0, padded.length - pad);
  },
});
