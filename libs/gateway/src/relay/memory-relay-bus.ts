import type { RelayBus, RelayUnsubscribe } from './relay-bus';
import { encodeRelayMessage, parseRelayMessage, type RelayMessage } from './relay-messages';

type Receiver = (text: string) => void;

/**
 * The in-process relay bus (standalone mode; in-process tests of several replicas). Gateways built in one
 * process share one instance. Messages go through the same encode/parse as over Redis and are delivered
 * on a later tick, as pub/sub would.
 */
export class MemoryRelayBus implements RelayBus {
  readonly #receivers = new Map<string, Receiver>();

  /** @inheritdoc */
  async subscribe(
    replicaId: string,
    onMessage: (message: RelayMessage) => void,
    onInvalid: (error: unknown) => void,
  ): Promise<RelayUnsubscribe> {
    if (this.#receivers.has(replicaId)) throw new TypeError(`replica ${replicaId} is already subscribed`);
    const receiver: Receiver = (text) => {
      let message: RelayMessage;
      try {
        message = parseRelayMessage(text);
      } catch (error) {
        onInvalid(error);
        return;
      }
      onMessage(message);
    };
    this.#receivers.set(replicaId, receiver);
    return async () => {
      if (this.#receivers.get(replicaId) === receiver) this.#receivers.delete(replicaId);
    };
  }

  /** @inheritdoc */
  async publish(replicaId: string, message: RelayMessage): Promise<void> {
    const text = encodeRelayMessage(message);
    setImmediate(() => this.#receivers.get(replicaId)?.(text));
  }

  /** Nothing to release: each replica's `subscribe` handle removes its own receiver (the bus may be shared). */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
