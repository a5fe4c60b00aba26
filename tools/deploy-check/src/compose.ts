import { parse } from 'yaml';
import { runTool, type ToolRun } from './external-tool';
import { WORKSPACE_ROOT } from './workspace';

/** The compose file, relative to the repository root. */
export const COMPOSE_FILE = 'docker-compose.yml';

/** The parts of a `docker-compose config` service the checks read. */
export interface ComposeService {
  readonly image?: string;
  readonly build?: { readonly context?: string; readonly dockerfile?: string; readonly args?: Readonly<Record<string, string>> };
  readonly command?: readonly string[];
  readonly environment?: Readonly<Record<string, string | null>>;
  readonly healthcheck?: { readonly test?: readonly string[]; readonly disable?: boolean };
  readonly depends_on?: Readonly<Record<string, { readonly condition?: string }>>;
  readonly profiles?: readonly string[];
  readonly volumes?: ReadonlyArray<string | { readonly target?: string; readonly source?: string }>;
  readonly user?: string;
  readonly read_only?: boolean;
  readonly cap_drop?: readonly string[];
}

/** `docker-compose config`'s normalized file. */
export interface ComposeConfig {
  readonly services: Readonly<Record<string, ComposeService>>;
  readonly volumes?: Readonly<Record<string, unknown>>;
}

/**
 * Runs `docker-compose -f docker-compose.yml config` (apt's docker-compose v1, no Docker engine
 * needed) in the repository root with exactly `env` as its environment: interpolation then
 * depends on nothing but what the caller passes (not the developer's shell, nor a `.env` file,
 * which the caller names with `--env-file` when it wants one).
 */
export function composeConfigRun(env: Readonly<Record<string, string>>, extraArgs: readonly string[] = []): ToolRun {
  const base = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp' };
  return runTool('docker-compose', [...extraArgs, '-f', COMPOSE_FILE, 'config'], { cwd: WORKSPACE_ROOT, env: { ...base, ...env } });
}

/** Parses `docker-compose config` output; throws when it is not a file with services. */
export function parseComposeConfig(stdout: string): ComposeConfig {
  const parsed: unknown = parse(stdout);
  const services = (parsed as { services?: unknown } | null)?.services;
  if (typeof services !== 'object' || services === null) throw new Error('docker-compose config printed no services');
  return parsed as ComposeConfig;
}
