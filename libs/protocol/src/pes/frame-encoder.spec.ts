import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePesFrame } from './frame-encoder';

/** Seed 003's 129-byte example from the independent implementation's vectors (a copy of shared/vectors). */
const VECTOR: { json: string; hex: string } = JSON.parse(readFileSync(join(__dirname, '../testing/vectors.json'), 'utf8')).pes.frame;

describe('encodePesFrame', () => {
  it('frames the seed 003 example as 81 00 00 00 + the 129 JSON bytes (vector pes.frame)', () => {
    expect(Buffer.byteLength(VECTOR.json)).toBe(129);
    expect(encodePesFrame(VECTOR.json).toString('hex')).toBe(VECTOR.hex);
    expect(encodePesFrame(Buffer.from(VECTOR.json)).toString('hex')).toBe(VECTOR.hex);
    expect(VECTOR.hex.startsWith('81000000')).toBe(true);
  });

  it('counts UTF-8 bytes, not characters, little-endian', () => {
    const frame = encodePesFrame('é'.repeat(300)); // 600 bytes = 0x258
    expect(frame.subarray(0, 4)).toEqual(Buffer.from([0x58, 0x02, 0x00, 0x00]));
    expect(frame.length).toBe(604);
    expect(frame.subarray(4).toString('utf8')).toBe('é'.repeat(300));
  });

  it('refuses an empty body or a non-buffer with TypeError', () => {
    expect(() => encodePesFrame('')).toThrow(TypeError);
    expect(() => encodePesFrame(Buffer.alloc(0))).toThrow(TypeError);
    expect(() => encodePesFrame(42 as unknown as string)).toThrow(TypeError);
  });
});
