/**
 * ALE WebSocket benchmarks (issue 5; DESIGN §7 table). Bounded: ≈ 60 s.
 *
 * 1. **Round trips/s.** 20 connections per path (one site each, and other sites for the ALE and the sealed
 *    sockets, so a kitchen echo goes to exactly one client), 8 messages in
 *    flight on each, 1 KiB plaintext, AES-256-GCM. Five paths, measured in {@link ROUNDS} alternating rounds
 *    (the order rotates each round, so drift and neighbours fall on every path alike); each path's median
 *    and best are printed, with the CPU each process spent per round trip (`process.cpuUsage()`, user +
 *    system, over the same window) — the figure that says where the time goes on a 2-core machine where
 *    the clients, the subject and the echo compete for the cores.
 *
 *    - `ALE → echo`: POS clients (`AleWsClient` from tools/ale: every message sealed with a fresh IV, every
 *      answer opened) talk to a bare `ws` echo server — a kitchen speaking ALE itself (the baseline);
 *    - `ALE → gateway`: the same clients through the gateway's `/sites/{id}/ws`, which opens each message,
 *      sends the plaintext to the kitchen (the SAME bare echo server, as `UPSTREAM_WS_URL`) and seals the
 *      echo again; each answer must equal what was sent;
 *    - `sealed → echo`, `sealed → forwarder`, `sealed → gateway`: pre-sealed envelopes, answers unread (no
 *      client crypto at all), to a bare echo, through a bare `ws` forwarder (no crypto: one upstream
 *      socket per client, frames relayed both ways as they come — the hop alone), and through the gateway.
 *
 *    **The goal line** is DESIGN §7's "WebSocket ALE round trips through the gateway ÷ raw `ws` echo"
 *    (≥ 0.60): `ALE → gateway` ÷ `ALE → echo`, both with ALE clients, because a POS always seals and opens
 *    (the verdict is on the ratio of the medians; best-of and the per-round range are printed with it).
 *    The clients are tools/ale's as shipped; on 2 shared cores they, not the gateway, bound this line (their
 *    CPU per round trip is printed; docs/adr/2026-11-22-gateway-ws-bench.md).
 *    Printed after it, without a goal: the gateway's whole cost with no client crypto (`sealed → gateway`
 *    ÷ `sealed → echo`), the ceiling an extra hop alone leaves that line (`sealed → forwarder` ÷
 *    `sealed → echo`, measured in the same run), and the gateway against that bare forwarder.
 * 2. **Memory per idle connection** with 10,000 ALE WebSocket connections (goal < 20 KB): the gateway
 *    process's RSS growth after `global.gc()` divided by the connections (heap share printed next to it),
 *    against its RSS before them — after a warm-up of connections opened and closed first.
 *
 * The gateway is the real app (`createGatewayApp`) in standalone form (in-memory key store, no Redis) in a
 * child process of its own (this bundle run with `--ws-gateway`), the echo server in another
 * (`--ws-echo`), the forwarder in a third (`--ws-forward`), the clients here, so no two share an event
 * loop. Knobs: `BENCH_ROUNDS` (default {@link ROUNDS}); `BENCH_ONLY=sealed` measures the three sealed paths
 * only and skips the memory part (for profiling); `BENCH_NODE_ARGS` (e.g. `--cpu-prof
 * --cpu-prof-dir=/tmp/p`) goes to the gateway child, which exits normally on SIGTERM so the profile is
 * written.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import WebSocket, { WebSocketServer, type RawData } from 'ws';
import { aleAad, aleDecrypt, aleEncrypt, deriveAleKey, encodeAleIv, generateAleIv, parseAleIv } from '@pos-link/crypto';
import { GatewayConfig, createGatewayApp } from '@pos-link/gateway';
import { MemoryKeyStore } from '@pos-link/keyring';
import { createLogger, loadConfig } from '@pos-link/platform';
import { buildAleWsEnvelope, parseAleWsEnvelope } from '@pos-link/protocol';
import { AleWsClient } from '@pos-link/ale';
import { absoluteLine, quantile, ratioLine, runBench } from './harness';

const GATEWAY_FLAG = '--ws-gateway';
const ECHO_FLAG = '--ws-echo';
const FORWARD_FLAG = '--ws-forward';
/** Round-trip part. */
const CONNECTIONS = 20;
const WINDOW = 8;
const PLAINTEXT = Buffer.from(JSON.stringify({ order: 'x'.repeat(1024) }).slice(0, 1024));
/** The first visit of a path warms its code paths (JIT) and sockets; later visits only refill the window. */
const FIRST_WARMUP_MS = 1_000;
const WARMUP_MS = 300;
const MEASURE_MS = 1_200;
/** Rounds of the five paths: 5 × 5 × ≈ 1.65 s ≈ 42 s, enough for a stable median on a shared 2-core box. */
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
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

type FromChild = { kind: 'listening'; port: number } | { kind: 'memory'; rss: number; heapUsed: number } | { kind: 'cpu'; user: number; system: number };

const role = [GATEWAY_FLAG, ECHO_FLAG, FORWARD_FLAG].find((flag) => process.argv.includes(flag));
if (role !== undefined) {
  // Children exit normally on SIGTERM, so `--cpu-prof` (BENCH_NODE_ARGS) gets to write its profile; each
  // answers 'cpu' with the CPU time it has used (user + system, µs).
  process.on('message', (message) => {
    if (message !== 'cpu') return;
    const { user, system } = process.cpuUsage();
    process.send?.({ kind: 'cpu', user, system } satisfies FromChild);
  });
}
if (role === GATEWAY_FLAG) runGatewayChild().catch(fail);
else if (role === ECHO_FLAG) runEchoChild().catch(fail);
else if (role === FORWARD_FLAG) runForwarderChild().catch(fail);
else runBench(main);

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

/** The three children. */
interface Children {
  readonly echo: ChildProcess;
  readonly forwarder: ChildProcess;
  readonly gateway: ChildProcess;
}

async function main(): Promise<void> {
  const limit = openFileLimit();
  if (limit < IDLE_CONNECTIONS + WARMUP_CONNECTIONS + SPARE_FDS) {
    console.log(`skipped: the open-file limit is ${limit}; ${IDLE_CONNECTIONS + WARMUP_CONNECTIONS + SPARE_FDS} are needed (raise it: ulimit -n / prlimit --nofile)`);
    process.exitCode = 1;
    return;
  }
  const started: ChildProcess[] = [];
  const start = (flag: string, env: NodeJS.ProcessEnv = {}, execArgv: string[] = []): ChildProcess => {
    const child = fork(process.argv[1] as string, [flag], { env: { ...process.env, ...env }, execArgv: ['--expose-gc', ...execArgv] });
    started.push(child);
    return child;
  };
  try {
    const echo = start(ECHO_FLAG);
    const echoPort = ((await nextMessage(echo, 'listening')) as { port: number }).port;
    const forwarder = start(FORWARD_FLAG, { BENCH_FORWARD_TO: `ws://127.0.0.1:${echoPort}` });
    const forwarderPort = ((await nextMessage(forwarder, 'listening')) as { port: number }).port;
    const profile = (process.env['BENCH_NODE_ARGS'] ?? '').split(' ').filter((arg) => arg !== '');
    const gateway = start(GATEWAY_FLAG, { BENCH_UPSTREAM_WS_URL: `ws://127.0.0.1:${echoPort}/{site}` }, profile);
    const gatewayPort = ((await nextMessage(gateway, 'listening')) as { port: number }).port;

    await roundTrips({ echo, forwarder, gateway }, { echo: echoPort, forwarder: forwarderPort, gateway: gatewayPort });
    if (process.env['BENCH_ONLY'] !== 'sealed') await idleMemory(gateway, gatewayPort);
  } finally {
    for (const child of started) {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    }
  }
}

/** The five measured paths (see the file comment). */
const PATHS = ['ALE → echo', 'ALE → gateway', 'sealed → echo', 'sealed → forwarder', 'sealed → gateway'] as const;
type PathName = (typeof PATHS)[number];

/** The processes whose CPU time is read. */
type Who = 'client' | 'echo' | 'forwarder' | 'gateway';
/** CPU time, µs: user + system, and system alone. */
interface Cpu {
  readonly total: number;
  readonly system: number;
}

/** One visit of one path: answers/s and CPU µs per round trip of each process. */
interface Sample {
  readonly rate: number;
  readonly cpu: Readonly<Record<Who, Cpu>>;
}

/** Counting state shared by a pump and {@link measure}. */
interface PumpState {
  counting: boolean;
  counted: number;
  stopped: boolean;
}

/** Part 1: round trips/s and CPU per round trip on the five paths, alternated for {@link ROUNDS} rounds. */
async function roundTrips(children: Children, ports: { echo: number; forwarder: number; gateway: number }): Promise<void> {
  // The ALE clients use sites 0…CONNECTIONS-1, the sealed sockets the next CONNECTIONS: the gateway sends a
  // kitchen message to EVERY client of its site (DESIGN §4 fan-out), so sharing sites would seal each echo
  // twice and make the idle path's clients open answers too (the method before 2026-11-22 did: see the ADR).
  const sealed = Array.from({ length: CONNECTIONS }, (_, i) => sealFor(CONNECTIONS + i));
  const aleClients = (port: number, path: (i: number) => string): Promise<AleWsClient[]> =>
    Promise.all(
      sealed.map((_, i) =>
        AleWsClient.connect({ url: `ws://127.0.0.1:${port}`, path: path(i), fingerprint: site(i).fingerprint, keyValue: site(i).value, ws: { perMessageDeflate: false } }),
      ),
    );
  const sealedSockets = (port: number, path: (i: number) => string): Promise<WebSocket[]> =>
    Promise.all(sealed.map((s, i) => open(`ws://127.0.0.1:${port}${path(i)}`, { 'sec-fingerprint': s.fingerprint, 'sec-iv': s.iv })));
  const only = process.env['BENCH_ONLY'] === 'sealed' ? 'sealed' : undefined;
  const aleEcho = only === undefined ? await aleClients(ports.echo, (i) => `/direct-${i}`) : [];
  const aleGateway = only === undefined ? await aleClients(ports.gateway, (i) => `/sites/${site(i).siteId}/ws`) : [];
  const sealedEcho = await sealedSockets(ports.echo, (i) => `/raw-${i}`);
  const sealedForwarder = await sealedSockets(ports.forwarder, (i) => `/forwarded-${i}`);
  const sealedGateway = await sealedSockets(ports.gateway, (i) => `/sites/${site(CONNECTIONS + i).siteId}/ws`);
  const pumps: Record<PathName, ((warmupMs: number) => Promise<Sample>) | undefined> = {
    'ALE → echo': only === undefined ? (w) => pumpAle(aleEcho, children, w) : undefined,
    'ALE → gateway': only === undefined ? (w) => pumpAle(aleGateway, children, w) : undefined,
    'sealed → echo': (w) => pumpSealed(sealedEcho, sealed, 'echoed', children, w),
    'sealed → forwarder': (w) => pumpSealed(sealedForwarder, sealed, 'echoed', children, w),
    'sealed → gateway': (w) => pumpSealed(sealedGateway, sealed, 'resealed', children, w),
  };
  const samples = new Map<PathName, Sample[]>(PATHS.map((path) => [path, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < PATHS.length; k++) {
      const path = PATHS[(round + k) % PATHS.length] as PathName;
      const pump = pumps[path];
      if (pump !== undefined) samples.get(path)?.push(await pump(round === 0 ? FIRST_WARMUP_MS : WARMUP_MS));
    }
  }
  await Promise.all([...aleEcho, ...aleGateway].map((c) => c.close()));
  for (const socket of [...sealedEcho, ...sealedForwarder, ...sealedGateway]) socket.terminate();
  report(samples, (sealed[0] as Sealed).envelope.length);
}

/** Prints the paths, the goal line and the gateway-cost lines. */
function report(samples: Map<PathName, Sample[]>, envelopeBytes: number): void {
  const rates = (path: PathName): number[] => (samples.get(path) ?? []).map((s) => s.rate);
  const median = (path: PathName): number => quantile(rates(path), 0.5);
  const best = (path: PathName): number => Math.max(...rates(path));
  const cpu = (path: PathName, who: Who): string => {
    const of = (field: keyof Cpu): number => quantile((samples.get(path) ?? []).map((s) => s.cpu[who][field]), 0.5);
    return `${of('total').toFixed(1)} (${of('system').toFixed(1)})`.padStart(13);
  };
  console.log(
    `${CONNECTIONS} connections × ${WINDOW} in flight, 1 KiB plaintext (AES-256-GCM envelope ${envelopeBytes} B), ` +
      `${ROUNDS} alternating rounds of ${MEASURE_MS / 1000} s per path`,
  );
  console.log(`${'path'.padEnd(20)} ${'msg/s median'.padStart(13)} ${'best'.padStart(8)}   CPU µs per round trip, median (of which system):`);
  console.log(`${''.padEnd(43)} ${'client'.padStart(13)} ${'echo'.padStart(13)} ${'forwarder'.padStart(13)} ${'gateway'.padStart(13)}`);
  for (const path of PATHS) {
    if (rates(path).length === 0) continue;
    const fmt = (v: number): string => Math.round(v).toLocaleString('en-US');
    console.log(
      `${path.padEnd(20)} ${fmt(median(path)).padStart(13)} ${fmt(best(path)).padStart(8)} ${cpu(path, 'client')} ${cpu(path, 'echo')} ${cpu(path, 'forwarder')} ${cpu(path, 'gateway')}`,
    );
  }
  const ratios = (subject: PathName, baseline: PathName): string => {
    const perRound = rates(subject).map((rate, i) => rate / (rates(baseline)[i] as number));
    return `best-of ${(best(subject) / best(baseline)).toFixed(2)}, rounds ${Math.min(...perRound).toFixed(2)}–${Math.max(...perRound).toFixed(2)}`;
  };
  if (rates('ALE → gateway').length > 0) {
    console.log('GOAL — DESIGN §7 "WebSocket ALE round trips through the gateway ÷ raw ws echo" (ALE clients on both paths; medians):');
    console.log(
      ratioLine('ALE WebSocket round trips', { label: 'gateway', value: median('ALE → gateway') }, { label: 'raw ws echo', value: median('ALE → echo') }, 'msg/s', {
        op: '>=',
        value: RATIO_GOAL,
      }) + `  [${ratios('ALE → gateway', 'ALE → echo')}]`,
    );
  }
  console.log('Gateway cost only — sealed envelopes, answers unread (no goal: bound by the extra hop; medians):');
  console.log(
    ratioLine('  gateway ÷ raw ws echo', { label: 'gateway', value: median('sealed → gateway') }, { label: 'echo', value: median('sealed → echo') }, 'msg/s') +
      `  [${ratios('sealed → gateway', 'sealed → echo')}]`,
  );
  console.log(
    ratioLine('  hop ceiling: bare forwarder ÷ raw ws echo', { label: 'forwarder', value: median('sealed → forwarder') }, { label: 'echo', value: median('sealed → echo') }, 'msg/s') +
      `  [${ratios('sealed → forwarder', 'sealed → echo')}]`,
  );
  console.log(
    ratioLine('  gateway ÷ bare forwarder', { label: 'gateway', value: median('sealed → gateway') }, { label: 'forwarder', value: median('sealed → forwarder') }, 'msg/s') +
      `  [${ratios('sealed → gateway', 'sealed → forwarder')}]`,
  );
}

/** Keeps WINDOW ALE messages in flight on every client; each answer must be the plaintext sent. */
async function pumpAle(clients: AleWsClient[], children: Children, warmupMs: number): Promise<Sample> {
  const text = PLAINTEXT.toString('utf8');
  const state: PumpState = { counting: false, counted: 0, stopped: false };
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
  const sample = await measure(state, children, warmupMs);
  clients.forEach((client, i) => client.off('message', listeners[i] as (answer: string) => void));
  return sample;
}

/**
 * Runs the warm-up, then counts for MEASURE_MS while reading every process's CPU time at both ends of the
 * window; returns answers/s and CPU µs per answer.
 */
async function measure(state: PumpState, children: Children, warmupMs: number): Promise<Sample> {
  await delay(warmupMs);
  const before = await cpuTimes(children);
  state.counting = true;
  const started = performance.now();
  await delay(MEASURE_MS);
  state.counting = false;
  const elapsed = performance.now() - started;
  const after = await cpuTimes(children);
  state.stopped = true;
  await delay(150); // let the in-flight answers land
  const n = Math.max(1, state.counted);
  const per = (who: Who): Cpu => ({ total: (after[who].total - before[who].total) / n, system: (after[who].system - before[who].system) / n });
  return { rate: (state.counted * 1000) / elapsed, cpu: { client: per('client'), echo: per('echo'), forwarder: per('forwarder'), gateway: per('gateway') } };
}

async function cpuTimes(children: Children): Promise<Record<Who, Cpu>> {
  const own = process.cpuUsage();
  const [echo, forwarder, gateway] = (await Promise.all([children.echo, children.forwarder, children.gateway].map((child) => cpuOf(child)))) as [Cpu, Cpu, Cpu];
  return { client: { total: own.user + own.system, system: own.system }, echo, forwarder, gateway };
}

async function cpuOf(child: ChildProcess): Promise<Cpu> {
  const answer = nextMessage(child, 'cpu');
  child.send('cpu');
  const { user, system } = (await answer) as { user: number; system: number };
  return { total: user + system, system };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface Sealed {
  readonly fingerprint: string;
  readonly iv: string;
  readonly envelope: string;
  readonly bytes: Buffer;
  readonly key: Buffer;
}

function sealFor(i: number): Sealed {
  const { fingerprint, value } = site(i);
  const key = deriveAleKey(value);
  const iv = encodeAleIv(generateAleIv('aes-256-gcm'));
  const message = aleEncrypt('aes-256-gcm', key, parseAleIv('aes-256-gcm', iv), PLAINTEXT, aleAad(fingerprint));
  const envelope = buildAleWsEnvelope({ iv, fingerprint, message });
  return { fingerprint, iv, key, envelope, bytes: Buffer.from(envelope, 'utf8') };
}

async function open(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  const socket = new WebSocket(url, { headers, perMessageDeflate: false });
  await once(socket, 'open');
  return socket;
}

/**
 * Keeps WINDOW pre-sealed envelopes in flight on every socket, answers unread except every CHECK_EVERY-th:
 * an echo must be the envelope sent, a gateway answer must open to the plaintext sent. Returns the sample.
 */
async function pumpSealed(sockets: WebSocket[], sealed: Sealed[], answers: 'echoed' | 'resealed', children: Children, warmupMs: number): Promise<Sample> {
  const state: PumpState = { counting: false, counted: 0, stopped: false };
  let checked = 0;
  const listeners = sockets.map((socket, i) => {
    const own = sealed[i] as Sealed;
    const listener = (data: Buffer): void => {
      if (answers === 'resealed' && data.length < 200) return; // the encrypted isAlive? heartbeat
      if (state.counting) state.counted++;
      if (++checked % CHECK_EVERY === 0) {
        if (answers === 'resealed') verify(data.toString('utf8'), own);
        else if (!data.equals(own.bytes)) throw new Error('an echo differs from what was sent');
      }
      if (!state.stopped) socket.send(own.envelope);
    };
    socket.on('message', listener);
    return listener;
  });
  sockets.forEach((socket, i) => {
    for (let k = 0; k < WINDOW; k++) socket.send((sealed[i] as Sealed).envelope);
  });
  const sample = await measure(state, children, warmupMs);
  sockets.forEach((socket, i) => socket.off('message', listeners[i] as (data: Buffer) => void));
  return sample;
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

/**
 * The forwarder child: the hop alone, as a textbook `ws` relay would do it — for each client connection one
 * upstream connection to the echo server (same path), every frame passed on as it comes, both ways, with no
 * crypto, no parsing and no write coalescing. Frames that arrive before the upstream is open wait for it.
 */
async function runForwarderChild(): Promise<void> {
  const upstream = process.env['BENCH_FORWARD_TO'] as string;
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, clientTracking: false });
  wss.on('connection', (client, req) => {
    const kitchen = new WebSocket(`${upstream}${req.url ?? '/'}`, { perMessageDeflate: false });
    let pending: RawData[] | undefined = [];
    kitchen.on('open', () => {
      for (const data of pending ?? []) kitchen.send(data, { binary: false });
      pending = undefined;
    });
    client.on('message', (data, isBinary) => {
      if (pending !== undefined) pending.push(data);
      else kitchen.send(data, { binary: isBinary });
    });
    kitchen.on('message', (data, isBinary) => client.send(data, { binary: isBinary }));
    client.on('close', () => kitchen.terminate());
    kitchen.on('close', () => client.terminate());
    client.on('error', () => undefined);
    kitchen.on('error', () => undefined);
  });
  await once(wss, 'listening');
  process.send?.({ kind: 'listening', port: (wss.address() as AddressInfo).port } satisfies FromChild);
  process.on('SIGTERM', () => process.exit(0));
}

/** The gateway child: the real app, standalone form (memory key store with the benchmark's sites). */
async function runGatewayChild(): Promise<void> {
  const keyStore = new MemoryKeyStore();
  const now = Date.now();
  for (let i = 0; i < 2 * CONNECTIONS; i++) {
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
