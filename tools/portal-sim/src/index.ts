/**
 * `@pos-link/portal-sim`: a simulated Portal (seed 001) — a real HTTP server serving site objects with
 * rotating keys, admin routes and injectable faults — for tests, the standalone demo and benchmarks.
 * The CLI is `src/cli.ts`.
 */
export { startPortalSim, type PortalSim } from './portal-sim';
export {
  DEFAULT_KEY_PERIOD_MS,
  DEFAULT_OVERLAP_MS,
  DEFAULT_PORTAL_SIM_AUTH,
  DEFAULT_ROTATION_MS,
  DEFAULT_SERVICE,
  type PortalSimOptions,
  type PortalSimSiteOptions,
} from './options';
export {
  DEFAULT_FAULT_LATENCY_MS,
  PORTAL_FAULT_KINDS,
  isPortalFaultKind,
  type PortalFault,
  type PortalFaultKind,
} from './faults';
export type { PortalSimStats, RotationListener } from './portal-state';
export type { PortalSimKey } from './sim-key';
export { seedStyleTimestamp } from './site-object';
