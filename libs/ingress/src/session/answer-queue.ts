/**
 * Keeps a connection's answers in the order their frames were received (DESIGN §6: "Acks are sent in
 * the order events were received on a connection"), while the appends behind them run pipelined.
 *
 * Each frame that gets an answer takes a slot when it is read; the slot is filled when its answer is
 * known (at once for a nack, after the store for an event); filled slots are written from the head
 * only, so a fast answer never overtakes a slow one.
 */

/** A reserved place in the answer order; fill it exactly once. */
export interface AnswerSlot {
  /**
   * Sets this slot's answer: `frame` to write (`undefined` = nothing to write) and `onWritten`, called
   * right after it is handed to the socket (or dropped because the connection is gone).
   */
  fill(frame: Buffer | undefined, onWritten?: (written: boolean) => void): void;
}

/** One reserved answer; it is its own {@link AnswerSlot} (one object per answer, no closures). */
class Slot implements AnswerSlot {
  filled = false;
  frame: Buffer | undefined = undefined;
  onWritten: ((written: boolean) => void) | undefined = undefined;
  readonly #flush: () => void;

  constructor(flush: () => void) {
    this.#flush = flush;
  }

  fill(frame: Buffer | undefined, onWritten?: (written: boolean) => void): void {
    if (this.filled) throw new TypeError('answer slot filled twice');
    this.filled = true;
    this.frame = frame;
    this.onWritten = onWritten;
    this.#flush();
  }
}

/** The ordered answer queue of one connection. */
export class AnswerQueue {
  readonly #write: (frame: Buffer) => boolean;
  readonly #onDrained: () => void;
  readonly #flushBound = (): void => this.#flush();
  #slots: Slot[] = [];
  #head = 0;
  #open = true;

  /**
   * @param write hands a frame to the socket; returns false once the connection can no longer write
   * @param onDrained called whenever slots were released (the session may read more or finish closing)
   */
  constructor(write: (frame: Buffer) => boolean, onDrained: () => void) {
    this.#write = write;
    this.#onDrained = onDrained;
  }

  /** Slots reserved and not yet written: the connection's answers "in flight". */
  get pending(): number {
    return this.#slots.length - this.#head;
  }

  /** Reserves the next slot in answer order. */
  reserve(): AnswerSlot {
    const slot = new Slot(this.#flushBound);
    this.#slots.push(slot);
    return slot;
  }

  /** Stops writing: later answers are dropped (the peer is gone); their callbacks still run. */
  disconnect(): void {
    this.#open = false;
  }

  #flush(): void {
    let released = false;
    while (this.#head < this.#slots.length && this.#slots[this.#head].filled) {
      const slot = this.#slots[this.#head];
      this.#head += 1;
      released = true;
      const written = this.#open && slot.frame !== undefined ? this.#write(slot.frame) : false;
      slot.onWritten?.(written);
    }
    if (this.#head === this.#slots.length) {
      this.#slots = []; // all written: start over (the usual case between bursts)
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#slots.length) {
      this.#slots.splice(0, this.#head); // compact occasionally instead of shifting per answer
      this.#head = 0;
    }
    if (released) this.#onDrained();
  }
}
