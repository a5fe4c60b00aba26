import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import path from 'node:path';
import { ConfigError } from './config-error';
import { describeConfig, renderConfigMarkdown, renderEnvTemplate, type ConfigRow } from './describe-config';
import { loadConfig, type ConfigClass, type LoadConfigOptions } from './load-config';

/** Exit status for a configuration error: `EX_CONFIG` of sysexits(3), so orchestrators can tell it apart. */
export const EXIT_CONFIG_ERROR = 78;
/** Exit status for an unknown command-line argument: `EX_USAGE` of sysexits(3). */
export const EXIT_USAGE = 64;
/** Exit status for any other startup failure. */
export const EXIT_STARTUP_FAILED = 1;

/** The command-line modes every app's `main.js` understands (documented in docs/configuration.md). */
const USAGE = `usage: node main.js [--check-config | --print-config[=json] | --print-env]
  --check-config       validate the environment (and .env), print "configuration ok" or the problems, exit
  --print-config       print the variables as a Markdown table (--print-config=json: as JSON rows), exit
  --print-env          print a .env template with every variable and its default, exit`;

/** Where `bootCli` writes and how it exits; tests replace these. */
export interface CliIo {
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly exit: (code: number) => never;
}

/** What `bootCli` needs to know about an app. */
export interface BootCliOptions<T> {
  /** The app's name, prefixed to every message (`secure-gateway: …`). */
  readonly app: string;
  /** The rows `--print-config` / `--print-env` print. */
  readonly rows: readonly ConfigRow[];
  /** Loads the full configuration from an environment; throws `ConfigError` when it is invalid. */
  readonly load: (env: NodeJS.ProcessEnv) => T;
  /** The `.env` file to read if it exists (default `.env` in the working directory); `false` = none. */
  readonly envFile?: string | false;
}

const defaultIo = (): CliIo => ({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  exit: (code) => process.exit(code),
});

/**
 * Loads a `.env` file into `env` (default `process.env`) when it exists (DESIGN §8). Variables
 * already set win, as with `process.loadEnvFile`, whose parser (`util.parseEnv`) this uses; unlike
 * it, the target is explicit, so tests and the standalone composition can pass their own object.
 * Returns whether a file was read.
 */
export function loadDotEnv(file = path.resolve('.env'), env: NodeJS.ProcessEnv = process.env): boolean {
  if (!existsSync(file)) return false;
  for (const [name, value] of Object.entries(parseEnv(readFileSync(file, 'utf8')))) {
    if (env[name] === undefined && value !== undefined) env[name] = value;
  }
  return true;
}

/**
 * The configuration step of every `main.ts`: reads `.env`, handles `--check-config`,
 * `--print-config[=json]` and `--print-env` (each prints and exits), otherwise loads the config
 * and returns it. An invalid configuration prints every problem to stderr and exits with
 * `EXIT_CONFIG_ERROR` (78) before anything is built.
 */
export function bootCli<T>(options: BootCliOptions<T>, io: CliIo = defaultIo()): T {
  if (options.envFile !== false) loadDotEnv(options.envFile, io.env);
  const [mode, ...rest] = io.argv;
  if (rest.length > 0 || (mode !== undefined && !/^--(check-config|print-config(=json)?|print-env)$/.test(mode))) {
    io.stderr(`${options.app}: unknown arguments: ${io.argv.join(' ')}\n${USAGE}\n`);
    return io.exit(EXIT_USAGE);
  }
  if (mode === '--print-config') {
    io.stdout(renderConfigMarkdown(options.rows));
    return io.exit(0);
  }
  if (mode === '--print-config=json') {
    io.stdout(`${JSON.stringify(options.rows, null, 2)}\n`);
    return io.exit(0);
  }
  if (mode === '--print-env') {
    io.stdout(renderEnvTemplate(options.rows));
    return io.exit(0);
  }
  let config: T;
  try {
    config = options.load(io.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(`${options.app}: ${error.message}\n`);
    return io.exit(EXIT_CONFIG_ERROR);
  }
  if (mode === '--check-config') {
    io.stdout(`${options.app}: configuration ok\n`);
    return io.exit(0);
  }
  return config;
}

/** `bootCli` for the common case of one config class. */
export function bootConfig<T extends object>(
  configClass: ConfigClass<T>,
  options: { readonly app: string; readonly envFile?: string | false } & LoadConfigOptions,
  io?: CliIo,
): T {
  return bootCli(
    {
      app: options.app,
      rows: describeConfig(configClass),
      load: (env) => loadConfig(configClass, env, options),
      envFile: options.envFile,
    },
    io,
  );
}

/**
 * The last resort of a `main.ts`: reports a startup failure on stderr (a `ConfigError` raised
 * after `bootCli`, e.g. by the standalone composition, exits 78; anything else 1).
 */
export function failStartup(app: string, error: unknown, io: Pick<CliIo, 'stderr' | 'exit'> = defaultIo()): never {
  if (error instanceof ConfigError) {
    io.stderr(`${app}: ${error.message}\n`);
    return io.exit(EXIT_CONFIG_ERROR);
  }
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr(`${app}: startup failed: ${text}\n`);
  return io.exit(EXIT_STARTUP_FAILED);
}
