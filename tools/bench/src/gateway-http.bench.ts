/**
 * ALE over HTTP through the gateway (issue 4; DESIGN §7 table):
 *
 * - **gateway ALE (1 KiB JSON, AES-256-GCM) ÷ the same gateway with encryption off** (goal ≥ 0.75): one
 *   gateway process serves a site with `encryption: true` and one with `encryption: false`; the only
 *   difference is the crypto (decrypt the request, seal the answer) and the header work around it.
 * - **gateway ALE ÷ a raw `node:http` + undici proxy without crypto** (goal ≥ 0.70), and ÷ a bare fastify
 *   proxy (reported): what the framework costs on the hot path.
 *
 * Every subject forwards the 1 KiB body to the SAME kitchen simulator (its default echo answer, ≈ 1.1 KiB,
 * recording off) over an undici pool and answers with the kitchen's body. Each subject runs in a child
 * process of its own (this bundle with `--subject=<name>`), pinned to CPU 0 with `taskset` when available;
 * the kitchen runs in another child and the load generator beside it, both on the other CPUs. The
 * subjects alternate over `ROUNDS` rounds (warm-up, then `MEASURE_MS` measured); the best throughput of
 * each is kept, with its p99. Bounded: ≈ 75 s.
 *
 * **Load generator.** `wrk` (C, one thread, `CONNECTIONS` keep-alive connections, one request in flight
 * each: a closed loop like the clients it stands for) when it is on PATH — install it with
 * `apt-get install wrk` (Debian/Ubuntu) or `brew install wrk`. It costs a fraction of the CPU of a Node
 * client, so on a 2-core machine it no longer caps the baselines, which are the fastest subjects. Its
 * script (`gateway-http.wrk.lua`) cycles through the requests this bench writes to a file as raw HTTP:
 * for ALE `SEALED_REQUESTS` pre-sealed requests with distinct IVs (the generator does no crypto; replay
 * protection is off, as by default), and counts every non-2xx answer; any non-2xx, socket error or
 * timeout fails the bench. p99 is wrk's latency distribution. Before and after every measured run,
 * `CHECKED_ANSWERS` requests go through undici and each answer is checked (ALE answers are opened with
 * the key and must echo the request). Without wrk the bench falls back to the earlier generator — an
 * undici closed loop in this process, checking the first answers of every run — and says so: on 2 CPUs
 * that generator and the kitchen share one CPU and cap the baselines near 17–19k req/s.
 *
 * **CPU per request.** Around each measured run the subject's CPU time (`/proc/<pid>/stat` utime + stime,
 * every thread) and each CPU's busy time (`/proc/stat`) are read. A subject whose CPU 0 is ≈ 100 % busy
 * is bound by its own core (its req/s ≈ 1 / CPU per request); one whose CPU 0 has idle time is held back
 * by the generator and kitchen's CPUs. `BENCH_ONLY=ale,off` measures a subset; `BENCH_NODE_ARGS=--cpu-prof`
 * profiles the children.
 *
 * The gateway is the real app (`createGatewayApp`) without Redis: its key store is an in-memory store
 * seeded here, which the hot path never distinguishes (lookups are map reads either way; replay
 * protection, the only per-request Redis command, is off as by default).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants as fsConstants, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { delimiter, join, resolve as resolvePath } from 'node:path';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { Pool, type Dispatcher } from 'undici';
import { fastify } from 'fastify';
import { aleAad, aleDecrypt, aleEncrypt, deriveAleKey, encodeAleIv, generateAleIv, parseAleIv } from '@pos-link/crypto';
import { GatewayConfig, createGatewayApp } from '@pos-link/gateway';
import { MemoryKeyStore } from '@pos-link/keyring';
import { startKitchenSim } from '@pos-link/kitchen-sim';
import { createLogger, loadConfig } from '@pos-link/platform';
import { absoluteLine, quantile, ratioLine } from './harness';

/** DESIGN §7: "p99 < 10 ms at 50 connections". */
const CONNECTIONS = 50;
/**
 * Many short alternating rounds, best of each kept: on a shared machine a burst of foreign load then spoils
 * one round of one subject, not the ratio. The first round of each subject warms longer (JIT, pools).
 */
const FIRST_WARMUP_MS = 2_000;
/** wrk counts in whole seconds; the undici fallback uses the same figures. */
const WARMUP_MS = 1_000;
const MEASURE_MS = 2_000;
const ROUNDS = 5;
/** Distinct pre-sealed requests cycled by the generator (distinct IVs, like real clients). */
const SEALED_REQUESTS = 1_024;
/** Answers opened per measurement to prove the round trip (the rest are only counted). */
const CHECKED_ANSWERS = 16;
/** `{"orderId":"1001","note":"xx…"}`: exactly 1 KiB of JSON. */
const BODY = Buffer.from(JSON.stringify({ orderId: '1001', note: 'x'.repeat(1024 - 28) }));
const SITE_ALE = 'bench-ale';
const SITE_PLAIN = 'bench-plain';
const FINGERPRINT = 'b6e4b70983144e192bd7eea24c698f54';
const KEY_VALUE = 'bench secret value';
const HOUR = 3_600_000;
const SUBJECT_FLAG = '--subject=';
/** The wrk script (run from the repository root, as `npm run bench` does). */
const WRK_SCRIPT = resolvePath('tools/bench/src/gateway-http.wrk.lua');
/** One wrk thread drives 50 connections at well over 50k req/s; a second would only take CPU from the kitchen. */
const WRK_THREADS = 1;
/** `/proc/<pid>/stat` counts CPU time in clock ticks (USER_HZ: 100 on Linux, asked once). */
let clockTicks: number | undefined;
const KITCHEN_FLAG = '--kitchen';

type SubjectName = 'gateway' | 'fastify' | 'raw';
interface Measured {
  readonly rps: number;
  readonly p99Ms: number;
  /** The subject process's CPU time per request (every thread), user and system, µs. */
  readonly userUs: number;
  readonly systemUs: number;
  /** Busy share of the subject's CPU (CPU 0) and of the others (generator and kitchen) during the run. */
  readonly subjectCpuBusy: number;
  readonly otherCpusBusy: number;
}

const role = process.argv.find((arg) => arg.startsWith(SUBJECT_FLAG))?.slice(SUBJECT_FLAG.length);
// Children exit normally on SIGTERM, so `--cpu-prof` (BENCH_NODE_ARGS) gets to write its profile.
if (process.argv.includes(KITCHEN_FLAG) || role !== undefined) process.on('SIGTERM', () => process.exit(0));
if (process.argv.includes(KITCHEN_FLAG)) runKitchen().catch(fail);
else if (role !== undefined) runSubject(role as SubjectName).catch(fail);
else main().catch(fail);

function fail(error: unknown): void {
  console.error(error);
  process.exit(1);
}

/** A child announces its URL with one JSON line on stdout. */
function announce(url: string): void {
  process.stdout.write(`${JSON.stringify({ listening: url })}\n`);
}

async function runKitchen(): Promise<void> {
  const kitchen = await startKitchenSim({ heartbeatMs: 0, maxRecorded: 0 });
  announce(kitchen.url);
}

async function runSubject(name: SubjectName): Promise<void> {
  const kitchenUrl = process.env['BENCH_KITCHEN_URL'] ?? '';
  if (name === 'gateway') return runGateway(kitchenUrl);
  const pool = new Pool(kitchenUrl, { connections: 128, pipelining: 1 });
  const forward = async (method: string, url: string, contentType: string | undefined, body: Buffer): Promise<Dispatcher.ResponseData> =>
    pool.request({ method: method as Dispatcher.HttpMethod, path: url, headers: contentType === undefined ? {} : { 'content-type': contentType }, body });
  if (name === 'raw') {
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        forward(req.method ?? 'GET', req.url ?? '/', req.headers['content-type'], Buffer.concat(chunks))
          .then(async (answer) => {
            const body = Buffer.from(await answer.body.arrayBuffer());
            res.writeHead(answer.statusCode, { 'content-type': String(answer.headers['content-type'] ?? 'application/json') });
            res.end(body);
          })
          .catch(() => {
            res.writeHead(502);
            res.end();
          });
      });
    });
    server.listen(0, '127.0.0.1', () => announce(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
    return;
  }
  const app = fastify({ logger: false });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.all('/*', async (request, reply) => {
    const answer = await forward(request.method, request.url, request.headers['content-type'], (request.body as Buffer | undefined) ?? Buffer.alloc(0));
    const body = Buffer.from(await answer.body.arrayBuffer());
    return reply.code(answer.statusCode).header('content-type', String(answer.headers['content-type'] ?? 'application/json')).send(body);
  });
  announce(await app.listen({ port: 0, host: '127.0.0.1' }));
}

async function runGateway(kitchenUrl: string): Promise<void> {
  const now = Date.now();
  const store = new MemoryKeyStore();
  await store.replaceSite({
    siteId: SITE_ALE,
    encryption: true,
    fetchedAt: now,
    keys: [{ fingerprint: FINGERPRINT, value: KEY_VALUE, validAfter: now - HOUR, validUntil: now + HOUR }],
  });
  await store.replaceSite({ siteId: SITE_PLAIN, encryption: false, fetchedAt: now, keys: [] });
  const config = loadConfig(
    GatewayConfig,
    {
      KEY_WRAP_SECRET: 'bench-wrap-secret-0123456789abcdef0123',
      UPSTREAM_URL: `${kitchenUrl}/sites/{site}`,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      OPS_HOST: '127.0.0.1',
      OPS_PORT: '0',
      LOG_LEVEL: 'warn',
    },
    { allowUnset: ['REDIS_URL'] },
  );
  const app = await createGatewayApp(config, { keyStore: store, logger: createLogger({ app: 'secure-gateway', level: 'warn' }) });
  const endpoints = await app.listen();
  const http = endpoints.find((e) => e.name === 'http');
  if (http === undefined) throw new Error('the gateway opened no http listener');
  announce(http.url);
}

/** Starts this bundle as a child with `args`, optionally pinned to `cpus`; resolves with its announced URL. */
async function startChild(args: string[], env: NodeJS.ProcessEnv, cpus: string | undefined): Promise<{ child: ChildProcess; url: string }> {
  // BENCH_NODE_ARGS (e.g. `--cpu-prof`) goes to the children: profile a subject under load.
  const extra = (process.env['BENCH_NODE_ARGS'] ?? '').split(' ').filter((arg) => arg !== '');
  const node = [process.execPath, ...extra, process.argv[1] ?? '', ...args];
  const [command = process.execPath, ...rest] = cpus === undefined ? node : ['taskset', '-c', cpus, ...node];
  const child = spawn(command, rest, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  if (child.stdout === null) throw new Error('no stdout pipe');
  const lines = createInterface({ input: child.stdout });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`child ${args.join(' ')} exited with ${code} before listening`);
  });
  const listening = (async () => {
    for await (const line of lines) {
      const parsed = JSON.parse(line) as { listening?: string };
      if (parsed.listening !== undefined) return parsed.listening;
    }
    throw new Error(`child ${args.join(' ')} closed its output before listening`);
  })();
  const url = await Promise.race([listening, exited]);
  exited.catch(() => undefined);
  return { child, url };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

/** Pins every thread of `pid` to `cpus`; false when `taskset` is unavailable. */
function pin(pid: number, cpus: string): boolean {
  return spawnSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' }).status === 0;
}

interface Load {
  readonly path: string;
  readonly requests: ReadonlyArray<{ readonly headers: Record<string, string>; readonly body: Buffer }>;
  /** Checks one answer; throws when it is wrong. */
  readonly check: (answer: Answer) => void;
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/** Requests, wall time and p99 of one measured run, whichever generator drove it. */
interface Driven {
  readonly requests: number;
  readonly elapsedMs: number;
  readonly p99Ms: number;
}

/**
 * One request through undici's dispatcher with a minimal collecting handler: the generator should spend
 * as little CPU as it can (it shares its CPU with the kitchen), so the baselines are not capped by it.
 */
function send(pool: Pool, path: string, headers: Record<string, string>, body: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let status = 0;
    let answerHeaders: Record<string, string | string[] | undefined> = {};
    const chunks: Buffer[] = [];
    pool.dispatch(
      { method: 'POST', path, headers, body },
      {
        onRequestStart: () => undefined,
        onResponseStart: (_controller, statusCode, responseHeaders) => {
          status = statusCode;
          answerHeaders = responseHeaders;
        },
        onResponseData: (_controller, chunk) => {
          chunks.push(chunk);
        },
        onResponseEnd: () => resolve({ status, headers: answerHeaders, body: Buffer.concat(chunks) }),
        onResponseError: (_controller, error) => reject(error),
      },
    );
  });
}

/** The fallback generator: `CONNECTIONS` closed loops over an undici pool, one request in flight each. */
async function driveUndici(baseUrl: string, load: Load, durationMs: number): Promise<Driven> {
  const pool = new Pool(baseUrl, { connections: CONNECTIONS, pipelining: 1 });
  const latencies: number[] = [];
  let done = 0;
  let checked = 0;
  let next = 0;
  const end = performance.now() + durationMs;
  const loop = async (): Promise<void> => {
    while (performance.now() < end) {
      const request = load.requests[next++ % load.requests.length] as Load['requests'][number];
      const started = performance.now();
      const answer = await send(pool, load.path, request.headers, request.body);
      if (checked < CHECKED_ANSWERS) {
        checked++;
        load.check(answer);
      } else if (answer.status !== 200) {
        throw new Error(`status ${answer.status}: ${answer.body.toString('utf8').slice(0, 200)}`);
      }
      latencies.push(performance.now() - started);
      done++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, loop));
  const elapsedMs = performance.now() - started;
  await pool.close();
  return { requests: done, elapsedMs, p99Ms: latencies.length === 0 ? 0 : quantile(latencies, 0.99) };
}

/** Sends `CHECKED_ANSWERS` requests spread over the load's list through undici and checks every answer. */
async function verifySample(baseUrl: string, load: Load): Promise<void> {
  const pool = new Pool(baseUrl, { connections: 1, pipelining: 1 });
  try {
    const step = Math.max(1, Math.floor(load.requests.length / CHECKED_ANSWERS));
    for (let i = 0; i < CHECKED_ANSWERS; i++) {
      const request = load.requests[(i * step) % load.requests.length] as Load['requests'][number];
      load.check(await send(pool, load.path, request.headers, request.body));
    }
  } finally {
    await pool.close();
  }
}

/** `name` on PATH, or undefined. */
function findOnPath(name: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The requests as raw HTTP/1.1 bytes in the Lua script's record format ("<length>\n<bytes>"). */
function writeRequestsFile(file: string, baseUrl: string, load: Load): void {
  const host = new URL(baseUrl).host;
  const records = load.requests.map(({ headers, body }) => {
    const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
    const head = Buffer.from(`POST ${load.path} HTTP/1.1\r\nhost: ${host}\r\n${lines.join('')}content-length: ${body.length}\r\n\r\n`, 'latin1');
    const request = Buffer.concat([head, body]);
    return Buffer.concat([Buffer.from(`${request.length}\n`, 'latin1'), request]);
  });
  writeFileSync(file, Buffer.concat(records));
}

/** What the Lua script's `done` prints. */
interface WrkResult {
  readonly requests: number;
  readonly durationUs: number;
  readonly non2xx: number;
  readonly connect: number;
  readonly read: number;
  readonly write: number;
  readonly timeout: number;
  readonly status: number;
  readonly p50Us: number;
  readonly p99Us: number;
}

/** One wrk run of whole `seconds` (wrk's unit); throws on any error or non-2xx answer. */
async function driveWrk(wrk: string, baseUrl: string, requestsFile: string, seconds: number): Promise<Driven> {
  const args = ['-t', String(WRK_THREADS), '-c', String(CONNECTIONS), '-d', `${seconds}s`, '-s', WRK_SCRIPT, `${baseUrl}/`, requestsFile];
  const child = spawn(wrk, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const [code] = (await once(child, 'exit')) as [number | null];
  const line = output.split('\n').find((l) => l.startsWith('WRK_RESULT '));
  if (code !== 0 || line === undefined) throw new Error(`wrk exited with ${code}:\n${output}`);
  const r = JSON.parse(line.slice('WRK_RESULT '.length)) as WrkResult;
  const errors = r.non2xx + r.connect + r.read + r.write + r.timeout + r.status;
  if (errors !== 0) throw new Error(`wrk counted failures: ${line}\n${output}`);
  return { requests: r.requests, elapsedMs: r.durationUs / 1000, p99Ms: r.p99Us / 1000 };
}

/** A process's CPU time so far (`/proc/<pid>/stat` utime and stime, every thread), in µs. */
function processCpuUs(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  // Fields after the command name (which may hold spaces) start at field 3 (state); utime/stime are 14/15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  clockTicks ??= Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;
  return { user: (Number(fields[11]) * 1e6) / clockTicks, system: (Number(fields[12]) * 1e6) / clockTicks };
}

/** Busy and total jiffies per CPU from `/proc/stat` (busy = everything but idle and iowait). */
function cpuJiffies(): Map<number, { busy: number; total: number }> {
  const out = new Map<number, { busy: number; total: number }>();
  for (const line of readFileSync('/proc/stat', 'latin1').split('\n')) {
    const match = /^cpu(\d+) (.*)$/.exec(line);
    if (match === null) continue;
    const values = (match[2] as string).trim().split(/\s+/).map(Number);
    const total = values.slice(0, 8).reduce((a, b) => a + b, 0);
    out.set(Number(match[1]), { busy: total - (values[3] ?? 0) - (values[4] ?? 0), total });
  }
  return out;
}

/** Share (0..1) of the CPUs in `cpus` that was busy between two `cpuJiffies` readings. */
function busyShare(before: ReturnType<typeof cpuJiffies>, after: ReturnType<typeof cpuJiffies>, cpus: (cpu: number) => boolean): number {
  let busy = 0;
  let total = 0;
  for (const [cpu, a] of after) {
    const b = before.get(cpu);
    if (b === undefined || !cpus(cpu)) continue;
    busy += a.busy - b.busy;
    total += a.total - b.total;
  }
  return total === 0 ? 0 : busy / total;
}

/** Runs `drive` and accounts the subject's CPU time and every CPU's load around it. */
async function accounted(pid: number, drive: () => Promise<Driven>): Promise<Measured> {
  const cpuBefore = processCpuUs(pid);
  const jiffiesBefore = cpuJiffies();
  const driven = await drive();
  const cpuAfter = processCpuUs(pid);
  const jiffiesAfter = cpuJiffies();
  const perRequest = (us: number): number => us / Math.max(1, driven.requests);
  return {
    rps: (driven.requests * 1000) / driven.elapsedMs,
    p99Ms: driven.p99Ms,
    userUs: perRequest(cpuAfter.user - cpuBefore.user),
    systemUs: perRequest(cpuAfter.system - cpuBefore.system),
    subjectCpuBusy: busyShare(jiffiesBefore, jiffiesAfter, (cpu) => cpu === 0),
    otherCpusBusy: busyShare(jiffiesBefore, jiffiesAfter, (cpu) => cpu !== 0),
  };
}

function plainLoad(path: string): Load {
  return {
    path,
    requests: [{ headers: { 'content-type': 'application/json' }, body: BODY }],
    check: ({ status, body }) => {
      const echo = (JSON.parse(body.toString('utf8')) as { echo?: string }).echo;
      if (status !== 200 || echo !== BODY.toString('utf8')) throw new Error(`unexpected plaintext answer ${status}`);
    },
  };
}

function aleLoad(path: string): Load {
  const key = deriveAleKey(KEY_VALUE);
  const aad = aleAad(FINGERPRINT);
  const requests = Array.from({ length: SEALED_REQUESTS }, () => {
    const iv = generateAleIv('aes-256-gcm');
    return {
      headers: { 'content-type': 'application/json', 'sec-fingerprint': FINGERPRINT, 'sec-iv': encodeAleIv(iv) },
      body: Buffer.from(aleEncrypt('aes-256-gcm', key, iv, BODY, aad)),
    };
  });
  return {
    path,
    requests,
    check: ({ status, headers, body }) => {
      if (status !== 200) throw new Error(`ALE status ${status}: ${body.toString('utf8')}`);
      const iv = parseAleIv('aes-256-gcm', String(headers['sec-iv']));
      const answer = JSON.parse(aleDecrypt('aes-256-gcm', key, iv, body.toString('latin1'), aad).toString('utf8')) as { echo?: string };
      if (answer.echo !== BODY.toString('utf8')) throw new Error('the sealed answer does not echo the request');
    },
  };
}

/** One subject's run: its URL, its child's pid (for CPU accounting), its load and, with wrk, its requests file. */
interface Run {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  readonly load: Load;
  readonly requestsFile: string;
}

/** One round of one subject: warm up, check a sample, measure with CPU accounting, check again. */
async function measure(run: Run, wrk: string | undefined, firstRound: boolean): Promise<Measured> {
  if (wrk === undefined) {
    await driveUndici(run.url, run.load, firstRound ? FIRST_WARMUP_MS : WARMUP_MS);
    return accounted(run.pid, () => driveUndici(run.url, run.load, MEASURE_MS));
  }
  await driveWrk(wrk, run.url, run.requestsFile, Math.ceil((firstRound ? FIRST_WARMUP_MS : WARMUP_MS) / 1000));
  await verifySample(run.url, run.load);
  const measured = await accounted(run.pid, () => driveWrk(wrk, run.url, run.requestsFile, MEASURE_MS / 1000));
  await verifySample(run.url, run.load);
  return measured;
}

async function main(): Promise<void> {
  if (BODY.length !== 1024) throw new TypeError('the body must be 1 KiB');
  const cpus = availableParallelism();
  // The generator (this process and wrk, its child) and the kitchen share the CPUs the subject does not use.
  const pinned = cpus >= 2 && pin(process.pid, `1-${cpus - 1}`);
  const subjectCpus = pinned ? '0' : undefined;
  const otherCpus = pinned ? `1-${cpus - 1}` : undefined;
  const wrk = findOnPath('wrk');
  if (wrk !== undefined && !existsSync(WRK_SCRIPT)) throw new Error(`${WRK_SCRIPT} is missing (run from the repository root)`);
  const kitchen = await startChild([KITCHEN_FLAG], {}, otherCpus);
  const env = { BENCH_KITCHEN_URL: kitchen.url };
  const subjects = {
    gateway: await startChild([`${SUBJECT_FLAG}gateway`], env, subjectCpus),
    fastify: await startChild([`${SUBJECT_FLAG}fastify`], env, subjectCpus),
    raw: await startChild([`${SUBJECT_FLAG}raw`], env, subjectCpus),
  };
  const dir = mkdtempSync(join(tmpdir(), 'gateway-http-bench-'));
  const run = (name: string, subject: { child: ChildProcess; url: string }, load: Load): Run => {
    const requestsFile = join(dir, `${name}.requests`);
    writeRequestsFile(requestsFile, subject.url, load);
    return { name, url: subject.url, pid: subject.child.pid ?? 0, load, requestsFile };
  };
  const runs: Run[] = [
    run('ale', subjects.gateway, aleLoad(`/sites/${SITE_ALE}/order`)),
    run('off', subjects.gateway, plainLoad(`/sites/${SITE_PLAIN}/order`)),
    run('fastify', subjects.fastify, plainLoad(`/sites/${SITE_PLAIN}/order`)),
    run('raw', subjects.raw, plainLoad(`/sites/${SITE_PLAIN}/order`)),
  ];
  // BENCH_ONLY=ale,off measures just those (for profiling one subject); the ratios then print what exists.
  const only = process.env['BENCH_ONLY']?.split(',');
  const selected = only === undefined ? runs : runs.filter(({ name }) => only.includes(name));
  const best = new Map<string, Measured>();
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const subject of selected) {
        const result = await measure(subject, wrk, round === 0);
        const previous = best.get(subject.name);
        if (previous === undefined || result.rps > previous.rps) best.set(subject.name, result);
      }
    }
  } finally {
    await Promise.all([kitchen, ...Object.values(subjects)].map(({ child }) => stopChild(child)));
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    `${CONNECTIONS} connections, 1 KiB JSON, ${ROUNDS} rounds of ${MEASURE_MS / 1000} s (best kept); subjects ${pinned ? 'pinned to CPU 0' : 'not pinned'} on ${cpus} CPUs`,
  );
  console.log(
    wrk === undefined
      ? 'load generator: undici closed loop in the bench process (wrk not on PATH: `apt-get install wrk` for a generator that does not cap the baselines)'
      : `load generator: ${wrk} -t${WRK_THREADS} -c${CONNECTIONS} (${WRK_SCRIPT}); ${CHECKED_ANSWERS} answers checked through undici before and after each run`,
  );
  const ratio = (name: string, subject: string, baseline: string, goal?: number): void => {
    const a = best.get(subject);
    const b = best.get(baseline);
    if (a === undefined || b === undefined) return;
    console.log(ratioLine(name, { label: subject, value: a.rps }, { label: baseline, value: b.rps }, 'req/s', goal === undefined ? undefined : { op: '>=', value: goal }));
  };
  ratio('gateway ALE GCM ÷ encryption off', 'ale', 'off', 0.75);
  ratio('gateway ALE GCM ÷ raw node:http + undici proxy', 'ale', 'raw', 0.7);
  ratio('gateway ALE GCM ÷ bare fastify proxy', 'ale', 'fastify');
  ratio('gateway encryption off ÷ raw node:http proxy', 'off', 'raw');
  const ale = best.get('ale');
  if (ale !== undefined) console.log(absoluteLine('gateway ALE GCM throughput (one core)', ale.rps, 'req/s', { op: '>=', value: 20_000 }));
  const labels: Record<string, string> = { ale: 'gateway ALE GCM', off: 'gateway encryption off', fastify: 'bare fastify proxy', raw: 'raw node:http proxy' };
  for (const [name, result] of best) {
    console.log(absoluteLine(`${labels[name]} p99 latency`, result.p99Ms, 'ms', name === 'ale' ? { op: '<=', value: 10 } : undefined));
  }
  // Whether a subject is bound by its own core (CPU 0 ≈ 100 % busy) or by the generator and kitchen's.
  for (const [name, r] of best) {
    console.log(
      `${`${labels[name]} CPU per request`.padEnd(44)} ${(r.userUs + r.systemUs).toFixed(1)} µs (user ${r.userUs.toFixed(1)} + sys ${r.systemUs.toFixed(1)});` +
        ` CPU 0 ${Math.round(r.subjectCpuBusy * 100)} % busy, other CPUs ${Math.round(r.otherCpusBusy * 100)} %`,
    );
  }
}
