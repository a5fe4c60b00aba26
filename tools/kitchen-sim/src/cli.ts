import { parseArgs } from 'node:util';
import { startKitchenSim, type KitchenSim } from './kitchen-sim';
import { DEFAULT_HEARTBEAT_MS, DEFAULT_MAX_RECORDED } from './options';

/** Where the CLI writes and what it reads; tests pass collectors. */
export interface CliIo {
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
}

/** Default port of the standalone simulator (the gateway's `UPSTREAM_URL` is then http://127.0.0.1:8090/sites/{site}). */
export const DEFAULT_CLI_PORT = 8090;

/** The `--help` text. */
export const USAGE = `kitchen-sim — a stand-in for Enterprise Kitchen: REST (POST /order, POST /alert, …) and WebSocket events

Usage: kitchen-sim [options]

  --port <n>               listen port (default ${DEFAULT_CLI_PORT}; 0 = ephemeral)
  --host <addr>            listen address (default 127.0.0.1)
  --heartbeat-ms <n>       "isAlive?" to every WebSocket every n ms, 0 = off (default ${DEFAULT_HEARTBEAT_MS})
  --event-interval-ms <n>  scheduled item-ready/bump/recall events, 0 = off (default 0)
  --ws-echo                echo WebSocket messages back to their sender
  --max-recorded <n>       requests/messages kept for /_sim/received (default ${DEFAULT_MAX_RECORDED})
  --verbose                print every request and WebSocket message as a JSON line
  -h, --help               print this text

Gateway settings: UPSTREAM_URL=http://<host>:<port>/sites/{site}  UPSTREAM_WS_URL=ws://<host>:<port>/ws/{site}
Admin: GET|DELETE /_sim/received, GET /_sim/received-ws, GET /_sim/connections,
       POST|DELETE /_sim/behaviour {"path","method","site","status","latencyMs","body","contentType","hang","empty","times"},
       POST /_sim/emit {"site","event"}, POST /_sim/drop {"site"?}
Exit codes: 0 stopped by SIGINT/SIGTERM, 1 could not start (e.g. port in use), 2 usage error.
`;

function integer(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new TypeError(`--${name} must be a non-negative integer`);
  return Number(text);
}

/**
 * Runs the CLI: starts the simulator and prints one JSON line with its URLs, or prints the usage.
 * @returns the running simulator, or undefined for `--help`
 * @throws TypeError for bad arguments (the caller prints it and exits 2)
 */
export async function runKitchenSimCli(argv: readonly string[], io: CliIo): Promise<KitchenSim | undefined> {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'heartbeat-ms': { type: 'string' },
      'event-interval-ms': { type: 'string' },
      'ws-echo': { type: 'boolean' },
      'max-recorded': { type: 'string' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    io.stdout(USAGE);
    return undefined;
  }
  const sim = await startKitchenSim({
    port: integer(values.port, 'port') ?? DEFAULT_CLI_PORT,
    host: values.host,
    heartbeatMs: integer(values['heartbeat-ms'], 'heartbeat-ms'),
    eventIntervalMs: integer(values['event-interval-ms'], 'event-interval-ms'),
    wsEcho: values['ws-echo'],
    maxRecorded: integer(values['max-recorded'], 'max-recorded'),
  });
  if (values.verbose === true) {
    sim.on('request', (r) => io.stdout(JSON.stringify({ event: 'request', method: r.method, path: r.path, site: r.site, body: r.body })));
    sim.on('connection', (c) => io.stdout(JSON.stringify({ event: 'ws-connection', id: c.id, site: c.site })));
    sim.on('message', (m) => io.stdout(JSON.stringify({ event: 'ws-message', id: m.connectionId, site: m.site, data: m.data })));
    sim.on('disconnect', (c) => io.stdout(JSON.stringify({ event: 'ws-disconnect', id: c.id, site: c.site })));
  }
  io.stdout(
    JSON.stringify({ event: 'kitchen-sim listening', url: sim.url, upstreamUrl: sim.upstreamUrl, upstreamWsUrl: sim.upstreamWsUrl }),
  );
  return sim;
}

async function main(): Promise<void> {
  const io: CliIo = {
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
  };
  let sim: KitchenSim | undefined;
  try {
    sim = await runKitchenSimCli(process.argv.slice(2), io);
  } catch (error) {
    // Duck-typed: parseArgs' TypeError may come from another realm (test runners).
    const usage = typeof error === 'object' && error !== null && (error as Error).name === 'TypeError';
    io.stderr(`kitchen-sim: ${String((error as Error)?.message ?? error)}${usage ? `\n\n${USAGE}` : ''}`);
    process.exitCode = usage ? 2 : 1;
    return;
  }
  if (sim === undefined) return;
  const running = sim;
  const stop = (): void => void running.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) void main();
