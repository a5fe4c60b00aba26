import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseVariableTable, type AppVariable } from './app-variables';
import { SERVICES, SIMULATORS, fromRoot, WORKSPACE_ROOT } from './workspace';

/** The environment variable through which the global setup hands the facts file to the specs. */
export const FACTS_ENV = 'POSLINK_DEPLOY_CHECK_FACTS';

/** Bundling every app and simulator and printing three configs: generous for 2 cores. */
const BUNDLE_TIMEOUT_MS = 300_000;
const PRINT_CONFIG_TIMEOUT_MS = 30_000;

/** One app, bundled the way its Dockerfile bundles it. */
export interface AppFacts {
  readonly bundle: string;
  /** Its variables (`main.js --print-config=json`), when the bundle built and printed them. */
  readonly variables?: readonly AppVariable[];
  /** Why the bundle or the table is missing. */
  readonly error?: string;
}

/** One simulator CLI, bundled the way tools/Dockerfile.sim bundles it. */
export interface SimulatorFacts {
  /** `tools/<sim>/src/cli.ts` does not exist (yet). */
  readonly missing: boolean;
  readonly bundle?: string;
  readonly error?: string;
}

/** What the global setup learns once per run, for every spec. */
export interface DeployFacts {
  /** Scratch directory under tmp/ (ignored by git), removed by the global teardown. */
  readonly dir: string;
  readonly apps: Readonly<Record<string, AppFacts>>;
  readonly simulators: Readonly<Record<string, SimulatorFacts>>;
}

function bundleAll(jobs: Array<{ entry: string; outfile: string }>): Array<{ outfile: string; error?: string }> {
  const out = execFileSync(process.execPath, [path.join(__dirname, 'bundle-entries.mjs')], {
    cwd: WORKSPACE_ROOT,
    input: JSON.stringify(jobs),
    timeout: BUNDLE_TIMEOUT_MS,
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(out.toString('utf8')) as Array<{ outfile: string; error?: string }>;
}

function printVariables(app: string, bundle: string, cwd: string): AppFacts {
  // A clean environment and a scratch cwd: no developer .env or shell variable leaks in.
  const run = spawnSync(process.execPath, [bundle, '--print-config=json'], {
    cwd,
    env: { PATH: process.env['PATH'] ?? '' },
    encoding: 'utf8',
    timeout: PRINT_CONFIG_TIMEOUT_MS,
  });
  if (run.status !== 0) return { bundle, error: `${app} --print-config=json exited ${run.status}: ${(run.stderr || run.stdout).trim().slice(0, 400)}` };
  try {
    return { bundle, variables: parseVariableTable(app, run.stdout) };
  } catch (error) {
    return { bundle, error: (error as Error).message };
  }
}

/**
 * Bundles every app (`apps/<app>/src/main.ts`, as `node tools/build/bundle.mjs <app>` does in
 * its Dockerfile) and every simulator CLI that exists (as tools/Dockerfile.sim does) into
 * `dir`, then asks each app bundle for its variable table.
 */
export function collectDeployFacts(dir: string): DeployFacts {
  mkdirSync(dir, { recursive: true });
  const sims = SIMULATORS.map(({ name }) => ({ name, entry: fromRoot('tools', name, 'src', 'cli.ts') }));
  const present = sims.filter((s) => existsSync(s.entry));
  const jobs = [
    ...SERVICES.map(({ app }) => ({ entry: fromRoot('apps', app, 'src', 'main.ts'), outfile: path.join(dir, 'apps', app, 'main.js') })),
    ...present.map(({ name, entry }) => ({ entry, outfile: path.join(dir, 'tools', name, 'cli.js') })),
  ];
  const results = new Map(bundleAll(jobs).map((r) => [r.outfile, r.error]));
  const apps: Record<string, AppFacts> = {};
  for (const { app } of SERVICES) {
    const bundle = path.join(dir, 'apps', app, 'main.js');
    const error = results.get(bundle);
    apps[app] = error ? { bundle, error: `bundling apps/${app} failed: ${error}` } : printVariables(app, bundle, dir);
  }
  const simulators: Record<string, SimulatorFacts> = {};
  for (const { name, entry } of sims) {
    const bundle = path.join(dir, 'tools', name, 'cli.js');
    const error = results.get(bundle);
    simulators[name] = !existsSync(entry) ? { missing: true } : error ? { missing: false, error } : { missing: false, bundle };
  }
  return { dir, apps, simulators };
}

/** Writes the facts where `readDeployFacts` finds them; returns the file. */
export function writeDeployFacts(facts: DeployFacts): string {
  const file = path.join(facts.dir, 'facts.json');
  writeFileSync(file, JSON.stringify(facts));
  return file;
}

/** The facts of this run (set up by global-setup.ts); throws when the global setup did not run. */
export function readDeployFacts(): DeployFacts {
  const file = process.env[FACTS_ENV];
  if (!file || !existsSync(file)) throw new Error(`no deploy facts: run through tools/deploy-check/jest.config.cjs (its global setup sets ${FACTS_ENV})`);
  return JSON.parse(readFileSync(file, 'utf8')) as DeployFacts;
}

/** An app's variable table, or an error saying why there is none (the bundle or its --print-config failed). */
export function appVariables(facts: DeployFacts, app: string): readonly AppVariable[] {
  const entry = facts.apps[app];
  if (!entry?.variables) throw new Error(entry?.error ?? `no facts for ${app}`);
  return entry.variables;
}
