import { parsePesFrame, type PesEnvelope } from '@pos-link/protocol';
import type { PesSessionIo } from '../session/pes-session-types';

/** A {@link PesSessionIo} that records what a session does with its socket. */
export class RecordingSessionIo implements PesSessionIo {
  /** Every frame written (with its 4-byte length prefix). */
  readonly frames: Buffer[] = [];
  /** Every `setReading` call, in order. */
  readonly readingCalls: boolean[] = [];
  /** Whether `end` was called. */
  ended = false;

  /** The written frames as envelopes. */
  envelopes(): PesEnvelope[] {
    return this.frames.map((frame) => parsePesFrame(frame.subarray(4)));
  }

  /** Whether reading is currently on (true until the first `setReading(false)`). */
  get reading(): boolean {
    return this.readingCalls.length === 0 || this.readingCalls[this.readingCalls.length - 1];
  }

  write(frame: Buffer): boolean {
    if (this.ended) return false;
    this.frames.push(frame);
    return true;
  }

  setReading(reading: boolean): void {
    this.readingCalls.push(reading);
  }

  end(): void {
    this.ended = true;
  }
}
