import { isUtf8 } from 'node:buffer';
import { assertBytes } from './assert';

/**
 * Whether `bytes` are well-formed UTF-8 (no overlong forms, surrogates or truncated sequences).
 *
 * The CBC suite has no integrity, so a gateway must check a CBC plaintext before forwarding it
 * (DESIGN §3: valid UTF-8, and valid JSON when the request says JSON; anything else is errorCode 2).
 * Native (simdutf) and fast; the GCM suite does not need it.
 */
export function isWellFormedUtf8(bytes: Buffer): boolean {
  assertBytes(bytes, 'bytes');
  return isUtf8(bytes);
}
