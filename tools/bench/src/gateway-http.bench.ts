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
 * recording off) over an undici pool and answers with the kitchen's body. The load generator is a
 * closed loop over an undici pool of 50 connections, one request in flight per connection; ALE requests
 * are pre-sealed (fresh IVs, replay protection off), so the generator spends no CPU on crypto, and a
 * sample of answers is opened to prove the round trip. Each subject runs in a child process of its own
 * (this bundle with `--subject=<name>`), pinned to CPU 0 with `taskset` when available; the kitchen runs
 * in another child and the generator here, both on the other CPUs. The subjects alternate over
 * `ROUNDS` short rounds; the best throughput of each is kept (with its p99). Bounded: ≈ 55 s.
 * `BENCH_ONLY=ale,off` measures a subset; `BENCH_NODE_ARGS=--cpu-prof` profiles the children.
 *
 * The gateway is the real app (`createGatewayApp`) without Redis: its key store is an in-memory store
 * seeded here, which the hot path never distinguishes (lookups are map reads either way; replay
 * protection, the only per-request Redis command, is off as by default).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
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
const FIRST_WARMUP_MS = 1_000;
const WARMUP_MS = 300;
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
const KITCHEN_FLAG = '--kitchen';

type SubjectName = 'gateway' | 'fastify' | 'raw';
interface Measured {
  readonly rps: number;
  readonly p99Ms: number;
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

/** Closed-loop load: `CONNECTIONS` loops, one request in flight each, for `durationMs`. */
async function drive(baseUrl: string, load: Load, durationMs: number, record: boolean): Promise<Measured> {
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
      if (record) latencies.push(performance.now() - started);
      done++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, loop));
  const elapsed = performance.now() - started;
  await pool.close();
  return { rps: (done * 1000) / elapsed, p99Ms: latencies.length === 0 ? 0 : quantile(latencies, 0.99) };
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

async function measure(baseUrl: string, load: Load, warmupMs: number): Promise<Measured> {
  await drive(baseUrl, load, warmupMs, false);
  return drive(baseUrl, load, MEASURE_MS, true);
}

async function main(): Promise<void> {
  if (BODY.length !== 1024) throw new TypeError('the body must be 1 KiB');
  const cpus = availableParallelism();
  // The generator (this process) and the kitchen share the CPUs the subject does not use.
  const pinned = cpus >= 2 && pin(process.pid, `1-${cpus - 1}`);
  const subjectCpus = pinned ? '0' : undefined;
  const otherCpus = pinned ? `1-${cpus - 1}` : undefined;
  const kitchen = await startChild([KITCHEN_FLAG], {}, otherCpus);
  const env = { BENCH_KITCHEN_URL: kitchen.url };
  const subjects = {
    gateway: await startChild([`${SUBJECT_FLAG}gateway`], env, subjectCpus),
    fastify: await startChild([`${SUBJECT_FLAG}fastify`], env, subjectCpus),
    raw: await startChild([`${SUBJECT_FLAG}raw`], env, subjectCpus),
  };
  const runs: Array<[string, string, Load]> = [
    ['ale', subjects.gateway.url, aleLoad(`/sites/${SITE_ALE}/order`)],
    ['off', subjects.gateway.url, plainLoad(`/sites/${SITE_PLAIN}/order`)],
    ['fastify', subjects.fastify.url, plainLoad(`/sites/${SITE_PLAIN}/order`)],
    ['raw', subjects.raw.url, plainLoad(`/sites/${SITE_PLAIN}/order`)],
  ];
  // BENCH_ONLY=ale,off measures just those (for profiling one subject); the ratios then print what exists.
  const only = process.env['BENCH_ONLY']?.split(',');
  const selected = only === undefined ? runs : runs.filter(([name]) => only.includes(name));
  const best = new Map<string, Measured>();
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, url, load] of selected) {
        const result = await measure(url, load, round === 0 ? FIRST_WARMUP_MS : WARMUP_MS);
        const previous = best.get(name);
        if (previous === undefined || result.rps > previous.rps) best.set(name, result);
      }
    }
  } finally {
    await Promise.all([kitchen, ...Object.values(subjects)].map(({ child }) => stopChild(child)));
  }
  console.log(
    `${CONNECTIONS} connections, 1 KiB JSON, ${ROUNDS} rounds of ${MEASURE_MS / 1000} s (best kept); subjects ${pinned ? 'pinned to CPU 0' : 'not pinned'} on ${cpus} CPUs`,
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
}
