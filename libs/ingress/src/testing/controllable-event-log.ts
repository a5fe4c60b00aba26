import { PesStoreUnavailableError } from '../errors/ingress-errors';
import type { PesAppendOutcome, PesEventLog, PesEventRecord } from '../store/pes-event-log';

/**
 * A {@link PesEventLog} wrapper whose store a test can make slow (`hold` … `release`) or unavailable
 * (`setAvailable(false)`): backpressure and nack 5 without stopping a real server.
 */
export class ControllableEventLog implements PesEventLog {
  readonly #inner: PesEventLog;
  #available = true;
  #held = false;
  #queue: Array<() => void> = [];
  #maxPending = 0;
  #pending = 0;
  #pendingWaiters: Array<{ readonly count: number; readonly resolve: () => void }> = [];

  /** @param inner the log that really stores (e.g. a `MemoryPesEventLog`) */
  constructor(inner: PesEventLog) {
    this.#inner = inner;
  }

  /** Appends currently waiting (held or in the inner log). */
  get pending(): number {
    return this.#pending;
  }

  /** The most appends ever waiting at once. */
  get maxPending(): number {
    return this.#maxPending;
  }

  /** Resolves once at least `count` appends are waiting at the same time (a readiness signal for tests). */
  whenPending(count: number): Promise<void> {
    if (this.#pending >= count) return Promise.resolve();
    return new Promise((resolve) => this.#pendingWaiters.push({ count, resolve }));
  }

  /** While false, every append throws `PesStoreUnavailableError` (nothing stored). */
  setAvailable(available: boolean): void {
    this.#available = available;
  }

  /** From now on, appends wait until {@link release}. */
  hold(): void {
    this.#held = true;
  }

  /** Lets every held append (and later ones) through, in order. */
  release(): void {
    this.#held = false;
    for (const resume of this.#queue.splice(0)) resume();
  }

  /** {@inheritDoc PesEventLog.append} */
  async append(event: PesEventRecord): Promise<PesAppendOutcome> {
    this.#pending += 1;
    this.#maxPending = Math.max(this.#maxPending, this.#pending);
    this.#pendingWaiters = this.#pendingWaiters.filter((waiter) => {
      if (this.#pending < waiter.count) return true;
      waiter.resolve();
      return false;
    });
    try {
      if (this.#held) await new Promise<void>((resume) => this.#queue.push(resume));
      if (!this.#available) throw new PesStoreUnavailableError({ cause: new Error('store switched off by the test') });
      return await this.#inner.append(event);
    } finally {
      this.#pending -= 1;
    }
  }
}
