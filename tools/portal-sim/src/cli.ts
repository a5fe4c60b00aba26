import { parseArgs } from 'node:util';
import { DEFAULT_OVERLAP_MS, DEFAULT_PORTAL_SIM_AUTH, DEFAULT_ROTATION_MS, DEFAULT_SERVICE } from './options';
import { startPortalSim, type PortalSim } from './portal-sim';

/** Where the CLI writes; tests pass collectors. */
export interface CliIo {
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The default port of the standalone simulator (key-sync's `PORTAL_URL` is then http://127.0.0.1:8070). */
export const DEFAULT_CLI_PORT = 8070;

/** The `--help` text (flags, env fallbacks and defaults). */
export const USAGE = `portal-sim — a simulated Portal (seed 001): GET /sites/:siteId with rotating keys

Usage: portal-sim [options]

  --port <n>             listen port (env PORTAL_SIM_PORT; default ${DEFAULT_CLI_PORT}; 0 = ephemeral)
  --host <addr>          listen address (env PORTAL_SIM_HOST; default 127.0.0.1, use 0.0.0.0 in a container)
  --auth <value>         required Authorization value (env PORTAL_AUTH; default "${DEFAULT_PORTAL_SIM_AUTH}")
  --admin-auth <value>   Authorization required on /admin/* (default: admin routes open)
  --sites <a,b,…>        site ids (env SITE_IDS; default "site-1")
  --plaintext-sites <…>  site ids served with encryption: false
  --service <name>       security-field entry (env PORTAL_SERVICE; default ${DEFAULT_SERVICE})
  --rotation-ms <n>      automatic rotation interval, 0 = off (default ${DEFAULT_ROTATION_MS})
  --overlap-ms <n>       previous key stays valid this long after a rotation (default ${DEFAULT_OVERLAP_MS})
  --lead-ms <n>          list a new key this long before it becomes valid (default 0)
  --seed <text>          reproducible key values and fingerprints
  -h, --help             print this text

Admin: POST /admin/sites/:id/rotate, POST /admin/sites/:id/encryption {"enabled":bool},
       POST /admin/faults {"kind","count?","latencyMs?","siteId?"}, DELETE /admin/faults,
       GET /admin/stats, DELETE /admin/stats
`;

function list(text: string | undefined): string[] {
  return (text ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function integer(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new TypeError(`--${name} must be a non-negative integer`);
  return Number(text);
}

/**
 * Runs the CLI: starts the simulator and prints one JSON line with its URL, or prints the usage.
 * @returns the running simulator, or undefined for `--help`
 * @throws TypeError for bad arguments (the caller prints it and exits 2)
 */
export async function runPortalSimCli(argv: readonly string[], io: CliIo): Promise<PortalSim | undefined> {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      auth: { type: 'string' },
      'admin-auth': { type: 'string' },
      sites: { type: 'string' },
      'plaintext-sites': { type: 'string' },
      service: { type: 'string' },
      'rotation-ms': { type: 'string' },
      'overlap-ms': { type: 'string' },
      'lead-ms': { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    io.stdout(USAGE);
    return undefined;
  }
  const plaintext = new Set(list(values['plaintext-sites']));
  const siteIds = list(values.sites ?? io.env['SITE_IDS'] ?? 'site-1');
  for (const siteId of plaintext) if (!siteIds.includes(siteId)) siteIds.push(siteId);
  const sim = await startPortalSim({
    port: integer(values.port ?? io.env['PORTAL_SIM_PORT'], 'port') ?? DEFAULT_CLI_PORT,
    host: values.host ?? io.env['PORTAL_SIM_HOST'],
    auth: values.auth ?? io.env['PORTAL_AUTH'],
    adminAuth: values['admin-auth'],
    sites: siteIds.map((siteId) => ({ siteId, encryption: !plaintext.has(siteId) })),
    service: values.service ?? io.env['PORTAL_SERVICE'],
    rotationMs: integer(values['rotation-ms'], 'rotation-ms'),
    overlapMs: integer(values['overlap-ms'], 'overlap-ms'),
    leadMs: integer(values['lead-ms'], 'lead-ms'),
    seed: values.seed,
  });
  io.stdout(JSON.stringify({ event: 'portal-sim listening', url: sim.url, sites: siteIds }));
  return sim;
}

async function main(): Promise<void> {
  const io: CliIo = {
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
  };
  let sim: PortalSim | undefined;
  try {
    sim = await runPortalSimCli(process.argv.slice(2), io);
  } catch (error) {
    io.stderr(`portal-sim: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (sim === undefined) return;
  const running = sim;
  const stop = (): void => void running.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) void main();
