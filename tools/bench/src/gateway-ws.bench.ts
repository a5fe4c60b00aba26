/**
 * ALE WebSocket benchmarks (issue 5; DESIGN §7 table):
 *
 * 1. **ALE round trips/s through the gateway ÷ against a raw `ws` echo server** (goal ≥ 0.60). The same
 *    POS clients (`AleWsClient` from tools/ale: every message sealed with a fresh IV, every answer opened)
 *    talk either to a bare `ws` echo server — a kitchen speaking ALE itself, answering at once (baseline) —
 *    or to the gateway's `/sites/{id}/ws`, which opens each message, sends the plaintext to the kitchen (the
 *    SAME bare echo server, as `UPSTREAM_WS_URL`) and seals the echo again. The answer must equal what was
 *    sent. 20 connections (one site each, so an echo goes to exactly one client), 8 messages in flight on
 *    each, 1 KiB plaintext, AES-256-GCM. The paths alternate; the best of each is kept.
 *    Printed next to it against the same goal, for transparency: the same with pre-sealed envelopes and
 *    unread answers (no client crypto at all: the gateway's whole cost — an extra hop, two more socket writes
 *    and the crypto — against a bare echo). On a 2-core machine that line is bound by loopback system calls
 *    (the profile is dominated by `writev`), so an extra hop alone caps it near 0.5.
 * 2. **Memory per idle connection** with 10,000 ALE WebSocket connections (goal < 20 KB): the gateway
 *    process's RSS growth after `global.gc()` divided by the connections (heap share printed next to it),
 *    against its RSS before them — after a warm-up of connections opened and closed first.
 *
 * The gateway is the real app (`createGatewayApp`) in standalone form (in-memory key store, no Redis) in a
 * child process of its own (this bundle run with `--ws-gateway`), the echo server in another
 * (`--ws-echo`), the clients here, so no two share an event loop. Bounded: ≈ 45 s.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import WebSocket, { WebSocketServer } from 'ws';
import { aleAad, aleDecrypt, aleEncrypt, deriveAleKey, encodeAleIv, generateAleIv, parseAleIv } from '@pos-link/crypto';
import { GatewayConfig, createGatewayApp } from '@pos-link/gateway';
import { MemoryKeyStore } from '@pos-link/keyring';
import { createLogger, loadConfig } from '@pos-link/platform';
import { buildAleWsEnvelope, parseAleWsEnvelope } from '@pos-link/protocol';
import { AleWsClient } from '@pos-link/ale';
import { absoluteLine, ratioLine } from './harness';

const GATEWAY_FLAG = '--ws-gateway';
const ECHO_FLAG = '--ws-echo';
/** Round-trip part. */
const CONNECTIONS = 20;
const WINDOW = 8;
const PLAINTEXT = Buffer.from(JSON.stringify({ order: 'x'.repeat(1024) }).slice(0, 1024));
const WARMUP_MS = 1_000;
const MEASURE_MS = 2_500;
const ROUNDS = 2;
const CHECK_EVERY = 64;
/** Memory part. */
const IDLE_CONNECTIONS = 10_000;
const WARMUP_CONNECTIONS = 500;
const CONNECT_CONCURRENCY = 200;
/** Descriptors besides the sockets, per process (IPC, stdio, libuv, the round-trip connections). */
const SPARE_FDS = 200;
const MEMORY_GOAL_BYTES = 20 * 1024;
const RATIO_GOAL = 0.6;
const HOUR = 3_600_000;

/** The benchmark's sites: one key each, all derivable in every process. */
function site(i: number): { siteId: string; fingerprint: string; value: string } {
  return { siteId: `bench-${i}`, fingerprint: createHash('md5').update(`bench-fp-${i}`).digest('hex'), value: `bench-key-value-${i}` };
}

type FromChild = { kind: 'listening'; port: number } | { kind: 'memory'; rss: number; heapUsed: number };

if (process.argv.includes(GATEWAY_FLAG)) {
  runGatewayChild().catch(fail);
} else if (process.argv.includes(ECHO_FLAG)) {
  runEchoChild().catch(fail);
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}

/** The soft open-file limit (Node raises it to the hard one at start); Infinity where /proc is absent. */
function openFileLimit(): number {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    return soft === undefined || soft === 'unlimited' ? Number.POSITIVE_INFINITY : Number(soft);
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

function fail(error: unknown): void {
  console.error(error);
  process.exit(1);
}

async function main(): Promise<void> {
  const limit = openFileLimit();
  if (limit < IDLE_CONNECTIONS + WARMUP_CONNECTIONS + SPARE_FDS) {
    console.log(`skipped: the open-file limit is ${limit}; ${IDLE_CONNECTIONS + WARMUP_CONNECTIONS + SPARE_FDS} are needed (raise it: ulimit -n / prlimit --nofile)`);
    process.exitCode = 1;
    return;
  }
  const children: ChildProcess[] = [];
  try {
    const echo = fork(process.argv[1] as string, [ECHO_FLAG]);
    children.push(echo);
    const echoPort = ((await nextMessage(echo, 'listening')) as { port: number }).port;
    const gateway = fork(process.argv[1] as string, [GATEWAY_FLAG], {
      env: { ...process.env, BENCH_UPSTREAM_WS_URL: `ws://127.0.0.1:${echoPort}/{site}` },
      execArgv: ['--expose-gc'],
    });
    children.push(gateway);
    const gatewayPort = ((await nextMessage(gateway, 'listening')) as { port: number }).port;

    await roundTrips(echoPort, gatewayPort);
    await idleMemory(gateway, gatewayPort);
  } finally {
    for (const child of children) {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    }
  }
}

/** Part 1: round trips/s, gateway vs. bare echo, alternated; with ALE clients, then without client crypto. */
async function roundTrips(echoPort: number, gatewayPort: number): Promise<void> {
  const sealed = Array.from({ length: CONNECTIONS }, (_, i) => sealFor(i));
  const aleClients = (port: number, path: (i: number) => string): Promise<AleWsClient[]> =>
    Promise.all(
      sealed.map((s, i) =>
        AleWsClient.connect({ url: `ws://127.0.0.1:${port}`, path: path(i), fingerprint: s.fingerprint, keyValue: site(i).value, ws: { perMessageDeflate: false } }),
      ),
    );
  const aleDirect = await aleClients(echoPort, (i) => `/direct-${i}`);
  const aleGateway = await aleClients(gatewayPort, (i) => `/sites/${site(i).siteId}/ws`);
  const rawDirect = await Promise.all(sealed.map((_, i) => open(`ws://127.0.0.1:${echoPort}/raw-${i}`)));
  const rawGateway = await Promise.all(
    sealed.map((s, i) => open(`ws://127.0.0.1:${gatewayPort}/sites/${site(i).siteId}/ws`, { 'sec-fingerprint': s.fingerprint, 'sec-iv': s.iv })),
  );
  const best = { aleDirect: 0, aleGateway: 0, rawDirect: 0, rawGateway: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    best.aleDirect = Math.max(best.aleDirect, await pumpAle(aleDirect));
    best.aleGateway = Math.max(best.aleGateway, await pumpAle(aleGateway));
    best.rawDirect = Math.max(best.rawDirect, await pumpRaw(rawDirect, sealed, false));
    best.rawGateway = Math.max(best.rawGateway, await pumpRaw(rawGateway, sealed, true));
  }
  await Promise.all([...aleDirect, ...aleGateway].map((c) => c.close()));
  for (const socket of [...rawDirect, ...rawGateway]) socket.terminate();
  console.log(`${CONNECTIONS} connections × ${WINDOW} in flight, 1 KiB plaintext (AES-256-GCM envelope ${(sealed[0] as Sealed).envelope.length} B), best of ${ROUNDS}`);
  console.log(
    ratioLine('ALE WebSocket round trips (ALE clients)', { label: 'gateway', value: best.aleGateway }, { label: 'raw ws echo', value: best.aleDirect }, 'msg/s', {
      op: '>=',
      value: RATIO_GOAL,
    }),
  );
  console.log(
    ratioLine('  same, no client crypto (gateway cost only)', { label: 'gateway', value: best.rawGateway }, { label: 'raw ws echo', value: best.rawDirect }, 'msg/s', {
      op: '>=',
      value: RATIO_GOAL,
    }),
  );
}

/** Keeps WINDOW ALE messages in flight on every client; each answer must be the plaintext sent. */
async function pumpAle(clients: AleWsClient[]): Promise<number> {
  const text = PLAINTEXT.toString('utf8');
  const state = { counting: false, counted: 0, stopped: false };
  const listeners = clients.map((client) => {
    const listener = (answer: string): void => {
      if (answer === 'isAlive?') return;
      if (answer !== text) throw new Error('an answer differs from what was sent');
      if (state.counting) state.counted++;
      if (!state.stopped) client.send(text);
    };
    client.on('message', listener);
    return listener;
  });
  for (const client of clients) for (let k = 0; k < WINDOW; k++) client.send(text);
  const rate = await measure(state);
  clients.forEach((client, i) => client.off('message', listeners[i] as (answer: string) => void));
  return rate;
}

/** Runs the warm-up, then counts for MEASURE_MS; returns answers/s. */
async function measure(state: { counting: boolean; counted: number; stopped: boolean }): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, WARMUP_MS));
  state.counting = true;
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, MEASURE_MS));
  state.counting = false;
  const elapsed = performance.now() - started;
  state.stopped = true;
  await new Promise((resolve) => setTimeout(resolve, 200)); // let the in-flight answers land
  return (state.counted * 1000) / elapsed;
}

interface Sealed {
  readonly fingerprint: string;
  readonly iv: string;
  readonly envelope: string;
  readonly key: Buffer;
}

function sealFor(i: number): Sealed {
  const { fingerprint, value } = site(i);
  const key = deriveAleKey(value);
  const iv = encodeAleIv(generateAleIv('aes-256-gcm'));
  const message = aleEncrypt('aes-256-gcm', key, parseAleIv('aes-256-gcm', iv), PLAINTEXT, aleAad(fingerprint));
  return { fingerprint, iv, key, envelope: buildAleWsEnvelope({ iv, fingerprint, message }) };
}

async function open(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  const socket = new WebSocket(url, { headers, perMessageDeflate: false });
  await once(socket, 'open');
  return socket;
}

/**
 * Keeps WINDOW pre-sealed envelopes in flight on every socket, answers unread (through the gateway every
 * CHECK_EVERY-th answer is opened and compared); returns answers/s.
 */
async function pumpRaw(sockets: WebSocket[], sealed: Sealed[], check: boolean): Promise<number> {
  const state = { counting: false, counted: 0, stopped: false };
  let checked = 0;
  const pairs = sockets.map((socket, i) => ({ socket, sealed: sealed[i] as Sealed }));
  const listeners = pairs.map(({ socket, sealed: own }) => {
    const listener = (data: Buffer): void => {
      if (check && data.length < 200) return; // the encrypted isAlive? heartbeat
      if (state.counting) state.counted++;
      if (check && ++checked % CHECK_EVERY === 0) verify(data.toString('utf8'), own);
      if (!state.stopped) socket.send(own.envelope);
    };
    socket.on('message', listener);
    return { socket, listener };
  });
  for (const { socket, sealed: own } of pairs) for (let k = 0; k < WINDOW; k++) socket.send(own.envelope);
  const rate = await measure(state);
  for (const { socket, listener } of listeners) socket.off('message', listener);
  return rate;
}

function verify(text: string, sealed: Sealed): void {
  const envelope = parseAleWsEnvelope(text);
  const plaintext = aleDecrypt('aes-256-gcm', sealed.key, parseAleIv('aes-256-gcm', envelope.iv), envelope.message, aleAad(envelope.fingerprint));
  if (!plaintext.equals(PLAINTEXT)) throw new Error('the gateway answered another plaintext');
}

/** Part 2: RSS per idle connection in the gateway process. */
async function idleMemory(gateway: ChildProcess, port: number): Promise<void> {
  const { fingerprint } = site(0);
  const iv = encodeAleIv(generateAleIv('aes-256-gcm'));
  const url = `ws://127.0.0.1:${port}/sites/${site(0).siteId}/ws`;
  const connect = async (count: number): Promise<WebSocket[]> => {
    const sockets: WebSocket[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < count) {
        next++;
        const socket = await open(url, { 'sec-fingerprint': fingerprint, 'sec-iv': iv });
        socket.on('message', () => undefined); // reads the heartbeat, as an idle client does
        sockets.push(socket);
      }
    };
    await Promise.all(Array.from({ length: CONNECT_CONCURRENCY }, worker));
    return sockets;
  };
  const warm = await connect(WARMUP_CONNECTIONS);
  await Promise.all(warm.map((s) => closed(s)));
  const before = await memory(gateway);
  const started = performance.now();
  const sockets = await connect(IDLE_CONNECTIONS);
  const connectMs = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 1_500)); // a heartbeat round reached every socket
  const after = await memory(gateway);
  await Promise.all(sockets.map((s) => closed(s)));
  const perConnection = (after.rss - before.rss) / IDLE_CONNECTIONS;
  console.log(`${IDLE_CONNECTIONS} idle ALE WebSocket connections (opened in ${(connectMs / 1000).toFixed(1)} s, encrypted heartbeat every second)`);
  console.log(
    ratioLine('gateway RSS with / without the connections', { label: 'with', value: after.rss / 1024 / 1024 }, { label: 'without', value: before.rss / 1024 / 1024 }, 'MiB'),
  );
  console.log(absoluteLine('memory per idle connection (RSS)', perConnection / 1024, 'KB', { op: '<=', value: MEMORY_GOAL_BYTES / 1024 }));
  console.log(absoluteLine('  of which JS heap', (after.heapUsed - before.heapUsed) / IDLE_CONNECTIONS / 1024, 'KB'));
}

async function closed(socket: WebSocket): Promise<void> {
  if (socket.readyState === WebSocket.CLOSED) return;
  const done = once(socket, 'close');
  socket.close();
  await done;
}

async function memory(child: ChildProcess): Promise<{ rss: number; heapUsed: number }> {
  child.send('memory');
  return (await nextMessage(child, 'memory')) as { rss: number; heapUsed: number };
}

function nextMessage(child: ChildProcess, kind: FromChild['kind']): Promise<FromChild> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromChild): void => {
      if (message?.kind !== kind) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message);
    };
    const onExit = (code: number | null): void => reject(new Error(`child exited (${code}) before "${kind}"`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** The echo child: a bare `ws` server echoing every message (the baseline, and the gateway's kitchen). */
async function runEchoChild(): Promise<void> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, clientTracking: false });
  wss.on('connection', (socket) => socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary })));
  await once(wss, 'listening');
  process.send?.({ kind: 'listening', port: (wss.address() as AddressInfo).port } satisfies FromChild);
  process.on('SIGTERM', () => process.exit(0));
}

/** The gateway child: the real app, standalone form (memory key store with the benchmark's sites). */
async function runGatewayChild(): Promise<void> {
  const keyStore = new MemoryKeyStore();
  const now = Date.now();
  for (let i = 0; i < CONNECTIONS; i++) {
    const { siteId, fingerprint, value } = site(i);
    await keyStore.replaceSite({ siteId, encryption: true, keys: [{ fingerprint, value, validAfter: now - HOUR, validUntil: now + 24 * HOUR }], fetchedAt: now });
  }
  const config = loadConfig(
    GatewayConfig,
    {
      KEY_WRAP_SECRET: randomBytes(32).toString('base64url'),
      UPSTREAM_URL: 'http://127.0.0.1:9/{site}',
      UPSTREAM_WS_URL: process.env['BENCH_UPSTREAM_WS_URL'],
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      OPS_HOST: '127.0.0.1',
      OPS_PORT: '0',
      ALE_WS_MAX_CONNECTIONS_PER_IP: '0', // every benchmark connection comes from 127.0.0.1
    },
    { allowUnset: ['REDIS_URL'] },
  );
  const gateway = await createGatewayApp(config, { logger: createLogger({ app: 'secure-gateway', level: 'silent' }), keyStore });
  const endpoints = await gateway.listen();
  const http = endpoints.find((e) => e.name === 'http');
  if (http === undefined) throw new Error('no http endpoint');
  process.on('message', (message) => {
    if (message !== 'memory') return;
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    process.send?.({ kind: 'memory', rss, heapUsed } satisfies FromChild);
  });
  process.on('SIGTERM', () => void gateway.close().then(() => process.exit(0)));
  process.send?.({ kind: 'listening', port: http.port } satisfies FromChild);
}
