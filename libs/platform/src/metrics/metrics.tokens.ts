/** Injection token of the app instance's prom-client `Registry` (see `MetricsModule`). */
export const METRICS_REGISTRY = Symbol('pos-link:metrics-registry');
