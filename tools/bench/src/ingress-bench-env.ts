/**
 * What the ingress benchmarks share: the integrator credentials the POS side validates, and the ingress
 * child's environment — loopback listeners on ephemeral ports, a fresh wrap secret, its own key prefix.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { isIngressProbeChild, runIngressProbeChild } from '@pos-link/ingress/testing';
import { runBench } from './harness';

/** DESIGN §7: Redis tests and benchmarks use `REDIS_URL`. */
export const BENCH_REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** The integrator the ingress sends in `register_client` and pos-sim expects (fresh per run). */
export const BENCH_INTEGRATOR = Object.freeze({ keyId: 'bench-integrator', secretKey: randomBytes(24).toString('base64url') });

/** The site the ingress serves. */
export const BENCH_SITE = 'bench';

/** The bundle is both the benchmark and its ingress child (`IngressProbe` starts it again): run the right one. */
export function runIngressBench(main: () => Promise<void>): void {
  if (isIngressProbeChild()) void runIngressProbeChild();
  else runBench(main);
}

/** The ingress child's environment; `overrides` adds or replaces variables. */
export function ingressBenchEnv(overrides: Readonly<Record<string, string>> = {}): Record<string, string> {
  return {
    REDIS_URL: BENCH_REDIS_URL,
    REDIS_PREFIX: `bench:ingress:${randomUUID()}`,
    SITE_ID: BENCH_SITE,
    PES_HOST: '127.0.0.1',
    PES_PORT: '0',
    OPS_HOST: '127.0.0.1',
    OPS_PORT: '0',
    KEY_WRAP_SECRET: randomBytes(32).toString('base64url'),
    INTEGRATOR_KEY_ID: BENCH_INTEGRATOR.keyId,
    INTEGRATOR_SECRET_KEY: BENCH_INTEGRATOR.secretKey,
    ...overrides,
  };
}
