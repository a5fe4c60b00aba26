import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProtocolError, isProtocolError } from '../errors';
import { chunkAt } from '../testing';
import { PesFrameDecoder, PesFrameDecoderState } from './frame-decoder';
import { encodePesFrame } from './frame-encoder';
import { parsePesFrame } from './envelope';
import { PES_MAX_FRAME_BYTES_DEFAULT } from './limits';

/** Seed 003's 129-byte example from the independent implementation's vectors (a copy of shared/vectors). */
const VECTOR: { json: string; hex: string } = JSON.parse(readFileSync(join(__dirname, '../testing/vectors.json'), 'utf8')).pes.frame;
const SEED_FRAME = Buffer.from(VECTOR.hex, 'hex');

/** Pushes every chunk and collects the bodies as strings. */
function decodeAll(decoder: PesFrameDecoder, chunks: readonly Buffer[]): string[] {
  return chunks.flatMap((chunk) => decoder.push(chunk).map((body) => body.toString('utf8')));
}

function expectCode(fn: () => unknown, code: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ProtocolError);
  expect((thrown as ProtocolError).code).toBe(code);
}

describe('PesFrameDecoder', () => {
  it('decodes the seed 003 129-byte frame (vector pes.frame) to its JSON', () => {
    const decoder = new PesFrameDecoder();
    const frames = decoder.push(SEED_FRAME);
    expect(frames).toHaveLength(1);
    expect(frames[0].toString('utf8')).toBe(VECTOR.json);
    expect(parsePesFrame(frames[0]).msg_type).toBe('register_client');
    expect(decoder.state).toBe(PesFrameDecoderState.READING_LENGTH);
    expect(decoder.bufferedBytes).toBe(0);
  });

  it('decodes the stream one byte at a time', () => {
    const decoder = new PesFrameDecoder();
    const stream = Buffer.concat([SEED_FRAME, encodePesFrame('{"a":1}'), SEED_FRAME]);
    const bytes = [...stream].map((b) => Buffer.from([b]));
    expect(decodeAll(decoder, bytes)).toEqual([VECTOR.json, '{"a":1}', VECTOR.json]);
    expect(decoder.bufferedBytes).toBe(0);
  });

  it('returns many frames from one chunk, in order', () => {
    const bodies = Array.from({ length: 50 }, (_, i) => `{"i":${i}}`);
    const decoder = new PesFrameDecoder();
    expect(decodeAll(decoder, [Buffer.concat(bodies.map((b) => encodePesFrame(b)))])).toEqual(bodies);
  });

  it('returns a body lying wholly inside one chunk as a view of that chunk (no copy)', () => {
    const chunk = Buffer.concat([SEED_FRAME, SEED_FRAME]);
    const [first, second] = new PesFrameDecoder().push(chunk);
    expect(first.buffer).toBe(chunk.buffer);
    expect(second.byteOffset).toBe(chunk.byteOffset + SEED_FRAME.length + 4);
  });

  it('holds what a split body actually delivered, not what it declared', () => {
    const decoder = new PesFrameDecoder();
    const header = Buffer.alloc(4);
    header.writeUInt32LE(PES_MAX_FRAME_BYTES_DEFAULT);
    decoder.push(Buffer.concat([header, Buffer.from('{"x":')]));
    expect(decoder.state).toBe(PesFrameDecoderState.READING_BODY);
    expect(decoder.bufferedBytes).toBe(4 + 5);
  });

  it('decodes a body at exactly the cap and refuses one byte more', () => {
    const body = Buffer.alloc(64, 0x20);
    expect(new PesFrameDecoder({ maxFrameBytes: 64 }).push(encodePesFrame(body))).toEqual([body]);
    expectCode(() => new PesFrameDecoder({ maxFrameBytes: 63 }).push(encodePesFrame(body)), 'ERR_PES_FRAME_TOO_LARGE');
  });

  it('any split of any sequence of frames yields the same frames (property)', () => {
    const frameBody = fc.uint8Array({ minLength: 1, maxLength: 300 }).map((a) => Buffer.from(a));
    fc.assert(
      fc.property(
        fc.array(frameBody, { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (bodies, cutSeeds) => {
          const stream = Buffer.concat(bodies.map((b) => encodePesFrame(b)));
          const cuts = cutSeeds.map((seed) => seed % stream.length);
          const decoder = new PesFrameDecoder({ maxFrameBytes: 300 });
          const out = chunkAt(stream, cuts).flatMap((chunk) => decoder.push(chunk));
          expect(out.map((b) => b.toString('hex'))).toEqual(bodies.map((b) => b.toString('hex')));
          expect(decoder.bufferedBytes).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reassembles a large body split across many chunks', () => {
    const body = Buffer.alloc(200_000);
    for (let i = 0; i < body.length; i++) body[i] = i % 251;
    const stream = encodePesFrame(body);
    const cuts = Array.from({ length: 30 }, (_, i) => 3 + i * 6_553);
    const decoder = new PesFrameDecoder();
    const out = chunkAt(stream, cuts).flatMap((chunk) => decoder.push(chunk));
    expect(out).toHaveLength(1);
    expect(out[0].equals(body)).toBe(true);
  });

  it('refuses a declared length of 0 with ERR_PES_FRAME_EMPTY', () => {
    expectCode(() => new PesFrameDecoder().push(Buffer.from([0, 0, 0, 0, 0x7b])), 'ERR_PES_FRAME_EMPTY');
  });

  it('refuses a declared length over the cap with ERR_PES_FRAME_TOO_LARGE, split header too', () => {
    const header = Buffer.alloc(4);
    header.writeUInt32LE(PES_MAX_FRAME_BYTES_DEFAULT + 1);
    const decoder = new PesFrameDecoder();
    expect(decoder.push(header.subarray(0, 3))).toEqual([]);
    expectCode(() => decoder.push(header.subarray(3)), 'ERR_PES_FRAME_TOO_LARGE');
  });

  it('refuses an HTTP probe on its first 4 bytes, allocating nothing (GET = 542 MB)', () => {
    const probe = Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(probe.readUInt32LE(0)).toBe(0x20544547);
    const decoder = new PesFrameDecoder();
    const spies = [
      jest.spyOn(Buffer, 'alloc'),
      jest.spyOn(Buffer, 'allocUnsafe'),
      jest.spyOn(Buffer, 'allocUnsafeSlow'),
      jest.spyOn(Buffer, 'concat'),
    ];
    try {
      expectCode(() => decoder.push(probe.subarray(0, 4)), 'ERR_PES_FRAME_TOO_LARGE');
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      spies.forEach((spy) => spy.mockRestore());
    }
    expect(decoder.state).toBe(PesFrameDecoderState.FAILED);
    expect(decoder.bufferedBytes).toBe(0);
  });

  it('stays failed: every later push rethrows, even of a valid frame', () => {
    const decoder = new PesFrameDecoder();
    expectCode(() => decoder.push(Buffer.from('GET / HTTP/1.1\r\n')), 'ERR_PES_FRAME_TOO_LARGE');
    expectCode(() => decoder.push(SEED_FRAME), 'ERR_PES_FRAME_TOO_LARGE');
    expectCode(() => decoder.push(Buffer.alloc(0)), 'ERR_PES_FRAME_TOO_LARGE');
    expect(decoder.state).toBe(PesFrameDecoderState.FAILED);
  });

  it('accepts an empty chunk as a no-op', () => {
    const decoder = new PesFrameDecoder();
    expect(decoder.push(Buffer.alloc(0))).toEqual([]);
    expect(decoder.state).toBe(PesFrameDecoderState.READING_LENGTH);
  });

  it('throws nothing but ProtocolError on random garbage, also through parsePesFrame (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 20 }), (chunks) => {
        const decoder = new PesFrameDecoder({ maxFrameBytes: 48 });
        try {
          for (const chunk of chunks) {
            for (const body of decoder.push(Buffer.from(chunk))) {
              try {
                parsePesFrame(body);
              } catch (error) {
                expect(isProtocolError(error)).toBe(true);
              }
            }
          }
        } catch (error) {
          expect(isProtocolError(error)).toBe(true);
          expect(decoder.state).toBe(PesFrameDecoderState.FAILED);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a chunk that is not a Buffer with TypeError', () => {
    expect(() => new PesFrameDecoder().push('abcd' as unknown as Buffer)).toThrow(TypeError);
  });

  it('refuses a cap outside 1..2^32-1 with TypeError', () => {
    for (const maxFrameBytes of [0, -1, 1.5, 2 ** 32, Number.NaN]) {
      expect(() => new PesFrameDecoder({ maxFrameBytes })).toThrow(TypeError);
    }
  });
});
