import { Registry, collectDefaultMetrics } from 'prom-client';

/** Options of `createMetricsRegistry`. */
export interface MetricsRegistryOptions {
  /** The app's name: the `app` label on every series of this registry. */
  readonly app: string;
  /** Register prom-client's process/runtime metrics (default true). */
  readonly processMetrics?: boolean;
}

/**
 * The Prometheus registry of ONE app instance (DESIGN §7). Never prom-client's global default
 * registry: the standalone process runs three apps, each serving its own `/metrics` with its own
 * `app` label, and a test may build the same app twice. Process metrics are registered once here,
 * on this registry.
 */
export function createMetricsRegistry(options: MetricsRegistryOptions): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ app: options.app });
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
  return registry;
}
