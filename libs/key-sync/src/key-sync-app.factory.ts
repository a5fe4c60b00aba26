import { NestFactory } from '@nestjs/core';
import type { KeyStore } from '@pos-link/keyring';
import {
  ServiceHost,
  closeRedisClient,
  createRedisClient,
  createServiceRuntime,
  type Closable,
  type RedisClient,
  type ServiceRuntimeOptions,
} from '@pos-link/platform';
import { buildKeySyncEngine } from './build-key-sync-engine';
import type { KeySyncConfig } from './key-sync-config';
import { KeySyncModule } from './key-sync.module';

/** The service name: `app` label of logs and metrics, Redis client name. */
export const KEY_SYNC_APP_NAME = 'key-sync';

/** Options of `createKeySyncApp` (the standalone process passes its shared in-memory seams here). */
export type KeySyncAppOptions = ServiceRuntimeOptions & {
  /**
   * The key store to write (standalone mode: the in-memory store the gateway and ingress read); default: a
   * `RedisKeyStore` when `REDIS_URL` is set, else a `MemoryKeyStore` of its own. A given store is not closed.
   */
  readonly keyStore?: KeyStore;
};

/**
 * Builds key-sync (does not listen; STYLE 7): a Nest application context (key-sync serves no public port; it
 * talks to the Portal and Redis) holding the sync engine, plus its ops server on `OPS_PORT`. `listen()` opens
 * the ops port and starts the engine in the background; `close()` stops it (lock released), then the Redis
 * connections. Pass `logger` to capture the log lines (tests).
 * @throws TypeError when `PORTAL_URL` or `PORTAL_AUTH` is unset
 */
export async function createKeySyncApp(config: KeySyncConfig, options: KeySyncAppOptions = {}): Promise<ServiceHost> {
  const runtime = createServiceRuntime(KEY_SYNC_APP_NAME, config, options);
  const resources: Closable[] = [];
  try {
    // Pub/sub needs its own connection. Unlike the command connection it may queue while disconnected: a
    // SUBSCRIBE issued before Redis is reachable simply waits (DEFAULT_REDIS_OPTIONS would fail it at once).
    let subscriber: RedisClient | null = null;
    if (runtime.redis !== null && options.keyStore === undefined && config.redisUrl !== undefined) {
      const sub = createRedisClient(config.redisUrl, {
        name: `${KEY_SYNC_APP_NAME}-subscriber`,
        logger: runtime.logger,
        overrides: { enableOfflineQueue: true },
      });
      subscriber = sub;
      resources.push({ close: () => closeRedisClient(sub) });
    }
    const built = buildKeySyncEngine({
      config,
      redis: runtime.redis,
      subscriber,
      logger: runtime.logger,
      registry: runtime.registry,
      keyStore: options.keyStore,
    });
    const app = await NestFactory.createApplicationContext(
      KeySyncModule.forRoot(config, runtime.imports, built),
      runtime.nestOptions,
    );
    return new ServiceHost({
      name: KEY_SYNC_APP_NAME,
      app,
      logger: runtime.logger,
      resources: [...resources, ...runtime.resources],
    });
  } catch (error) {
    for (const resource of resources) await resource.close();
    await runtime.release();
    throw error;
  }
}
