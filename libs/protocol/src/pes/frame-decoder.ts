/**
 * PES frame decoder (DESIGN §6, seed 003 "Socket Message Format"; STYLE 10): an explicit state
 * machine over a TCP byte stream. Each frame is a 4-byte little-endian length, then that many bytes.
 *
 * - Split headers, split bodies, many frames in one chunk and one byte at a time all decode alike.
 * - A declared length of 0 or over the cap fails the decoder the moment the 4th header byte arrives,
 *   before anything is allocated for the body (an HTTP `GET ` reads as a 542 MB frame).
 * - Once failed, it stays failed: every later `push` rethrows the same error (fail closed; the
 *   connection is to be closed, there is no resynchronising a length-prefixed stream).
 * - No `Buffer.concat` per chunk: a body lying wholly inside one chunk is returned as a zero-copy
 *   `subarray` of that chunk; only a body split across chunks is copied, into a buffer of its own that
 *   grows with the bytes received (never pre-sized to a merely declared length).
 */
import { ProtocolError } from '../errors';
import {
  PES_FRAME_HEADER_BYTES,
  PES_FRAME_LENGTH_MAX,
  PES_MAX_FRAME_BYTES_DEFAULT,
  PES_PARTIAL_BODY_INITIAL_BYTES,
} from './limits';

/** The decoder's states. */
export const PesFrameDecoderState = Object.freeze({
  /** Collecting the 4 length bytes (possibly across chunks). */
  READING_LENGTH: 'READING_LENGTH',
  /** Collecting the body whose length was declared and accepted. */
  READING_BODY: 'READING_BODY',
  /** A limit was violated; every later push rethrows the error. */
  FAILED: 'FAILED',
} as const);

/** One of {@link PesFrameDecoderState}'s values. */
export type PesFrameDecoderState = (typeof PesFrameDecoderState)[keyof typeof PesFrameDecoderState];

/** Options of {@link PesFrameDecoder}. */
export interface PesFrameDecoderOptions {
  /** Largest accepted body in bytes (`PES_MAX_FRAME_BYTES`); default {@link PES_MAX_FRAME_BYTES_DEFAULT}. */
  readonly maxFrameBytes?: number;
}

/**
 * Decodes the PES byte stream of ONE connection into frame bodies.
 *
 * ```ts
 * const decoder = new PesFrameDecoder({ maxFrameBytes });
 * socket.on('data', (chunk) => {
 *   for (const body of decoder.push(chunk)) handle(parsePesFrame(body)); // throws ProtocolError → close
 * });
 * ```
 *
 * Returned bodies may be views of the pushed chunk: do not mutate a chunk after pushing it.
 */
export class PesFrameDecoder {
  readonly #maxFrameBytes: number;
  #state: PesFrameDecoderState = PesFrameDecoderState.READING_LENGTH;
  /** Header bytes collected so far (only used when a header is split across chunks). */
  readonly #header = Buffer.alloc(PES_FRAME_HEADER_BYTES);
  #headerFilled = 0;
  /** Declared length of the body being read. */
  #bodyLength = 0;
  /** Copy of a body split across chunks; `undefined` until its first partial piece. */
  #body: Buffer | undefined;
  #bodyFilled = 0;
  #failure: ProtocolError | undefined;

  /** @throws TypeError when `maxFrameBytes` is not an integer in 1 … 2^32 − 1 */
  constructor(options: PesFrameDecoderOptions = {}) {
    const max = options.maxFrameBytes ?? PES_MAX_FRAME_BYTES_DEFAULT;
    if (!Number.isSafeInteger(max) || max < 1 || max > PES_FRAME_LENGTH_MAX) {
      throw new TypeError(`maxFrameBytes must be an integer in 1..${PES_FRAME_LENGTH_MAX}`);
    }
    this.#maxFrameBytes = max;
  }

  /** Current state (for diagnostics and tests). */
  get state(): PesFrameDecoderState {
    return this.#state;
  }

  /** Bytes held for an incomplete frame (header and body), e.g. for memory accounting. */
  get bufferedBytes(): number {
    return this.#state === PesFrameDecoderState.READING_BODY ? PES_FRAME_HEADER_BYTES + this.#bodyFilled : this.#headerFilled;
  }

  /**
   * Feeds the next chunk of the stream.
   * @returns the bodies of the frames this chunk completed, in order (often none or one)
   * @throws ProtocolError `ERR_PES_FRAME_EMPTY` / `ERR_PES_FRAME_TOO_LARGE`; frames completed earlier in
   *   the same chunk are dropped with it (the connection closes; they were not acknowledged)
   * @throws TypeError when `chunk` is not a Buffer
   */
  push(chunk: Buffer): Buffer[] {
    if (!Buffer.isBuffer(chunk)) throw new TypeError('chunk must be a Buffer');
    if (this.#failure !== undefined) throw this.#failure;
    const frames: Buffer[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      if (this.#state === PesFrameDecoderState.READING_LENGTH) {
        offset = this.#readLength(chunk, offset);
      } else {
        offset = this.#readBody(chunk, offset, frames);
      }
    }
    return frames;
  }

  #readLength(chunk: Buffer, offset: number): number {
    let length: number;
    if (this.#headerFilled === 0 && chunk.length - offset >= PES_FRAME_HEADER_BYTES) {
      length = chunk.readUInt32LE(offset); // fast path: the whole header is in this chunk
      offset += PES_FRAME_HEADER_BYTES;
    } else {
      const take = Math.min(PES_FRAME_HEADER_BYTES - this.#headerFilled, chunk.length - offset);
      chunk.copy(this.#header, this.#headerFilled, offset, offset + take);
      this.#headerFilled += take;
      offset += take;
      if (this.#headerFilled < PES_FRAME_HEADER_BYTES) return offset;
      length = this.#header.readUInt32LE(0);
      this.#headerFilled = 0;
    }
    // Limits are checked here, before any body byte is stored or any buffer allocated.
    if (length === 0) this.#fail('ERR_PES_FRAME_EMPTY');
    if (length > this.#maxFrameBytes) this.#fail('ERR_PES_FRAME_TOO_LARGE');
    this.#bodyLength = length;
    this.#state = PesFrameDecoderState.READING_BODY;
    return offset;
  }

  #readBody(chunk: Buffer, offset: number, frames: Buffer[]): number {
    const available = chunk.length - offset;
    if (this.#body === undefined && available >= this.#bodyLength) {
      // Zero-copy: the whole body is inside this chunk.
      const end = offset + this.#bodyLength;
      frames.push(chunk.subarray(offset, end));
      this.#startNextFrame();
      return end;
    }
    const take = Math.min(this.#bodyLength - this.#bodyFilled, available);
    this.#reserve(this.#bodyFilled + take);
    chunk.copy(this.#body as Buffer, this.#bodyFilled, offset, offset + take);
    this.#bodyFilled += take;
    if (this.#bodyFilled === this.#bodyLength) {
      frames.push(this.#body as Buffer); // capacity equals the length once complete (#reserve)
      this.#startNextFrame();
    }
    return offset + take;
  }

  /** Grows the partial-body copy to hold `needed` bytes: doubling, capped at the declared length. */
  #reserve(needed: number): void {
    const capacity = this.#body?.length ?? 0;
    if (needed <= capacity) return;
    let next = Math.max(capacity * 2, PES_PARTIAL_BODY_INITIAL_BYTES, needed);
    next = Math.min(next, this.#bodyLength);
    const grown = Buffer.allocUnsafe(next);
    if (this.#body !== undefined) this.#body.copy(grown, 0, 0, this.#bodyFilled);
    this.#body = grown;
  }

  #startNextFrame(): void {
    this.#state = PesFrameDecoderState.READING_LENGTH;
    this.#body = undefined;
    this.#bodyFilled = 0;
    this.#bodyLength = 0;
  }

  #fail(code: 'ERR_PES_FRAME_EMPTY' | 'ERR_PES_FRAME_TOO_LARGE'): never {
    this.#state = PesFrameDecoderState.FAILED;
    this.#headerFilled = 0;
    this.#failure = new ProtocolError(code);
    throw this.#failure;
  }
}
