import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { Registry } from 'prom-client';
import { METRICS_REGISTRY, loadConfig } from '@pos-link/platform';
import { IngressConfig } from '../ingress-config';
import { createIngressApp } from '../ingress-app.factory';
import { PES_INGRESS_SOURCE_DEFAULT } from '../session/pes-limits';
import { serializeIntegratorCredentials } from '../transport/create-pes-transport';
import { HandshakeFloor } from './handshake-floor';

/**
 * The ingress app in a child process of its own, for benchmarks (DESIGN §7): the load generator must
 * not share the ingress's event loop, and the ingress's CPU time and memory must be its own. The child
 * runs the real app (`createIngressApp`: Nest, pino, prom-client, the Redis event log) built from the
 * DESIGN §8 environment, and answers a few questions over the IPC channel: its CPU time
 * (`process.cpuUsage()`), its memory after `global.gc()`, a metric's value.
 *
 * The child is any script that calls {@link runIngressProbeChild} when its argv holds
 * {@link INGRESS_PROBE_ARG} — a benchmark bundle passes its own path, so one file holds both roles.
 *
 * With `subject: 'handshake-floor'` the child runs {@link HandshakeFloor} instead of the app, built from
 * the same environment (same integrator credentials, OAEP hash and cipher): the handshake benchmark's
 * baseline, measured the same way.
 */

/** The argv flag that makes a script the probe's child. */
export const INGRESS_PROBE_ARG = '--ingress-probe';

/** The extra argv flag that makes the child run the {@link HandshakeFloor} instead of the app. */
const HANDSHAKE_FLOOR_ARG = '--handshake-floor';

/** What the child runs: the real ingress app, or the bare handshake server it is compared with. */
export type IngressProbeSubject = 'ingress' | 'handshake-floor';

/** Connections and completed handshakes, as the child counts them. */
export interface IngressProbeHandshakes {
  /** Connections not yet closed (the ingress: `poslink_ingress_connections`). */
  readonly open: number;
  /** Handshakes the POS acked (the ingress: `poslink_ingress_handshakes_total{outcome="completed"}`). */
  readonly completed: number;
}

/** The child's memory, in bytes, after garbage collection (when `--expose-gc` is on). */
export interface IngressProbeMemory {
  readonly rss: number;
  readonly heapUsed: number;
  readonly external: number;
  /** Whether `global.gc()` ran first (the child was started with `--expose-gc`). */
  readonly collected: boolean;
}

type ProbeRequest =
  | { readonly id: number; readonly op: 'cpu' }
  | { readonly id: number; readonly op: 'memory' }
  | { readonly id: number; readonly op: 'handshakes' }
  | { readonly id: number; readonly op: 'metric'; readonly name: string; readonly labels: Record<string, string> }
  | { readonly id: number; readonly op: 'stop' };

type ProbeMessage =
  | { readonly op: 'ready'; readonly pesPort: number }
  | { readonly op: 'reply'; readonly id: number; readonly value: unknown }
  | { readonly op: 'failed'; readonly id?: number; readonly message: string };

/** Garbage collections per memory reading: the second one frees what the first one's finalizers released. */
const GC_PASSES = 3;

/** Whether this process was started as the probe's child. */
export function isIngressProbeChild(argv: readonly string[] = process.argv): boolean {
  return argv.includes(INGRESS_PROBE_ARG);
}

/**
 * The child side: loads `IngressConfig` from the environment, builds and starts the app, reports
 * `ready` with the PES port, then answers requests until `stop` (graceful close, exit 0).
 * @throws TypeError without an IPC channel
 */
export async function runIngressProbeChild(): Promise<void> {
  const send = process.send?.bind(process);
  if (send === undefined) throw new TypeError('runIngressProbeChild needs an IPC channel');
  const post = (message: ProbeMessage): void => void send(message);
  try {
    const config = loadConfig(IngressConfig, process.env);
    const subject = process.argv.includes(HANDSHAKE_FLOOR_ARG) ? await startFloor(config) : await startIngress(config);
    process.on('message', (request: ProbeRequest) => {
      answer(request, subject).then(
        (value) => post({ op: 'reply', id: request.id, value }),
        (error: unknown) => post({ op: 'failed', id: request.id, message: String(error) }),
      );
      if (request.op === 'stop') {
        void subject.close().finally(() => process.disconnect());
      }
    });
    post({ op: 'ready', pesPort: subject.pesPort });
  } catch (error) {
    post({ op: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exitCode = 1;
    process.disconnect();
  }
}

/** What the child side runs, whichever the subject. */
interface ChildSubject {
  readonly pesPort: number;
  metric(name: string, labels: Record<string, string>): Promise<number>;
  handshakes(): Promise<IngressProbeHandshakes>;
  close(): Promise<void>;
}

async function startIngress(config: IngressConfig): Promise<ChildSubject> {
  const app = await createIngressApp(config);
  const endpoints = await app.listen();
  const registry = app.nest.get<Registry>(METRICS_REGISTRY, { strict: false });
  const metric = (name: string, labels: Record<string, string>) => metricValue(registry, name, labels);
  return {
    pesPort: endpoints.find((endpoint) => endpoint.name === 'pes')?.port ?? 0,
    metric,
    handshakes: async () => ({
      open: await metric('poslink_ingress_connections', {}),
      completed: await metric('poslink_ingress_handshakes_total', { outcome: 'completed' }),
    }),
    close: () => app.close(),
  };
}

async function startFloor(config: IngressConfig): Promise<ChildSubject> {
  const floor = await HandshakeFloor.listen({
    host: config.pesHost,
    oaepHash: config.pesOaepHash,
    cipher: config.pesCipher,
    credentials: serializeIntegratorCredentials(config.integratorKeyId, config.integratorSecretKey),
    source: PES_INGRESS_SOURCE_DEFAULT,
  });
  return {
    pesPort: floor.port,
    metric: () => Promise.reject(new TypeError('the handshake floor has no metrics')),
    handshakes: () => Promise.resolve({ open: floor.openConnections, completed: floor.completed }),
    close: () => floor.close(),
  };
}

async function metricValue(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) return 0;
  const wanted = Object.entries(labels);
  const { values } = await metric.get();
  return values
    .filter((v) => wanted.every(([key, value]) => String((v.labels as Record<string, unknown>)[key]) === value))
    .reduce((sum, v) => sum + v.value, 0);
}

async function answer(request: ProbeRequest, subject: ChildSubject): Promise<unknown> {
  switch (request.op) {
    case 'cpu':
      return process.cpuUsage();
    case 'memory':
      return memoryAfterGc();
    case 'metric':
      return subject.metric(request.name, request.labels);
    case 'handshakes':
      return subject.handshakes();
    default:
      return null;
  }
}

function memoryAfterGc(): IngressProbeMemory {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc !== undefined) for (let pass = 0; pass < GC_PASSES; pass += 1) gc();
  const { rss, heapUsed, external } = process.memoryUsage();
  return { rss, heapUsed, external, collected: gc !== undefined };
}

/** Options of {@link IngressProbe.start}. */
export interface IngressProbeOptions {
  /** The script to run; it must call {@link runIngressProbeChild} when given {@link INGRESS_PROBE_ARG}. */
  readonly script: string;
  /** The app's environment (DESIGN §8: `REDIS_URL`, `SITE_ID`, `INTEGRATOR_*`, `PES_PORT=0` …). */
  readonly env: Readonly<Record<string, string>>;
  /** What the child runs; default `'ingress'` (the real app). */
  readonly subject?: IngressProbeSubject;
  /** Node options of the child; default `['--expose-gc']`. */
  readonly execArgv?: readonly string[];
  /** Node binary; default the one running this process. */
  readonly node?: string;
}

/** The parent's handle on the child (see the module comment). */
export class IngressProbe {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  readonly #exited: Promise<void>;
  #nextId = 0;
  #pesPort = 0;

  private constructor(child: ChildProcess) {
    this.#child = child;
    this.#exited = once(child, 'exit').then(() => {
      for (const { reject } of this.#pending.values()) reject(new Error('ingress probe exited'));
      this.#pending.clear();
    });
    child.on('message', (message: ProbeMessage) => {
      if (message.op === 'ready' || message.id === undefined) return;
      const waiter = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      if (message.op === 'reply') waiter?.resolve(message.value);
      else waiter?.reject(new Error(message.message));
    });
  }

  /** Spawns the child and resolves once its app listens. */
  static async start(options: IngressProbeOptions): Promise<IngressProbe> {
    const args = [...(options.execArgv ?? ['--expose-gc']), options.script, INGRESS_PROBE_ARG];
    if (options.subject === 'handshake-floor') args.push(HANDSHAKE_FLOOR_ARG);
    const child = spawn(options.node ?? process.execPath, args, {
      env: { PATH: process.env['PATH'] ?? '', ...options.env },
      // Logs (pino, stdout) go to /dev/null: written as in production, never read here.
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const probe = new IngressProbe(child);
    const [message] = (await Promise.race([
      once(child, 'message'),
      once(child, 'exit').then(([code]) => [{ op: 'failed', message: `exited with ${String(code)}` }]),
    ])) as [ProbeMessage];
    if (message.op !== 'ready') {
      child.kill('SIGKILL');
      throw new Error(`ingress probe did not start: ${message.op === 'failed' ? message.message : message.op}`);
    }
    probe.#pesPort = message.pesPort;
    return probe;
  }

  /** The child's PES port. */
  get pesPort(): number {
    return this.#pesPort;
  }

  /** The child's `process.cpuUsage()` (microseconds, all its threads). */
  cpuUsage(): Promise<NodeJS.CpuUsage> {
    return this.#request({ op: 'cpu' }) as Promise<NodeJS.CpuUsage>;
  }

  /** The child's memory after garbage collection. */
  memory(): Promise<IngressProbeMemory> {
    return this.#request({ op: 'memory' }) as Promise<IngressProbeMemory>;
  }

  /** Open connections and completed handshakes (either subject). */
  handshakes(): Promise<IngressProbeHandshakes> {
    return this.#request({ op: 'handshakes' }) as Promise<IngressProbeHandshakes>;
  }

  /** The sum of a metric's samples whose labels include `labels` (0 when absent; the ingress only). */
  metric(name: string, labels: Record<string, string> = {}): Promise<number> {
    return this.#request({ op: 'metric', name, labels }) as Promise<number>;
  }

  /** Closes the app gracefully and waits for the child to exit (SIGKILL after `timeoutMs`). */
  async stop(timeoutMs = 15_000): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), timeoutMs);
    try {
      await this.#request({ op: 'stop' }).catch(() => undefined);
      await this.#exited;
    } finally {
      clearTimeout(timer);
    }
  }

  #request(body: { op: ProbeRequest['op']; name?: string; labels?: Record<string, string> }): Promise<unknown> {
    const id = ++this.#nextId;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#child.send({ ...body, id }, (error) => {
        if (error === null) return;
        this.#pending.delete(id);
        reject(error);
      });
    });
  }
}
