import type { Unsubscribe } from './key-store';

/**
 * A small set of callbacks. `emit` delivers asynchronously (a microtask after the caller's write, like a
 * pub/sub message) and isolates the callbacks: one that throws is reported to `onError` and the others still
 * run — a subscriber's bug must never break the store's writer.
 */
export class Listeners<T> {
  readonly #callbacks = new Set<(value: T) => void>();
  readonly #onError: ((error: unknown) => void) | undefined;

  /** @param onError receives what a callback throws */
  constructor(onError?: (error: unknown) => void) {
    this.#onError = onError;
  }

  /** How many callbacks are registered. */
  get size(): number {
    return this.#callbacks.size;
  }

  /** Registers a callback; the returned function removes it. */
  add(callback: (value: T) => void): Unsubscribe {
    // A wrapper per registration, so the same function registered twice is removed one at a time.
    const entry = (value: T): void => callback(value);
    this.#callbacks.add(entry);
    return async () => {
      this.#callbacks.delete(entry);
    };
  }

  /** Delivers `value` to every callback registered now, in a microtask. */
  emit(value: T): void {
    const callbacks = [...this.#callbacks];
    queueMicrotask(() => this.emitNow(value, callbacks));
  }

  /** Delivers `value` synchronously (used where the event already arrived asynchronously, e.g. Redis). */
  emitNow(value: T, callbacks: Iterable<(value: T) => void> = this.#callbacks): void {
    for (const callback of [...callbacks]) {
      if (!this.#callbacks.has(callback)) continue; // removed since the event was emitted
      try {
        callback(value);
      } catch (error) {
        this.#onError?.(error);
      }
    }
  }

  /** Removes every callback. */
  clear(): void {
    this.#callbacks.clear();
  }
}
