/**
 * Ingress memory per idle PES connection (issue 7, DESIGN §7: < 20 KB each): 5,000 POS connections
 * complete the handshake and then stay idle; the figure is the ingress process's RSS growth after
 * `global.gc()` divided by the connections (the heap's share is printed next to it). The baseline of
 * the ratio is the same process's RSS before the connections, measured in the same run.
 *
 * The ingress is the real app in its own process (`IngressProbe`: this bundle with `--ingress-probe`,
 * started with `--expose-gc`). A warm-up of connections opened and closed first makes lazily built
 * things (compiled code, pools, metric series) part of the baseline, not of the per-connection figure.
 *
 * File descriptors: the POS side (this process) and the ingress each hold one socket per connection.
 * Node raises its soft open-file limit to the hard one at start; when the hard limit is too low the
 * benchmark says so and stops (raise it with `ulimit -Hn` / `prlimit --nofile=<n>:<n>` as root).
 */
import { readFileSync } from 'node:fs';
import { IngressProbe, type IngressProbeMemory } from '@pos-link/ingress/testing';
import { IntegratorValidator, RsaKeyPool, runHandshakes } from '@pos-link/pos-sim';
import { absoluteLine, ratioLine } from './harness';
import { BENCH_INTEGRATOR as INTEGRATOR, ingressBenchEnv, runIngressBench } from './ingress-bench-env';

const CONNECTIONS = 5000;
const WARMUP_CONNECTIONS = 300;
/** Handshakes under way at once while connecting. */
const CONCURRENCY = 64;
/** Descriptors besides the sockets (Redis, IPC, the ops server, stdio, libuv). */
const SPARE_FDS = 200;

runIngressBench(main);

async function main(): Promise<void> {
  const limit = openFileLimit();
  if (limit < CONNECTIONS + SPARE_FDS) {
    console.log(`skipped: the open-file limit is ${limit}, ${CONNECTIONS + SPARE_FDS} are needed (raise it: ulimit -n / prlimit --nofile)`);
    process.exitCode = 1;
    return;
  }
  let probe: IngressProbe | undefined;
  const clients: Array<{ destroy(): void }> = [];
  try {
    probe = await IngressProbe.start({
      script: __filename,
      // No event is sent: nothing is written under the prefix.
      env: ingressBenchEnv({
        PES_MAX_CONNECTIONS: String(CONNECTIONS + WARMUP_CONNECTIONS),
      }),
    });
    const port = probe.pesPort;
    const pool = await RsaKeyPool.create(16);
    const validator = new IntegratorValidator({ expected: INTEGRATOR });
    const connect = (count: number, keepOpen: boolean) =>
      runHandshakes({ port, keys: pool.source(), validator, count, concurrency: CONCURRENCY, keepOpen, ackWithData: false });

    const warm = await connect(WARMUP_CONNECTIONS, true);
    for (const client of warm.clients) client.end();
    await waitFor(probe, 'poslink_ingress_connections', 0);
    const before = await probe.memory();

    const opened = await connect(CONNECTIONS, true);
    clients.push(...opened.clients);
    if (opened.completed !== CONNECTIONS) throw new Error(`handshakes failed: ${JSON.stringify(opened.failures)}`);
    await waitFor(probe, 'poslink_ingress_handshakes_total', WARMUP_CONNECTIONS + CONNECTIONS, { outcome: 'completed' });
    const after = await probe.memory();
    if (!after.collected) throw new Error('the ingress child runs without --expose-gc');

    report(before, after);
  } finally {
    for (const client of clients) client.destroy();
    await probe?.stop();
  }
}

function report(before: IngressProbeMemory, after: IngressProbeMemory): void {
  const perConnection = (after.rss - before.rss) / CONNECTIONS;
  console.log(
    ratioLine(
      `ingress RSS with ${CONNECTIONS} idle conns ÷ without`,
      { label: 'with', value: after.rss / 1024 },
      { label: 'without', value: before.rss / 1024 },
      'KiB',
    ),
  );
  console.log(absoluteLine('ingress memory per idle connection (RSS)', perConnection / 1000, 'KB', { op: '<=', value: 20 }));
  console.log(absoluteLine('  of which V8 heap', (after.heapUsed - before.heapUsed) / CONNECTIONS / 1000, 'KB'));
}

/** Polls one of the child's metrics until it reaches `value` (bounded: the benchmark must end). */
async function waitFor(probe: IngressProbe, metric: string, value: number, labels: Record<string, string> = {}): Promise<void> {
  for (let i = 0; i < 500; i += 1) {
    if ((await probe.metric(metric, labels)) === value) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${metric} did not reach ${value}`);
}

/** This process's soft open-file limit (Linux `/proc/self/limits`; Infinity where unknown). */
function openFileLimit(): number {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    return soft === undefined || soft === 'unlimited' ? Infinity : Number(soft);
  } catch {
    return Infinity;
  }
}
