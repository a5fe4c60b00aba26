/**
 * PES frame decoder throughput (libs/protocol's state machine) vs. the naive decoder most code starts with
 * (Buffer.concat of the backlog on every chunk), over the same stream of 200-byte frames cut into TCP-like
 * chunks of random sizes (issue 2).
 */
import { PesFrameDecoder, encodePesFrame } from '@pos-link/protocol';
import { measureSync, ratioLine } from './harness';

const FRAMES = 2000;
const body = Buffer.from(JSON.stringify({ source: 'pos', version: '1.0', msg_id: 'x'.repeat(36), msg_type: 'create_order', msg_data: 'y'.repeat(80) }));
const stream = Buffer.concat(Array.from({ length: FRAMES }, () => encodePesFrame(body)));

// Deterministic pseudo-random chunking (mostly MTU-sized, some tiny, some large).
const chunks: Buffer[] = [];
let seed = 42;
for (let off = 0; off < stream.length; ) {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  const size = [1460, 1460, 1460, 7, 64, 9000][seed % 6];
  chunks.push(stream.subarray(off, off + size));
  off += size;
}

function naiveDecode(): number {
  let backlog = Buffer.alloc(0);
  let count = 0;
  for (const chunk of chunks) {
    backlog = Buffer.concat([backlog, chunk]);
    while (backlog.length >= 4) {
      const len = backlog.readUInt32LE(0);
      if (backlog.length < 4 + len) break;
      backlog.subarray(4, 4 + len);
      backlog = backlog.subarray(4 + len);
      count++;
    }
  }
  return count;
}

function stateMachineDecode(): number {
  const decoder = new PesFrameDecoder();
  let count = 0;
  for (const chunk of chunks) count += decoder.push(chunk).length;
  return count;
}

if (naiveDecode() !== FRAMES || stateMachineDecode() !== FRAMES) throw new Error('decoders disagree');

let sm = 0;
let naive = 0;
for (let round = 0; round < 3; round++) {
  naive = Math.max(naive, measureSync(naiveDecode, { batch: FRAMES }).opsPerSec);
  sm = Math.max(sm, measureSync(stateMachineDecode, { batch: FRAMES }).opsPerSec);
}
console.log(
  ratioLine('PES frame decode (200 B frames, mixed chunks)', { label: 'PesFrameDecoder', value: sm }, { label: 'naive concat', value: naive }, 'frames/s', {
    op: '>=',
    value: 1.0,
  }),
);
