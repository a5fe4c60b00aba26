/**
 * PES frame encoder (DESIGN §6, seed 003): u32 little-endian length, not counting itself, then the
 * body. The seed's example: a 129-byte JSON body is sent as `81 00 00 00` followed by the JSON.
 */
import { PES_FRAME_HEADER_BYTES, PES_FRAME_LENGTH_MAX } from './limits';

/**
 * Frames `body` (a string is encoded as UTF-8) in one allocation.
 * @throws TypeError for an empty body (the decoder refuses it) or one over 2^32 − 1 bytes
 */
export function encodePesFrame(body: Buffer | string): Buffer {
  if (typeof body === 'string') {
    const length = Buffer.byteLength(body, 'utf8');
    const frame = allocFrame(length);
    frame.write(body, PES_FRAME_HEADER_BYTES, 'utf8');
    return frame;
  }
  if (!(body instanceof Uint8Array)) throw new TypeError('body must be a Buffer or a string');
  const frame = allocFrame(body.length);
  frame.set(body, PES_FRAME_HEADER_BYTES);
  return frame;
}

function allocFrame(length: number): Buffer {
  if (length === 0) throw new TypeError('a PES frame body must not be empty');
  if (length > PES_FRAME_LENGTH_MAX) throw new TypeError('a PES frame body must be shorter than 4 GiB');
  const frame = Buffer.allocUnsafe(PES_FRAME_HEADER_BYTES + length);
  frame.writeUInt32LE(length, 0);
  return frame;
}
