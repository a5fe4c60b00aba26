import type { AleWsClient } from '@pos-link/ale';

/** A PES event as the gateway pushes it to a subscribed WebSocket client (docs/specs/gateway-ws.md). */
export interface PushedPesEvent {
  readonly op: 'event';
  readonly stream: 'pes';
  readonly id: string;
  readonly msg_id: string;
  readonly msg_type: string;
  readonly data: string;
  readonly received_at: string;
}

/**
 * Collects the PES stream messages an `AleWsClient` receives from the moment it is made (so none
 * arriving between two waits is lost), and waits for counts of them.
 */
export class PesEventCollector {
  readonly events: PushedPesEvent[] = [];
  #subscribed = false;
  #wake: (() => void) | undefined;

  /** @param client an open, authenticated client; its plaintext messages are inspected */
  constructor(client: AleWsClient) {
    client.on('message', (text: string) => {
      const message = parseControl(text);
      if (message?.['stream'] !== 'pes') return; // the heartbeat `isAlive?`, kitchen events
      if (message['op'] === 'subscribed') this.#subscribed = true;
      if (message['op'] === 'event') this.events.push(message as unknown as PushedPesEvent);
      this.#wake?.();
    });
  }

  /** Resolves once the gateway confirmed the subscription. */
  subscribed(timeoutMs: number): Promise<void> {
    return this.#until(() => this.#subscribed, timeoutMs, 'no "subscribed" answer from the gateway');
  }

  /** Resolves with the first `count` events once that many arrived. */
  async atLeast(count: number, timeoutMs: number): Promise<PushedPesEvent[]> {
    await this.#until(() => this.events.length >= count, timeoutMs, `fewer than ${count} PES events pushed`);
    return this.events.slice(0, count);
  }

  async #until(done: () => boolean, timeoutMs: number, failure: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`${failure} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}

function parseControl(text: string): Record<string, unknown> | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
