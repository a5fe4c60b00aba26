import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { Registry } from 'prom-client';
import { METRICS_REGISTRY, loadConfig } from '@pos-link/platform';
import { IngressConfig } from '../ingress-config';
import { createIngressApp } from '../ingress-app.factory';

/**
 * The ingress app in a child process of its own, for benchmarks (DESIGN §7): the load generator must
 * not share the ingress's event loop, and the ingress's CPU time and memory must be its own. The child
 * runs the real app (`createIngressApp`: Nest, pino, prom-client, the Redis event log) built from the
 * DESIGN §8 environment, and answers a few questions over the IPC channel: its CPU time
 * (`process.cpuUsage()`), its memory after `global.gc()`, a metric's value.
 *
 * The child is any script that calls {@link runIngressProbeChild} when its argv holds
 * {@link INGRESS_PROBE_ARG} — a benchmark bundle passes its own path, so one file holds both roles.
 */

/** The argv flag that makes a script the probe's child. */
export const INGRESS_PROBE_ARG = '--ingress-probe';

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
    const app = await createIngressApp(loadConfig(IngressConfig, process.env));
    const endpoints = await app.listen();
    const registry = app.nest.get<Registry>(METRICS_REGISTRY, { strict: false });
    process.on('message', (request: ProbeRequest) => {
      answer(request, registry).then(
        (value) => post({ op: 'reply', id: request.id, value }),
        (error: unknown) => post({ op: 'failed', id: request.id, message: String(error) }),
      );
      if (request.op === 'stop') {
        void app.close().finally(() => process.disconnect());
      }
    });
    post({ op: 'ready', pesPort: endpoints.find((endpoint) => endpoint.name === 'pes')?.port ?? 0 });
  } catch (error) {
    post({ op: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exitCode = 1;
    process.disconnect();
  }
}

async function answer(request: ProbeRequest, registry: Registry): Promise<unknown> {
  switch (request.op) {
    case 'cpu':
      return process.cpuUsage();
    case 'memory':
      return memoryAfterGc();
    case 'metric': {
      const metric = registry.getSingleMetric(request.name);
      if (metric === undefined) return 0;
      const wanted = Object.entries(request.labels);
      const { values } = await metric.get();
      return values
        .filter((v) => wanted.every(([key, value]) => String((v.labels as Record<string, unknown>)[key]) === value))
        .reduce((sum, v) => sum + v.value, 0);
    }
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
    const child = spawn(options.node ?? process.execPath, [...(options.execArgv ?? ['--expose-gc']), options.script, INGRESS_PROBE_ARG], {
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

  /** The sum of a metric's samples whose labels include `labels` (0 when absent). */
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
