import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** The repository root (this file is tools/deploy-check/src/workspace.ts). */
export const WORKSPACE_ROOT = path.resolve(__dirname, '../../..');

/** One deployable service: its app folder, its ops port and its containers in docker-compose.yml. */
export interface ServiceSpec {
  /** `apps/<app>`, also the Kubernetes Deployment and container name. */
  readonly app: string;
  /** DESIGN §8: the default `OPS_PORT` (health and metrics). */
  readonly opsPort: number;
  /** The docker-compose services running this app (the gateway runs as two replicas). */
  readonly composeServices: readonly string[];
  /** Whether the service scales on load (DESIGN §1: gateway and ingress; key-sync has one leader). */
  readonly autoscaled: boolean;
}

/** The three services (DESIGN §1, §8). */
export const SERVICES: readonly ServiceSpec[] = [
  { app: 'key-sync', opsPort: 9081, composeServices: ['key-sync'], autoscaled: false },
  { app: 'secure-gateway', opsPort: 9080, composeServices: ['secure-gateway-1', 'secure-gateway-2'], autoscaled: true },
  { app: 'event-stream-ingress', opsPort: 9082, composeServices: ['event-stream-ingress'], autoscaled: true },
];

/** key-sync runs two replicas: one leader through a Redis lock, one stand-by (DESIGN §1). */
export const KEY_SYNC_REPLICAS = 2;

/** The simulators built from tools/Dockerfile.sim (DESIGN §1), and whether they listen. */
export const SIMULATORS: ReadonlyArray<{ readonly name: string; readonly listens: boolean }> = [
  { name: 'portal-sim', listens: true },
  { name: 'kitchen-sim', listens: true },
  { name: 'pos-sim', listens: false },
  { name: 'device-sim', listens: false },
];

/** Every Dockerfile of the repository, relative to the root. */
export const DOCKERFILES: readonly string[] = [...SERVICES.map((s) => `apps/${s.app}/Dockerfile`), 'tools/Dockerfile.sim'];

/** Absolute path of a repository-relative path. */
export function fromRoot(...parts: string[]): string {
  return path.join(WORKSPACE_ROOT, ...parts);
}

/** The Kustomize overlays (`deploy/overlays/<name>`), found on disk so a new overlay is checked too. */
export function listOverlays(): string[] {
  const dir = fromRoot('deploy', 'overlays');
  return readdirSync(dir)
    .filter((name) => statSync(path.join(dir, name)).isDirectory())
    .sort();
}
