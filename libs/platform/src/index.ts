/**
 * `@pos-link/platform` — what every service shares at runtime (DESIGN §1, §7, §8): typed config,
 * the Redis connection factory, logging, metrics, health/ops server and graceful shutdown. Small
 * modules an app imports explicitly; nothing here is `@Global`.
 */

// errors
export { PLATFORM_ERROR_CODES, type PlatformErrorCode } from './errors/platform-error-codes';
export { PlatformError } from './errors/platform-error';

// config
export { EnvVar, getEnvVarSpecs, type EnvVarKind, type EnvVarOptions, type EnvVarSpec } from './config/env-var';
export { convertEnvValue, type Conversion } from './config/env-convert';
export { ConfigError, type ConfigIssue } from './config/config-error';
export { loadConfig, type ConfigClass, type LoadConfigOptions } from './config/load-config';
export { describeConfig, renderConfigMarkdown, renderEnvTemplate, type ConfigRow } from './config/describe-config';
export { IsIntInRange, IsPort, IsRedisUrl, IsUrlWithProtocols } from './config/validators';
export {
  DEFAULT_DRAIN_TIMEOUT_MS,
  LOG_LEVELS,
  ServiceConfig,
  type LogLevelName,
} from './config/service-config';
export {
  EXIT_CONFIG_ERROR,
  EXIT_STARTUP_FAILED,
  EXIT_USAGE,
  bootCli,
  bootConfig,
  failStartup,
  loadDotEnv,
  type BootCliOptions,
  type CliIo,
} from './config/boot-config';

// logging
export { createLogger, type CreateLoggerOptions } from './logging/create-logger';
export { REDACTED, REDACTED_FIELDS, REDACT_DEPTH, censorSecrets } from './logging/redact';
export { PinoNestLogger } from './logging/nest-logger';
export { APP_LOGGER } from './logging/logging.tokens';
export { LoggingModule } from './logging/logging.module';

// metrics
export { createMetricsRegistry, type MetricsRegistryOptions } from './metrics/metrics-registry';
export { METRICS_REGISTRY } from './metrics/metrics.tokens';
export { MetricsModule } from './metrics/metrics.module';

// health and ops
export { type ReadinessCheck } from './health/readiness-check';
export { OPS_OPTIONS, type OpsOptions } from './health/ops.tokens';
export { HealthRegistry, READINESS_CHECK_TIMEOUT_MS, type HealthAnswer } from './health/health-registry';
export { OpsServer } from './health/ops-server';
export { OpsModule } from './health/ops.module';

// redis
export { parseRedisUrl, type RedisAuth, type RedisNode, type RedisTarget } from './redis/redis-url';
export {
  DEFAULT_REDIS_OPTIONS,
  closeRedisClient,
  createRedisClient,
  redisConstructionFor,
  waitForRedisReady,
  type RedisClient,
  type RedisClientOptions,
  type RedisConstruction,
} from './redis/redis-client';
export { RedisKeys } from './redis/redis-keys';
export { redisReadinessCheck } from './redis/redis-readiness';
export { REDIS_CLIENT, REDIS_KEYS } from './redis/redis.tokens';
export { RedisModule, type RedisModuleOptions } from './redis/redis.module';

// lifecycle
export { endpointOf, formatEndpoints, type RunnableService, type ServiceEndpoint } from './lifecycle/runnable-service';
export {
  EXIT_CLEAN,
  EXIT_DRAIN_FAILED,
  closeWithTimeout,
  installShutdownHandlers,
  type Closable,
  type ShutdownOptions,
  type SignalSource,
} from './lifecycle/shutdown';
export { ServiceHost, type ServiceHostOptions } from './lifecycle/service-host';
export { HttpDrainModule, IDLE_REAP_INTERVAL_MS, IdleConnectionReaper } from './lifecycle/http-drain';
export {
  createServiceRuntime,
  type ServiceRuntime,
  type ServiceRuntimeOptions,
} from './lifecycle/service-runtime';
