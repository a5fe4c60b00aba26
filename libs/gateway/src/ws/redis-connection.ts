import { Redis, type Cluster } from 'ioredis';
import type { RedisClient } from '@pos-link/platform';

/**
 * A second connection to the same Redis for work the command connection cannot do: a subscriber
 * (a connection in subscriber mode runs no other command) or a blocking `XREAD` (it would stall every
 * command queued behind it). The platform's clients refuse commands while disconnected
 * (`enableOfflineQueue: false`); these connections queue them instead, so a subscription or a tail read
 * issued while connecting (or reconnecting) runs once the connection is ready rather than failing.
 */
export function duplicateConnection(source: RedisClient): RedisClient {
  if (source instanceof Redis) return source.duplicate({ enableOfflineQueue: true, lazyConnect: false });
  return (source as Cluster).duplicate(undefined, { enableOfflineQueue: true });
}

/** Quits a connection made by {@link duplicateConnection}; a connection that will not quit is dropped. */
export async function quitConnection(connection: RedisClient): Promise<void> {
  try {
    await connection.quit();
  } catch {
    connection.disconnect();
  }
}
