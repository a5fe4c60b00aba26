import { Module, type DynamicModule } from '@nestjs/common';
import type { RedisClient } from './redis-client';
import { RedisKeys } from './redis-keys';
import { REDIS_CLIENT, REDIS_KEYS } from './redis.tokens';

/** Options of `RedisModule.forRoot`. */
export interface RedisModuleOptions {
  /** The connection from `createRedisClient`, or `null` in in-memory mode. */
  readonly client: RedisClient | null;
  /** `REDIS_PREFIX`. */
  readonly prefix: string;
}

/**
 * Provides `REDIS_CLIENT` and `REDIS_KEYS` to the module that imports it (not global). The
 * connection is created and closed by the app factory (`ServiceHost` resources), after Nest's
 * shutdown, so providers may still write while they drain.
 */
@Module({})
export class RedisModule {
  /** @param options the connection (or `null`) and the key prefix */
  static forRoot(options: RedisModuleOptions): DynamicModule {
    return {
      module: RedisModule,
      providers: [
        { provide: REDIS_CLIENT, useValue: options.client },
        { provide: REDIS_KEYS, useValue: new RedisKeys(options.prefix) },
      ],
      exports: [REDIS_CLIENT, REDIS_KEYS],
    };
  }
}
