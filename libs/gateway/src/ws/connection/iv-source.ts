import { randomFillSync } from 'node:crypto';

/**
 * Random bytes fetched per refill: 4 KiB is 341 GCM IVs per call into the CSPRNG instead of one — the
 * per-call cost, not the bytes, dominated `generateAleIv` in the WebSocket hot path's profile
 * (tools/bench/src/gateway-ws.bench.ts).
 */
const POOL_BYTES = 4096;

let pool = Buffer.alloc(0);
let offset = 0;

/**
 * A fresh random IV for sealing a message to a WebSocket client: the next unused bytes of a pool filled
 * from the CSPRNG (`randomFillSync`), never handed out twice (a spent pool is replaced, not refilled in
 * place, so an IV already returned never changes). Same randomness as `generateAleIv`, fewer calls.
 *
 * @param bytes the suite's IV length (12 for GCM, 16 for CBC)
 */
export function nextIv(bytes: number): Buffer {
  if (!Number.isSafeInteger(bytes) || bytes < 1 || bytes > POOL_BYTES) throw new TypeError('nextIv: bytes out of range');
  if (offset + bytes > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafeSlow(POOL_BYTES));
    offset = 0;
  }
  const iv = pool.subarray(offset, offset + bytes);
  offset += bytes;
  return iv;
}
