/**
 * The channel between gateway replicas (DESIGN §5): each replica receives on its own channel and
 * publishes to the channel of the replica it addresses. `RedisRelayBus` serves a fleet (Redis pub/sub);
 * `MemoryRelayBus` the standalone process and in-process tests.
 */
import type { RelayMessage } from './relay-messages';

/** Stops a subscription. */
export type RelayUnsubscribe = () => Promise<void>;

/** The bus seam. */
export interface RelayBus {
  /**
   * Delivers every message published to `replicaId`; resolves once subscribed. Malformed messages are
   * passed to `onInvalid` and dropped.
   */
  subscribe(replicaId: string, onMessage: (message: RelayMessage) => void, onInvalid: (error: unknown) => void): Promise<RelayUnsubscribe>;
  /** Publishes to `replicaId`'s channel (fire-and-forget: nothing is stored for an absent replica). */
  publish(replicaId: string, message: RelayMessage): Promise<void>;
  /** Ends every subscription and releases what the bus opened itself. */
  close(): Promise<void>;
}
