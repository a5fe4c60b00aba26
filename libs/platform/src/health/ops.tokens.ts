import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { ReadinessCheck } from './readiness-check';

/** Options of `OpsModule.forRoot`. */
export interface OpsOptions {
  /** `OPS_HOST`. */
  readonly host: string;
  /** `OPS_PORT` (0 = any free port, for tests). */
  readonly port: number;
  /** The app instance's metrics registry, served on `/metrics`. */
  readonly registry: Registry;
  /** The app instance's logger (readiness changes, listen/close). */
  readonly logger: Logger;
  /** Readiness checks known when the app is built (e.g. Redis ping); more via `HealthRegistry.addReadinessCheck`. */
  readonly readiness?: readonly ReadinessCheck[];
}

/** Injection token of `OpsOptions`. */
export const OPS_OPTIONS = Symbol('pos-link:ops-options');
