import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** The command-line tools the checks run, and how CI gets each (Debian packages, see .ci/run). */
export const EXTERNAL_TOOLS = {
  'docker-compose': { aptPackage: 'docker-compose' },
  kubectl: { aptPackage: 'kubernetes-client' },
} as const;

/** A tool the checks need. */
export type ExternalToolName = keyof typeof EXTERNAL_TOOLS;

/** Longest a tool may run: `kubectl kustomize` and `docker-compose config` take well under a second. */
const TOOL_TIMEOUT_MS = 60_000;

/** Where `name` is on `PATH`, or `undefined`. */
export function findOnPath(name: string, searchPath = process.env['PATH'] ?? ''): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

/**
 * The absolute path of a required tool. A missing tool is an error, never a skip: the checks
 * are the only place the deployment files are validated, so their absence must be loud.
 */
export function requireTool(name: ExternalToolName): string {
  const found = findOnPath(name);
  if (found) return found;
  const { aptPackage } = EXTERNAL_TOOLS[name];
  throw new Error(
    `${name} is not installed, so the deployment files cannot be checked: run .ci/run (it installs it) ` +
      `or \`apt-get install -y ${aptPackage}\``,
  );
}

/** The outcome of one run of a tool. */
export interface ToolRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a required tool in the repository root with a bounded time; never throws on a non-zero exit. */
export function runTool(
  name: ExternalToolName,
  args: readonly string[],
  options: { readonly cwd: string; readonly env?: NodeJS.ProcessEnv },
): ToolRun {
  const result = spawnSync(requireTool(name), args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    encoding: 'utf8',
    timeout: TOOL_TIMEOUT_MS,
    maxBuffer: 32 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
