import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_BACKOFF } from './backoff';
import { startDeviceSim, type DeviceSim } from './device-sim';
import { screenLine } from './device-status';
import type { DeviceTlsOptions } from './options';

/** Where the CLI writes; tests pass collectors. */
export interface CliIo {
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
}

/** The `--help` text. */
export const USAGE = `device-sim — a payment terminal (Verifone SCA in WebSocket mode) that dials out to the gateway

Usage: device-sim --url <ws://gw:8080/> --pinpad-id <id> [options]

  --url <url>               the gateway's terminal endpoint (ws:// or wss://; path / by default)
  --pinpad-id <id>          sent as x-vfi-pinpad-id (repeat to run several terminals)
  --ca <file>               CA certificate (PEM) that signs the gateway's certificate
  --cert <file>             client certificate (PEM) for mutual TLS
  --key <file>              its private key (PEM)
  --insecure                do not verify the gateway's certificate (testing only)
  --delay <CMD=ms>          answer delay: PAYMENT/SALE=2000, PAYMENT=500 or *=100 (repeatable)
  --backoff-initial-ms <n>  first reconnect delay (default ${DEFAULT_BACKOFF.initialMs})
  --backoff-max-ms <n>      reconnect delay cap (default ${DEFAULT_BACKOFF.maxMs})
  --quiet                   print status changes only, not each request
  -h, --help                print this text

Answers SESSION START/FINISH, ADMIN GET_COUNTER, PAYMENT SALE/CAPTURE/AUTH/CREDIT (approved) and
SECONDARYPORT STATUS; anything else gets an error RESPONSE. Prints a status line per change, e.g.
"[pinpad 1] reconnecting (attempt 2) — in 0.4 s (connection closed (1006))".
Exit codes: 0 stopped by SIGINT/SIGTERM, 1 could not start, 2 usage error.
`;

function integer(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new TypeError(`--${name} must be a non-negative integer`);
  return Number(text);
}

function delaysOf(list: readonly string[] | undefined): Record<string, number> {
  const delays: Record<string, number> = {};
  for (const item of list ?? []) {
    const match = /^([^=]+)=(\d+)$/.exec(item);
    if (match === null) throw new TypeError(`--delay must be CMD=ms, got ${JSON.stringify(item)}`);
    delays[match[1] ?? ''] = Number(match[2]);
  }
  return delays;
}

/**
 * Runs the CLI: starts one terminal per `--pinpad-id` and prints their status lines, or prints the usage.
 * @returns the running terminals, or undefined for `--help`
 * @throws TypeError for bad arguments (the caller prints it and exits 2)
 */
export function runDeviceSimCli(argv: readonly string[], io: CliIo): DeviceSim[] | undefined {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      url: { type: 'string' },
      'pinpad-id': { type: 'string', multiple: true },
      ca: { type: 'string' },
      cert: { type: 'string' },
      key: { type: 'string' },
      insecure: { type: 'boolean' },
      delay: { type: 'string', multiple: true },
      'backoff-initial-ms': { type: 'string' },
      'backoff-max-ms': { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    io.stdout(USAGE);
    return undefined;
  }
  if (values.url === undefined) throw new TypeError('--url is required');
  const ids = values['pinpad-id'] ?? [];
  if (ids.length === 0) throw new TypeError('--pinpad-id is required');
  const tls: DeviceTlsOptions = {
    ca: values.ca === undefined ? undefined : readFileSync(values.ca),
    cert: values.cert === undefined ? undefined : readFileSync(values.cert),
    key: values.key === undefined ? undefined : readFileSync(values.key),
    rejectUnauthorized: values.insecure !== true,
  };
  const delays = delaysOf(values.delay);
  const backoff = {
    initialMs: integer(values['backoff-initial-ms'], 'backoff-initial-ms'),
    maxMs: integer(values['backoff-max-ms'], 'backoff-max-ms'),
  };
  return ids.map((pinpadId) => {
    const sim = startDeviceSim({
      url: values.url ?? '',
      pinpadId,
      tls,
      delays,
      backoff: Object.fromEntries(Object.entries(backoff).filter(([, v]) => v !== undefined)),
    });
    io.stdout(screenLine(pinpadId, sim.status));
    sim.on('status', (status) => {
      if (status === 'connected' || status === 'closed') io.stdout(screenLine(pinpadId, status));
    });
    sim.on('retry', (retry) => io.stdout(screenLine(pinpadId, sim.status, retry)));
    if (values.quiet !== true) {
      sim.on('request', (h) => {
        const result = h.response === null ? 'no answer' : (/<RESULT>([^<]*)<\/RESULT>/.exec(h.response)?.[1] ?? '?');
        io.stdout(`[pinpad ${pinpadId}] ${h.command ?? 'invalid request'} → ${result}`);
      });
    }
    return sim;
  });
}

function main(): void {
  const io: CliIo = {
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
  };
  let sims: DeviceSim[] | undefined;
  try {
    sims = runDeviceSimCli(process.argv.slice(2), io);
  } catch (error) {
    // Duck-typed: parseArgs' TypeError may come from another realm (test runners).
    const usage = typeof error === 'object' && error !== null && (error as Error).name === 'TypeError';
    io.stderr(`device-sim: ${String((error as Error)?.message ?? error)}${usage ? `\n\n${USAGE}` : ''}`);
    process.exitCode = usage ? 2 : 1;
    return;
  }
  if (sims === undefined) return;
  const running = sims;
  const stop = (): void => void Promise.all(running.map((s) => s.close())).then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) main();
