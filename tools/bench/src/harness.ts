/**
 * Benchmark harness: every figure is printed next to a baseline measured in the same run, as a ratio
 * (DESIGN §7: absolute numbers alone mean nothing on a shared machine).
 */
import { performance } from 'node:perf_hooks';

/** Runs a benchmark's `main`: an error is printed and fails the run (exit code 1), never unhandled. */
export function runBench(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}

/** One measured figure. */
export interface Measurement {
  readonly opsPerSec: number;
  readonly iterations: number;
  readonly elapsedMs: number;
}

/**
 * Runs `fn` repeatedly for about `durationMs` (after a warm-up) and returns its throughput. `fn` does
 * `batch` operations per call so the loop overhead stays out of the figure.
 */
export function measureSync(fn: () => void, opts: { durationMs?: number; warmupMs?: number; batch?: number } = {}): Measurement {
  const { durationMs = 1500, warmupMs = 300, batch = 1 } = opts;
  const warmEnd = performance.now() + warmupMs;
  while (performance.now() < warmEnd) fn();
  let iterations = 0;
  const start = performance.now();
  let now = start;
  const end = start + durationMs;
  while (now < end) {
    fn();
    iterations += batch;
    now = performance.now();
  }
  const elapsedMs = now - start;
  return { opsPerSec: (iterations * 1000) / elapsedMs, iterations, elapsedMs };
}

/** The q-quantile (0..1) of `values` (nearest-rank on a sorted copy). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new TypeError('quantile of an empty sample');
  if (!(q >= 0 && q <= 1)) throw new TypeError('q must be within 0..1');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

/** A goal on a ratio: `>=` means higher is better, `<=` lower is better. */
export interface RatioGoal {
  readonly op: '>=' | '<=';
  readonly value: number;
}

/** Formats one result line: `name  subject / baseline = ratio (goal) PASS|MISS`. */
export function ratioLine(
  name: string,
  subject: { label: string; value: number },
  baseline: { label: string; value: number },
  unit: string,
  goal?: RatioGoal,
): string {
  const ratio = subject.value / baseline.value;
  const verdict = goal ? (goal.op === '>=' ? ratio >= goal.value : ratio <= goal.value) ? 'PASS' : 'MISS' : '';
  const goalText = goal ? ` (goal ${goal.op} ${goal.value.toFixed(2)}) ${verdict}` : '';
  return (
    `${name.padEnd(44)} ${subject.label} ${fmt(subject.value)} ${unit} / ${baseline.label} ${fmt(baseline.value)} ${unit}` +
    ` = ${ratio.toFixed(2)}${goalText}`
  );
}

/** Formats an absolute figure with a goal, for targets that are absolute by nature (latency, memory). */
export function absoluteLine(name: string, value: number, unit: string, goal?: RatioGoal): string {
  const verdict = goal ? (goal.op === '>=' ? value >= goal.value : value <= goal.value) ? 'PASS' : 'MISS' : '';
  return `${name.padEnd(44)} ${fmt(value)} ${unit}${goal ? ` (goal ${goal.op} ${fmt(goal.value)} ${unit}) ${verdict}` : ''}`;
}

function fmt(v: number): string {
  if (v >= 1000) return Math.round(v).toLocaleString('en-US');
  if (v >= 10) return v.toFixed(1);
  return v.toFixed(3);
}
