import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { getFreePort, isPortFree, waitForReady } from '@pos-link/platform/testing';
import { readDemoManifest } from '../src/demo/demo-manifest';
import { runDemo } from '../src/demo/run-demo';
import { NodeProcess, WORKSPACE, bundleApps } from './support/node-process';

// `npm start` end to end (issue 8): the bundle `npm start` runs, as a child process configured only
// through the environment, driven by the demo's own code (pos-sim, device-sim, the `ale` client as
// real network peers), stopped by SIGINT (Ctrl-C).
/** Bounds for a loaded 2-core machine: boot, and exit after Ctrl-C with nothing in flight. */
const READY_TIMEOUT_MS = 20_000;
const EXIT_TIMEOUT_MS = 5_000;

let script: string;
/** What `npm run demo` runs (bundled the same way as its script does). */
const DEMO_SCRIPT = path.join(WORKSPACE, 'dist/apps/standalone/demo.js');

beforeAll(async () => {
  const bundleDemo = `import('./tools/build/bundle.mjs').then((m) => m.bundleEntry('apps/standalone/src/demo-main.ts', ${JSON.stringify(DEMO_SCRIPT)}))`;
  const [bundles] = await Promise.all([
    bundleApps('standalone'),
    promisify(execFile)(process.execPath, ['-e', bundleDemo], { cwd: WORKSPACE }),
  ]);
  script = bundles['standalone']!;
}, 60_000);

describe('npm start (node dist/apps/standalone/main.js) with no configuration', () => {
  it('serves the demo: an encrypted order reaches the kitchen, POS events are stored and pushed over WebSocket, a terminal transaction is relayed; Ctrl-C exits 0 and frees every port', async () => {
    const demoFile = path.join(mkdtempSync(path.join(tmpdir(), 'poslink-e2e-')), 'demo.json');
    const ports = {
      HTTP_PORT: await getFreePort(),
      PES_PORT: await getFreePort(),
      KEYSYNC_OPS_PORT: await getFreePort(),
      GATEWAY_OPS_PORT: await getFreePort(),
      INGRESS_OPS_PORT: await getFreePort(),
    };
    const env: Record<string, string> = {
      LOG_LEVEL: 'warn',
      HTTP_HOST: '127.0.0.1',
      OPS_HOST: '127.0.0.1',
      PES_HOST: '127.0.0.1',
      DEMO_FILE: demoFile,
      ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
    };
    const proc = new NodeProcess(script, env);
    let exit: unknown;
    try {
      await proc.waitForLine((line) => line === 'Ctrl-C stops everything.', READY_TIMEOUT_MS);
      for (const port of [ports.KEYSYNC_OPS_PORT, ports.GATEWAY_OPS_PORT, ports.INGRESS_OPS_PORT]) {
        await waitForReady(`http://127.0.0.1:${port}`, READY_TIMEOUT_MS);
      }
      // The banner names the defaults it used, never a generated secret's value.
      const banner = proc.stdoutLines.join('\n');
      expect(banner).toContain('  SITE_IDS=demo-store');
      expect(banner).toContain('  TERMINAL_SITES=demo-pinpad=demo-store');
      expect(banner).toContain('  INTEGRATOR_SECRET_KEY=<generated for this run>');
      expect(banner).toContain(`Demo: run \`npm run demo\` in another terminal (reads ${demoFile}).`);

      expect(statSync(demoFile).mode & 0o777).toBe(0o600);
      const manifest = await readDemoManifest(demoFile);
      expect(manifest).toMatchObject({
        gatewayUrl: `http://127.0.0.1:${ports.HTTP_PORT}`,
        pes: { host: '127.0.0.1', port: ports.PES_PORT },
        siteId: 'demo-store',
        pinpadId: 'demo-pinpad',
      });
      expect(banner).not.toContain(manifest.integrator.secretKey);

      const lines: string[] = [];
      const result = await runDemo(manifest, (line) => lines.push(line));

      // 1. the order went through the gateway to the kitchen, which saw the plaintext for its site
      expect(result.order.status).toBe(200);
      expect(result.order.encrypted).toBe(true);
      const kitchen = JSON.parse(result.order.kitchenAnswer) as Record<string, unknown>;
      expect(kitchen).toMatchObject({ ok: true, kind: 'order', method: 'POST', route: '/order', site: 'demo-store' });
      expect(JSON.parse(kitchen['echo'] as string)).toMatchObject({ items: [{ name: 'Burger', qty: 2 }] });

      // 2. every acked POS event reached the WebSocket client, in order, exactly as stored
      expect(result.pes.acked).toBe(3);
      expect(result.pes.pushed.map((e) => e.msg_type)).toEqual(['create_order', 'add_item', 'add_item']);
      for (const event of result.pes.pushed) {
        expect(typeof JSON.parse(event.data)).toBe('object');
        expect(event.received_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      }

      // 3. the terminal approved the sale and its <RESPONSE> came back through the relay
      expect(result.terminal.status).toBe(200);
      expect(result.terminal.response).toContain('<RESULT>APPROVED</RESULT>');
      expect(result.terminal.response).toContain('<TRANS_AMOUNT>12.50</TRANS_AMOUNT>');

      expect(lines.map((line) => line.split(' ')[0])).toEqual(['keys', 'order', '', 'websocket', 'pos', 'pushed', 'terminal', 'relay']);

      // `npm run demo` itself: finds the process through DEMO_FILE and prints the same steps.
      const demo = new NodeProcess(DEMO_SCRIPT, { DEMO_FILE: demoFile });
      expect(await demo.exited(30_000)).toEqual({ code: 0, signal: null });
      expect(demo.stdoutLines[0]).toBe(`pos-link demo against the standalone process ${manifest.pid} (${manifest.gatewayUrl})`);
      expect(demo.stdoutLines).toContain(
        'demo ok: encrypted order reached the kitchen, POS events stored and pushed, card payment relayed',
      );
    } finally {
      proc.kill('SIGINT');
      exit = await proc.exited(EXIT_TIMEOUT_MS);
    }
    expect(exit).toEqual({ code: 0, signal: null });
    for (const port of Object.values(ports)) expect(await isPortFree(port)).toBe(true);
    expect(existsSync(demoFile)).toBe(false);
    // With the process gone, the demo says what to do instead of hanging.
    const late = new NodeProcess(DEMO_SCRIPT, { DEMO_FILE: demoFile });
    expect((await late.exited()).code).toBe(1);
    expect(late.stderr).toContain('no running standalone demo found');
    // No app logged an error during the whole run.
    expect(proc.records().filter((r) => r['level'] === 'error')).toEqual([]);
  }, 55_000);
});
