#!/usr/bin/env node
// `npm run bench [-- <filter>]`: bundles every tools/bench/src/*.bench.ts and runs each in its own
// process on Node 24 LTS (DESIGN §7: benchmarks run on Node 24), printing ratios against baselines
// measured in the same run. Set BENCH_NODE=current to use the Node that runs this script instead.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleEntry } from '../build/bundle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const filter = process.argv[2] ?? '';
const srcDir = path.join(root, 'tools/bench/src');
const benches = readdirSync(srcDir).filter((f) => f.endsWith('.bench.ts') && f.includes(filter)).sort();

let node = process.execPath;
if (process.env.BENCH_NODE !== 'current') {
  node = path.join(execFileSync(path.join(root, 'tools/node24/ensure.sh'), { encoding: 'utf8' }).trim(), 'node');
}
const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
console.log(`pos-link benchmarks on Node ${version} (${process.platform}/${process.arch}), ${new Date().toISOString()}`);

let failed = 0;
for (const file of benches) {
  const out = path.join(root, 'dist/bench', file.replace(/\.ts$/, '.js'));
  await bundleEntry(path.join(srcDir, file), out);
  console.log(`\n## ${file.replace(/\.bench\.ts$/, '')}`);
  const r = spawnSync(node, ['--expose-gc', out], { cwd: root, stdio: 'inherit', env: process.env });
  if (r.status !== 0) {
    failed++;
    console.log(`(benchmark ${file} exited with ${r.status ?? r.signal})`);
  }
}
process.exit(failed ? 1 : 0);
