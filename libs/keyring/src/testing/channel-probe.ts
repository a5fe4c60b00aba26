/**
 * Collects the messages a subscription callback receives and lets a test await the next matching one
 * (a readiness signal, not a sleep). A bounded wait turns a missing message into a clear failure.
 */
export class ChannelProbe {
  readonly received: string[] = [];
  readonly #waiters: Array<{ match: (message: string) => boolean; resolve: (message: string) => void }> = [];

  /** The callback to subscribe with. */
  readonly callback = (message: string): void => {
    this.received.push(message);
    for (const waiter of [...this.#waiters]) {
      if (waiter.match(message)) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    }
  };

  /** Resolves with the next message equal to `expected` received after this call; rejects after `timeoutMs`. */
  next(expected: string, timeoutMs = 2000): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no message "${expected}" within ${timeoutMs} ms`)), timeoutMs);
      this.#waiters.push({
        match: (message) => message === expected,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
      });
    });
  }

  /** How many times `message` was received. */
  count(message: string): number {
    return this.received.filter((m) => m === message).length;
  }
}
