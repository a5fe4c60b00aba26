import { hash } from 'node:crypto';

/**
 * What the dedupe record of a `msg_id` holds: SHA-256 (hex) of the exact decrypted text. A resend is
 * the same event only if its plaintext is byte-identical (DESIGN §6: "same msg_id, same plaintext");
 * a hash keeps the record small and keeps event data out of the dedupe keys.
 *
 * `crypto.hash` (one shot, Node ≥ 20.12) costs a third of `createHash().update().digest()`: this runs
 * once per event.
 */
export function pesContentHash(data: string): string {
  return hash('sha256', data, 'hex');
}
