/**
 * Ingress handshakes (issue 7, DESIGN §7): complete PES handshakes per second (goal >= 2,000/s with a
 * pre-made RSA pool on the POS side) and the ingress's CPU per handshake (goal <= 100 µs: of the
 * handshake's crypto, the ingress only RSA-encrypts — ≈ 52k/s/core). The baseline measured in the same
 * run is bare `crypto.publicEncrypt` RSA-OAEP-SHA256 of a 32-byte DEK under a 2048-bit key; the ratio
 * "handshakes per ingress CPU-second ÷ bare publicEncrypt/s" has the goal >= 0.19 (= 1 / 100 µs over
 * 52k/s, DESIGN's two figures), which holds on any machine speed.
 *
 * The ingress is the real app in its own process (`IngressProbe`, this bundle with `--ingress-probe`);
 * its CPU time is the child's `process.cpuUsage()` delta over the measured handshakes (accept, key
 * import, RSA-OAEP, credentials sealing, logs, metrics, close). The POS side is `@pos-link/pos-sim`
 * (`runHandshakes`): the full POS handshake, RSA-OAEP decryption included, with pairs from an
 * `RsaKeyPool`; each connection half-closes once registered.
 *
 * The floor, measured in the same run and the same way: `HandshakeFloor` (`subject: 'handshake-floor'`),
 * a bare `node:net` server in its own child (the same bundle, the same environment) doing the same
 * handshake with the same `libs/crypto` calls and nothing else (no Nest, timers, logs, metrics, limits),
 * driven by the same `runHandshakes`; rounds alternate between the two children. "ingress CPU/handshake ÷
 * floor CPU/handshake" says how much the service adds to what any server must spend here. It was added
 * because the 100 µs goal, set from warm-key microbenchmarks with a light client, turned out to be below
 * that floor on this machine (docs/adr/2026-11-22-ingress-handshake-cpu.md).
 */
import { constants, generateKeyPairSync, publicEncrypt, randomBytes } from 'node:crypto';
import { IngressProbe, type IngressProbeSubject } from '@pos-link/ingress/testing';
import { IntegratorValidator, RsaKeyPool, runHandshakes, type PosHandshakeLoadResult } from '@pos-link/pos-sim';
import { absoluteLine, measureSync, ratioLine } from './harness';
import { BENCH_INTEGRATOR as INTEGRATOR, ingressBenchEnv, runIngressBench } from './ingress-bench-env';

/** Handshakes per measured round: ~1.5 s each at the goal rate. */
const ROUND_HANDSHAKES = 3000;
const WARMUP_HANDSHAKES = 300;
const ROUNDS = 2;
/** Handshakes under way at once (a site restart reconnecting its terminals). */
const CONCURRENCY = 32;
/** DESIGN §7: 100 µs per handshake against ≈ 52k RSA-2048 encryptions per second and core. */
const CPU_RATIO_GOAL = 1_000_000 / 100 / 52_000;

runIngressBench(main);

/** One subject's best round: throughput, and the child's CPU (and the POS side's) per handshake. */
interface RoundBest {
  readonly perSecond: number;
  readonly cpuUs: number;
  readonly systemUs: number;
  readonly posCpuUs: number;
}

const NO_ROUND: RoundBest = { perSecond: 0, cpuUs: Infinity, systemUs: 0, posCpuUs: Infinity };

async function main(): Promise<void> {
  const probes: IngressProbe[] = [];
  try {
    // No event is sent: nothing is written under the prefix.
    const env = ingressBenchEnv({ LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'info' }); // info: the production default
    const start = (subject: IngressProbeSubject): Promise<IngressProbe> =>
      IngressProbe.start({
        script: __filename,
        subject,
        // BENCH_CPU_PROF=<dir> writes each child's V8 CPU profile there (node --cpu-prof).
        execArgv: ['--expose-gc', ...(process.env['BENCH_CPU_PROF'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_CPU_PROF']}`] : [])],
        env,
      });
    const ingress = await start('ingress');
    probes.push(ingress);
    const floor = await start('handshake-floor');
    probes.push(floor);
    const pool = await RsaKeyPool.create(16);
    const validator = new IntegratorValidator({ expected: INTEGRATOR });
    const round = (probe: IngressProbe, count: number) =>
      runHandshakes({ port: probe.pesPort, keys: pool.source(), validator, count, concurrency: CONCURRENCY, oaepHash: 'sha256', ackWithData: false });

    await round(ingress, WARMUP_HANDSHAKES);
    await round(floor, WARMUP_HANDSHAKES);
    let rsaPerSecond = bareRsaEncrypt();
    let best = NO_ROUND;
    let floorBest = NO_ROUND;
    // Rounds alternate between the two children, so both see the same machine at about the same time.
    for (let i = 0; i < ROUNDS; i += 1) {
      best = bestOf(best, await measureRound(ingress, () => round(ingress, ROUND_HANDSHAKES)));
      floorBest = bestOf(floorBest, await measureRound(floor, () => round(floor, ROUND_HANDSHAKES)));
      rsaPerSecond = Math.max(rsaPerSecond, bareRsaEncrypt());
    }
    const expected = WARMUP_HANDSHAKES + ROUNDS * ROUND_HANDSHAKES;
    const completed = await ingress.metric('poslink_ingress_handshakes_total', { outcome: 'completed' });
    if (completed !== expected) throw new Error(`ingress counted ${completed} handshakes`);
    const floorCompleted = (await floor.handshakes()).completed;
    if (floorCompleted !== expected) throw new Error(`floor counted ${floorCompleted} handshakes`);

    console.log(
      ratioLine(
        'handshakes/s (32 at once) ÷ publicEncrypt/s',
        { label: 'ingress', value: best.perSecond },
        { label: 'bare RSA-OAEP', value: rsaPerSecond },
        'op/s',
      ),
    );
    console.log(
      ratioLine(
        'handshakes per ingress CPU-s ÷ publicEncrypt/s',
        { label: 'ingress', value: 1_000_000 / best.cpuUs },
        { label: 'bare RSA-OAEP', value: rsaPerSecond },
        'op/s',
        { op: '>=', value: CPU_RATIO_GOAL },
      ),
    );
    console.log(absoluteLine('ingress handshakes/s (absolute)', best.perSecond, '/s', { op: '>=', value: 2000 }));
    console.log(absoluteLine('ingress CPU per handshake (child cpuUsage)', best.cpuUs, 'µs', { op: '<=', value: 100 }));
    console.log(absoluteLine('  of which system (kernel: TCP, syscalls)', best.systemUs, 'µs'));
    // The POS side shares the machine: its RSA-OAEP decryption is most of its share.
    console.log(absoluteLine('  POS side (this process) CPU per handshake', best.posCpuUs, 'µs'));
    console.log(
      ratioLine(
        'ingress CPU/handshake ÷ floor CPU/handshake',
        { label: 'ingress', value: best.cpuUs },
        { label: 'floor', value: floorBest.cpuUs },
        'µs',
      ),
    );
    console.log(absoluteLine('  floor CPU per handshake (bare node:net)', floorBest.cpuUs, 'µs'));
    console.log(absoluteLine('    of which system', floorBest.systemUs, 'µs'));
    console.log(absoluteLine('  floor handshakes/s', floorBest.perSecond, '/s'));
  } finally {
    for (const probe of probes.reverse()) await probe.stop();
  }
}

/** One measured round against `probe`'s child: its CPU delta over `round`, once every connection closed. */
async function measureRound(probe: IngressProbe, round: () => Promise<PosHandshakeLoadResult>): Promise<RoundBest> {
  await waitForClosed(probe); // the previous round's closes are accounted for
  const before = await probe.cpuUsage();
  const ownBefore = process.cpuUsage();
  const result = await round();
  const own = process.cpuUsage(ownBefore);
  await waitForClosed(probe);
  const after = await probe.cpuUsage();
  if (result.completed !== ROUND_HANDSHAKES) throw new Error(`handshakes failed: ${JSON.stringify(result.failures)}`);
  const systemUs = (after.system - before.system) / ROUND_HANDSHAKES;
  return {
    perSecond: (ROUND_HANDSHAKES * 1000) / result.elapsedMs,
    cpuUs: (after.user - before.user) / ROUND_HANDSHAKES + systemUs,
    systemUs,
    posCpuUs: (own.user + own.system) / ROUND_HANDSHAKES,
  };
}

/** Best throughput, least CPU (with its system share), least POS-side CPU. */
function bestOf(a: RoundBest, b: RoundBest): RoundBest {
  const lower = b.cpuUs < a.cpuUs ? b : a;
  return {
    perSecond: Math.max(a.perSecond, b.perSecond),
    cpuUs: lower.cpuUs,
    systemUs: lower.systemUs,
    posCpuUs: Math.min(a.posCpuUs, b.posCpuUs),
  };
}

/** Each child closes a connection after the POS's FIN: wait until none is open (bounded). */
async function waitForClosed(probe: IngressProbe): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if ((await probe.handshakes()).open === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('connections did not close');
}

/** Bare RSA-OAEP-SHA256 encryptions of a 32-byte DEK per second (the ingress's one RSA operation). */
function bareRsaEncrypt(): number {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const dek = randomBytes(32);
  const BATCH = 50;
  return measureSync(
    () => {
      for (let i = 0; i < BATCH; i += 1) {
        publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, dek);
      }
    },
    { batch: BATCH, durationMs: 1000 },
  ).opsPerSec;
}
