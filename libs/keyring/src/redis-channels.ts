import type { Cluster, Redis } from 'ioredis';
import type { Unsubscribe } from './key-store';
import { Listeners } from './listeners';

/** A connection the keyring can use: a single node (also Sentinel-managed) or a Cluster. */
export type RedisConnection = Redis | Cluster;

/**
 * Pub/sub for the keyring's channels over ONE subscriber connection (a connection in subscriber mode can
 * run no other command, so it cannot be the caller's command connection). Either the caller passes one, or
 * `source.duplicate()` makes one on first use, owned and closed here.
 *
 * Pub/sub is fire-and-forget: messages published while the connection is down are lost. ioredis resubscribes
 * on reconnect; every reconnect after the first is reported to the `onResync` callbacks so readers reload.
 */
export class RedisChannels {
  readonly #source: RedisConnection;
  readonly #given: RedisConnection | undefined;
  readonly #onError: (error: unknown) => void;
  readonly #channels = new Map<string, Listeners<string>>();
  readonly #pending = new Map<string, Promise<unknown>>();
  readonly #resync: Listeners<void>;
  #connection: RedisConnection | undefined;
  #connectedOnce = false;
  #closed = false;

  /**
   * @param source the caller's command connection (duplicated when no subscriber is given)
   * @param given a dedicated subscriber connection owned by the caller, if any
   * @param onError receives connection errors and callback exceptions
   */
  constructor(source: RedisConnection, given: RedisConnection | undefined, onError: (error: unknown) => void) {
    this.#source = source;
    this.#given = given;
    this.#onError = onError;
    this.#resync = new Listeners(onError);
  }

  /** Calls `callback(message)` for each message on `channel`; resolves once Redis confirmed the subscription. */
  async subscribe(channel: string, callback: (message: string) => void): Promise<Unsubscribe> {
    if (this.#closed) throw new TypeError('RedisChannels is closed');
    const connection = this.#connect();
    let listeners = this.#channels.get(channel);
    if (listeners === undefined) {
      listeners = new Listeners(this.#onError);
      this.#channels.set(channel, listeners);
      this.#pending.set(channel, connection.subscribe(channel));
    }
    const remove = listeners.add(callback);
    const pending = this.#pending.get(channel);
    try {
      await pending;
    } catch (error) {
      await remove();
      // Forget the failed subscription so the next caller tries again.
      if (this.#pending.get(channel) === pending) {
        this.#pending.delete(channel);
        this.#channels.delete(channel);
      }
      throw error;
    }
    return async () => {
      await remove();
      if (listeners.size === 0 && this.#channels.get(channel) === listeners && !this.#closed) {
        this.#channels.delete(channel);
        this.#pending.delete(channel);
        await this.#unsubscribe(connection, [channel]);
      }
    };
  }

  /** Calls `callback` after each reconnect (messages may have been missed). */
  onResync(callback: () => void): Unsubscribe {
    return this.#resync.add(callback);
  }

  /** Unsubscribes everything; quits the connection if it was made here. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const connection = this.#connection;
    const channels = [...this.#channels.keys()];
    this.#channels.clear();
    this.#pending.clear();
    this.#resync.clear();
    if (connection === undefined) return;
    connection.off('message', this.#onMessage);
    connection.off('ready', this.#onReady);
    if (connection === this.#given) {
      await this.#unsubscribe(connection, channels);
      return;
    }
    connection.off('error', this.#onError);
    try {
      await connection.quit();
    } catch {
      connection.disconnect(); // already closing or never connected
    }
  }

  /**
   * UNSUBSCRIBE, awaited while the connection is up. While it is down there is nothing to wait for: the server
   * dropped the subscription with the connection, and ioredis holds the command in its offline queue and sends
   * it after reconnecting (before that, it resubscribes what it still remembers). Awaiting it would tie the
   * caller — a shutdown during a Redis outage — to Redis coming back, and reject with MaxRetriesPerRequestError
   * after the retries; a late failure of the queued command goes to `onError` like any connection error.
   */
  async #unsubscribe(connection: RedisConnection, channels: readonly string[]): Promise<void> {
    if (channels.length === 0) return;
    const sent = connection.unsubscribe(...channels);
    if (connection.status === 'ready') {
      await sent;
      return;
    }
    sent.catch(this.#onError);
  }

  #connect(): RedisConnection {
    if (this.#connection !== undefined) return this.#connection;
    const connection = this.#given ?? this.#source.duplicate();
    if (connection !== this.#given) connection.on('error', this.#onError);
    connection.on('message', this.#onMessage);
    connection.on('ready', this.#onReady);
    this.#connectedOnce = connection.status === 'ready';
    this.#connection = connection;
    return connection;
  }

  readonly #onMessage = (channel: string, message: string): void => {
    this.#channels.get(channel)?.emitNow(message);
  };

  readonly #onReady = (): void => {
    if (this.#connectedOnce) this.#resync.emitNow(undefined);
    this.#connectedOnce = true;
  };
}
