import { IsIn, IsString, Matches, MinLength } from 'class-validator';
import { EnvVar } from './env-var';
import { IsIntInRange, IsPort, IsRedisUrl } from './validators';

/** pino's levels plus `silent` (tests, or a sidecar collecting nothing). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A `LOG_LEVEL` value. */
export type LogLevelName = (typeof LOG_LEVELS)[number];

/**
 * Ten seconds to drain: well inside Kubernetes' default 30 s termination grace period, so the
 * process exits on its own before it would be SIGKILLed.
 */
export const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;

/** An hour: a drain longer than this is a misconfiguration, not patience. */
const MAX_DRAIN_TIMEOUT_MS = 3_600_000;

/**
 * The variables every service shares (DESIGN §8): logging, drain, the ops port and Redis. Each
 * app's config class extends it and sets its own `OPS_PORT` default (`override opsPort = 9080`).
 */
export abstract class ServiceConfig {
  /** `LOG_LEVEL`. */
  @EnvVar({ name: 'LOG_LEVEL', kind: 'string', doc: 'pino log level: fatal, error, warn, info, debug, trace or silent.' })
  @IsIn(LOG_LEVELS)
  logLevel: LogLevelName = 'info';

  /** `DRAIN_TIMEOUT_MS`. */
  @EnvVar({
    name: 'DRAIN_TIMEOUT_MS',
    kind: 'integer',
    doc: 'On SIGTERM/SIGINT, how long in-flight work may drain before the process exits with status 1.',
  })
  @IsIntInRange(0, MAX_DRAIN_TIMEOUT_MS)
  drainTimeoutMs = DEFAULT_DRAIN_TIMEOUT_MS;

  /** `OPS_HOST`. */
  @EnvVar({ name: 'OPS_HOST', doc: 'Address the ops server (/health/*, /metrics) binds to.' })
  @IsString()
  @MinLength(1)
  opsHost = '0.0.0.0';

  /** `OPS_PORT`; each app sets its default (gateway 9080, key-sync 9081, ingress 9082). */
  @EnvVar({ name: 'OPS_PORT', kind: 'integer', doc: 'Port of /health/live, /health/ready and /metrics (never the public port).' })
  @IsPort()
  opsPort!: number;

  /**
   * `REDIS_URL`; `undefined` only where the caller allowed it (`loadConfig`'s `allowUnset`: the
   * standalone process, meaning in-memory mode). Secret: the URL may carry a password.
   */
  @EnvVar({
    name: 'REDIS_URL',
    kind: 'string',
    secret: true,
    doc: 'redis://, rediss://, redis+sentinel://h1:26379,h2:26379/master or redis+cluster://h1:6379,h2:6379. Required, except in standalone mode where unset means in-memory.',
  })
  @IsRedisUrl()
  redisUrl?: string;

  /** `REDIS_PREFIX`; no braces, so it never forms a Cluster hash tag of its own. */
  @EnvVar({ name: 'REDIS_PREFIX', doc: 'Prefix of every Redis key and channel, so tests and tenants can share a server.' })
  @Matches(/^[A-Za-z0-9_.:-]+$/, { message: 'must contain only letters, digits and _ . : -' })
  redisPrefix = 'poslink';
}
