#!/usr/bin/env node
/**
 * pos-sim CLI: N simulated POS terminals streaming order events to an event-stream-ingress.
 * Run with `node dist/... ` or through ts tooling; `--help` lists the options.
 */
import { parseArgs } from 'node:util';
import { isOaepHash, isPesCipherName } from '@pos-link/crypto';
import { PosSimulator } from './pos-simulator';
import type { PosStatsSnapshot } from './pos-stats';

const HELP = `pos-sim — simulated POS terminals for the POS Event Stream (DESIGN §6)

usage: pos-sim [options]

  --host <host>            ingress host (default 127.0.0.1)
  --port <port>            ingress PES_PORT (default 5555)
  --connections <n>        concurrent terminals (default 1)
  --events <n>             events per terminal; 0 = until interrupted (default 100)
  --rate <n>               events per second per terminal; 0 = as fast as the window allows (default 0)
  --window <n>             unanswered events per terminal (default 64)
  --reconnect-ms <ms>      reconnect interval (default 1000)
  --key-pool <n>           reuse n pre-made RSA-2048 pairs (load mode); 0 = fresh pair per connection (default 0)
  --key-id <id>            integrator key_id this POS accepts (default $INTEGRATOR_KEY_ID)
  --secret-key <secret>    integrator secret_key this POS accepts (default $INTEGRATOR_SECRET_KEY)
  --offline                validate offline (only clients validated online in the last 30 days pass)
  --cipher <name>          aes-256-gcm (default) | aes-256-cbc — must match the ingress's PES_CIPHER
  --oaep <hash>            auto (default) | sha256 | sha1
  --verbose                print every nack
  --help                   this text

Prints progress every second, then acks, nacks by code and ack latency (p50/p99/max).
`;

function int(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`--${name} must be a non-negative integer`);
  return value;
}

function line(s: PosStatsSnapshot): string {
  const nacks = Object.entries(s.nacks).map(([code, n]) => `${code}:${n}`).join(' ') || '0';
  return `acked=${s.acked} nacks=${nacks} sent=${s.sent} resent=${s.resent} handshakes=${s.handshakes} latency_ms p50=${s.latencyMs.p50.toFixed(2)} p99=${s.latencyMs.p99.toFixed(2)} max=${s.latencyMs.max.toFixed(2)}`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      connections: { type: 'string' },
      events: { type: 'string' },
      rate: { type: 'string' },
      window: { type: 'string' },
      'reconnect-ms': { type: 'string' },
      'key-pool': { type: 'string' },
      'key-id': { type: 'string' },
      'secret-key': { type: 'string' },
      offline: { type: 'boolean' },
      cipher: { type: 'string' },
      oaep: { type: 'string' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help === true) {
    process.stdout.write(HELP);
    return 0;
  }
  const keyId = values['key-id'] ?? process.env['INTEGRATOR_KEY_ID'];
  const secretKey = values['secret-key'] ?? process.env['INTEGRATOR_SECRET_KEY'];
  if (keyId === undefined || secretKey === undefined) throw new Error('--key-id and --secret-key (or INTEGRATOR_KEY_ID/INTEGRATOR_SECRET_KEY) are required');
  const cipher = values.cipher ?? 'aes-256-gcm';
  if (!isPesCipherName(cipher)) throw new Error('--cipher must be aes-256-gcm or aes-256-cbc');
  const oaep = values.oaep ?? 'auto';
  if (oaep !== 'auto' && !isOaepHash(oaep)) throw new Error('--oaep must be auto, sha256 or sha1');
  const events = int('events', values.events, 100);
  const pool = int('key-pool', values['key-pool'], 0);

  const sim = new PosSimulator({
    host: values.host ?? '127.0.0.1',
    port: int('port', values.port, 5555),
    connections: Math.max(1, int('connections', values.connections, 1)),
    eventsPerConnection: events === 0 ? Infinity : events,
    rate: int('rate', values.rate, 0),
    window: Math.max(1, int('window', values.window, 64)),
    reconnectIntervalMs: int('reconnect-ms', values['reconnect-ms'], 1000),
    keys: pool > 0 ? { poolSize: pool } : 'fresh',
    integrator: { keyId, secretKey },
    cipher,
    oaepHash: oaep,
    onAnswer:
      values.verbose === true
        ? (terminal, answer) => {
            if (answer.resp === 'nack') process.stdout.write(`${terminal} nack ${answer.msgType} ${answer.msgId} code=${answer.code ?? '?'} ${answer.message ?? ''}\n`);
          }
        : undefined,
  });
  if (values.offline === true) sim.validator.setOnline(false);

  const progress = setInterval(() => process.stdout.write(`${line(sim.stats())}\n`), 1000);
  const interrupted = new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  await sim.start();
  await Promise.race([sim.done(), interrupted]);
  clearInterval(progress);
  await sim.stop();
  process.stdout.write(`done: ${line(sim.stats())}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`pos-sim: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
