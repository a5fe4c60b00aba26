import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { waitFor } from '@pos-link/platform/testing';
import { IntegratorValidator, RsaKeyPool, runHandshakes } from '@pos-link/pos-sim';
import { IngressProbe } from '../src/testing/ingress-probe';
import { openTestRedis, REDIS_URL, TEST_INTEGRATOR, type TestRedis } from './support/ingress-harness';

const ROOT = path.resolve(__dirname, '../../..');

/** Bundles `entry` with the workspace's bundler (tools/build/bundle.mjs), as the benchmarks are. */
async function bundle(entry: string, outfile: string): Promise<void> {
  const script = `import { bundleEntry } from ${JSON.stringify(path.join(ROOT, 'tools/build/bundle.mjs'))};
await bundleEntry(${JSON.stringify(entry)}, ${JSON.stringify(outfile)});`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`bundling failed (exit ${String(code)})`);
}

/** `IngressProbe`: the real app in a child process, questioned over IPC (what the benchmarks use). */
describe('IngressProbe (child process)', () => {
  let dir: string;
  let script: string;
  let store: TestRedis;

  beforeAll(async () => {
    // Inside the workspace (tmp/ is ignored): the bundle's npm packages resolve from its node_modules.
    await mkdir(path.join(ROOT, 'tmp'), { recursive: true });
    dir = await mkdtemp(path.join(ROOT, 'tmp', 'ingress-probe-'));
    script = path.join(dir, 'probe.js');
    await bundle(path.join(__dirname, 'support/probe-entry.ts'), script);
    store = await openTestRedis();
  }, 60_000);

  afterAll(async () => {
    await store.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('starts the app, reports CPU time, memory after gc and metrics, and stops cleanly', async () => {
    const probe = await IngressProbe.start({
      script,
      env: {
        REDIS_URL,
        REDIS_PREFIX: store.prefix,
        SITE_ID: store.siteId,
        PES_HOST: '127.0.0.1',
        PES_PORT: '0',
        OPS_HOST: '127.0.0.1',
        OPS_PORT: '0',
        KEY_WRAP_SECRET: 'probe-test-wrap-secret-0123456789abcdef',
        INTEGRATOR_KEY_ID: TEST_INTEGRATOR.keyId,
        INTEGRATOR_SECRET_KEY: TEST_INTEGRATOR.secretKey,
        LOG_LEVEL: 'warn',
      },
    });
    try {
      expect(probe.pesPort).toBeGreaterThan(0);
      const before = await probe.cpuUsage();
      const done = await runHandshakes({
        port: probe.pesPort,
        keys: (await RsaKeyPool.create(1)).source(),
        validator: new IntegratorValidator({ expected: TEST_INTEGRATOR }),
        count: 3,
        concurrency: 3,
        keepOpen: true,
      });
      expect(done.completed).toBe(3);
      // The POS's last ack may still be on its way to the child when runHandshakes resolves.
      await waitFor(
        'three completed handshakes',
        async () => (await probe.metric('poslink_ingress_handshakes_total', { outcome: 'completed' })) >= 3,
        { intervalMs: 5 },
      );
      const after = await probe.cpuUsage();
      expect(after.user + after.system).toBeGreaterThan(before.user + before.system);
      expect(await probe.metric('poslink_ingress_connections')).toBe(3);
      expect(await probe.handshakes()).toEqual({ open: 3, completed: 3 });
      expect(await probe.metric('poslink_no_such_metric')).toBe(0);
      const memory = await probe.memory();
      expect(memory.collected).toBe(true);
      expect(memory.rss).toBeGreaterThan(memory.heapUsed);
      for (const client of done.clients) client.destroy();
    } finally {
      await probe.stop();
    }
  }, 30_000);

  it("runs the handshake floor instead of the app with subject 'handshake-floor' (the same environment)", async () => {
    const probe = await IngressProbe.start({
      script,
      subject: 'handshake-floor',
      env: {
        REDIS_URL, // validated as the app's config is; the floor does not connect
        SITE_ID: store.siteId,
        PES_HOST: '127.0.0.1',
        PES_PORT: '0',
        KEY_WRAP_SECRET: 'probe-test-wrap-secret-0123456789abcdef',
        INTEGRATOR_KEY_ID: TEST_INTEGRATOR.keyId,
        INTEGRATOR_SECRET_KEY: TEST_INTEGRATOR.secretKey,
      },
    });
    try {
      const done = await runHandshakes({
        port: probe.pesPort,
        keys: (await RsaKeyPool.create(1)).source(),
        validator: new IntegratorValidator({ expected: TEST_INTEGRATOR }),
        count: 2,
        concurrency: 2,
      });
      expect(done.completed).toBe(2);
      const counts = await waitFor(
        'the floor to close every connection',
        async () => {
          const now = await probe.handshakes();
          return now.open === 0 ? now : undefined;
        },
        { intervalMs: 5 },
      );
      expect(counts).toEqual({ open: 0, completed: 2 });
      await expect(probe.metric('poslink_ingress_connections')).rejects.toThrow('no metrics');
    } finally {
      await probe.stop();
    }
  }, 30_000);

  it('reports a child that cannot start (bad config) as an error', async () => {
    await expect(IngressProbe.start({ script, env: { SITE_ID: 'x' } })).rejects.toThrow('ingress probe did not start');
  }, 30_000);
});
