import type { DynamicModule, NestApplicationOptions } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { ServiceConfig } from '../config/service-config';
import { OpsModule } from '../health/ops.module';
import type { ReadinessCheck } from '../health/readiness-check';
import { createLogger } from '../logging/create-logger';
import { LoggingModule } from '../logging/logging.module';
import { PinoNestLogger } from '../logging/nest-logger';
import { createMetricsRegistry } from '../metrics/metrics-registry';
import { MetricsModule } from '../metrics/metrics.module';
import { closeRedisClient, createRedisClient, type RedisClient } from '../redis/redis-client';
import { redisReadinessCheck } from '../redis/redis-readiness';
import { RedisModule } from '../redis/redis.module';
import { HttpDrainModule } from './http-drain';
import type { Closable } from './shutdown';

/** Options of `createServiceRuntime`. */
export interface ServiceRuntimeOptions {
  /** Use this logger instead of a new one on stdout (tests capture lines; standalone may share a destination). */
  readonly logger?: Logger;
}

/** The per-instance runtime pieces of one app, built before its Nest module. */
export interface ServiceRuntime {
  readonly name: string;
  readonly logger: Logger;
  readonly registry: Registry;
  /** `null` in in-memory mode (`REDIS_URL` unset, allowed only in the standalone process). */
  readonly redis: RedisClient | null;
  /** `LoggingModule`, `MetricsModule`, `RedisModule`, `OpsModule` and `HttpDrainModule`, for the root module's `imports`. */
  readonly imports: readonly DynamicModule[];
  /** Nest options: the app's logger, and errors thrown rather than `process.abort()`. */
  readonly nestOptions: NestApplicationOptions;
  /** What `ServiceHost` must release after Nest's shutdown (the Redis connection). */
  readonly resources: readonly Closable[];
  /** Releases the resources when building the app failed. */
  release(): Promise<void>;
}

/**
 * Builds the platform pieces every app instance owns (DESIGN §7): its logger, its own metrics
 * registry, its Redis connection (with a readiness check) when `REDIS_URL` is set, and the modules
 * that provide them. Nothing here is shared between instances, so the standalone process can
 * build three apps side by side.
 */
export function createServiceRuntime(
  name: string,
  config: ServiceConfig,
  options: ServiceRuntimeOptions = {},
): ServiceRuntime {
  const logger = options.logger ?? createLogger({ app: name, level: config.logLevel });
  const registry = createMetricsRegistry({ app: name });
  const redis = config.redisUrl === undefined ? null : createRedisClient(config.redisUrl, { name, logger });
  const readiness: ReadinessCheck[] = redis === null ? [] : [redisReadinessCheck(redis)];
  const resources: Closable[] = redis === null ? [] : [{ close: () => closeRedisClient(redis) }];
  return {
    name,
    logger,
    registry,
    redis,
    imports: [
      LoggingModule.forRoot(logger),
      MetricsModule.forRoot(registry),
      RedisModule.forRoot({ client: redis, prefix: config.redisPrefix }),
      OpsModule.forRoot({ host: config.opsHost, port: config.opsPort, registry, logger, readiness }),
      HttpDrainModule.forRoot(),
    ],
    nestOptions: { logger: new PinoNestLogger(logger), abortOnError: false },
    resources,
    release: async () => {
      for (const resource of resources) await resource.close();
    },
  };
}
