/**
 * `npm run demo`: drives the running standalone process (`npm start`, demo mode) with pos-sim,
 * device-sim and the `ale` client, and prints what happened in a few lines (issue 8). It finds the
 * process through the demo file the process wrote (`DEMO_FILE`, default in the temp dir).
 * Exit codes: 0 every flow worked, 1 a flow failed or no standalone process is running.
 */
import { DEFAULT_DEMO_FILE, readDemoManifest } from './demo/demo-manifest';
import { runDemo } from './demo/run-demo';

async function demo(): Promise<void> {
  const file = process.env['DEMO_FILE'] || DEFAULT_DEMO_FILE;
  const manifest = await readDemoManifest(file);
  process.stdout.write(`pos-link demo against the standalone process ${manifest.pid} (${manifest.gatewayUrl})\n`);
  await runDemo(manifest, (line) => process.stdout.write(`  ${line}\n`));
  process.stdout.write('demo ok: encrypted order reached the kitchen, POS events stored and pushed, card payment relayed\n');
}

demo().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
