import { getFreePort, waitForReady } from '@pos-link/platform/testing';
import { startPortalSim, type PortalSim } from '@pos-link/portal-sim';
import { NodeProcess, bundleApps } from './support/node-process';

// End to end at the process level: the bundles `npm run build` produces, run as `node main.js`,
// configured only through the environment (DESIGN §8), stopped by signals.
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const WRAP_SECRET = 'process-test-wrap-secret-0123456789abcdef';
const APPS = ['secure-gateway', 'key-sync', 'event-stream-ingress', 'standalone'] as const;
/** How long a clean SIGTERM/SIGINT may take with nothing in flight: "promptly". */
const PROMPT_EXIT_MS = 3_000;

let scripts: Record<string, string>;
/** The Portal key-sync reads when it runs on its own (a real peer, DESIGN §7). */
let portal: PortalSim;

beforeAll(async () => {
  portal = await startPortalSim({ sites: ['s1'], auth: 'Bearer process-test' });
  scripts = await bundleApps(...APPS);
}, 120_000);

afterAll(async () => {
  await portal.close();
});

async function appEnv(app: (typeof APPS)[number]): Promise<Record<string, string>> {
  const common = {
    LOG_LEVEL: 'info',
    REDIS_URL,
    REDIS_PREFIX: `test-process-${process.pid}`,
    KEY_WRAP_SECRET: WRAP_SECRET,
    OPS_HOST: '127.0.0.1',
    OPS_PORT: String(await getFreePort()),
  };
  switch (app) {
    case 'secure-gateway':
      return { ...common, HTTP_HOST: '127.0.0.1', HTTP_PORT: String(await getFreePort()), UPSTREAM_URL: 'http://127.0.0.1:9/{site}' };
    case 'key-sync':
      return { ...common, PORTAL_URL: portal.url, PORTAL_AUTH: portal.auth, SITE_IDS: 's1' };
    default:
      return {
        ...common,
        PES_HOST: '127.0.0.1',
        PES_PORT: String(await getFreePort()),
        SITE_ID: 's1',
        INTEGRATOR_KEY_ID: 'k1',
        INTEGRATOR_SECRET_KEY: 'process-test-integrator-secret',
      };
  }
}

describe('node dist/apps/<app>/main.js', () => {
  it('secure-gateway with HTTP_PORT=abc exits 78 and names HTTP_PORT on stderr', async () => {
    const proc = new NodeProcess(scripts['secure-gateway'], { ...(await appEnv('secure-gateway')), HTTP_PORT: 'abc' });
    expect(await proc.exited()).toEqual({ code: 78, signal: null });
    expect(proc.stderr).toContain('HTTP_PORT: must be an integer 0..65535 (got "abc")');
    expect(proc.stderr).not.toContain(WRAP_SECRET);
  });

  it('a missing required variable exits 78 naming every missing one', async () => {
    const proc = new NodeProcess(scripts['key-sync'], { OPS_PORT: '0' });
    expect((await proc.exited()).code).toBe(78);
    for (const name of ['REDIS_URL', 'KEY_WRAP_SECRET', 'PORTAL_URL', 'PORTAL_AUTH', 'SITE_IDS']) {
      expect(proc.stderr).toContain(`${name}: is required (not set)`);
    }
  });

  it('--check-config says ok without starting anything', async () => {
    const proc = new NodeProcess(scripts['secure-gateway'], await appEnv('secure-gateway'), ['--check-config']);
    expect(await proc.exited()).toEqual({ code: 0, signal: null });
    expect(proc.stdoutLines).toEqual(['secure-gateway: configuration ok']);
  });

  it.each(['secure-gateway', 'key-sync', 'event-stream-ingress'] as const)(
    '%s starts, logs JSON, answers health, and exits 0 promptly on SIGTERM',
    async (app) => {
      const env = await appEnv(app);
      const proc = new NodeProcess(scripts[app], env);
      try {
        const started = await proc.waitForRecord((r) => r['event'] === 'ServiceStarted');
        expect(started).toMatchObject({ app, level: 'info' });
        const opsUrl = `http://127.0.0.1:${env['OPS_PORT']}`;
        expect((await fetch(`${opsUrl}/health/live`)).status).toBe(200);
        await waitForReady(opsUrl);
        expect(await (await fetch(`${opsUrl}/metrics`)).text()).toContain(`process_cpu_user_seconds_total{app="${app}"}`);
      } finally {
        const signalled = Date.now();
        proc.kill('SIGTERM');
        expect(await proc.exited()).toEqual({ code: 0, signal: null });
        expect(Date.now() - signalled).toBeLessThan(PROMPT_EXIT_MS);
      }
      // every stdout line is a JSON log record, and no secret is in any of them
      expect(proc.records()).toHaveLength(proc.stdoutLines.length);
      expect(proc.records().map((r) => r['event'])).toEqual(
        expect.arrayContaining(['ServiceStarted', 'ServiceShutdownStarted', 'ServiceStopped', 'ServiceShutdownCompleted']),
      );
      const output = proc.stdoutLines.join('\n') + proc.stderr;
      for (const secret of [WRAP_SECRET, 'Bearer process-test', 'process-test-integrator-secret']) {
        expect(output).not.toContain(secret);
      }
    },
  );
});

describe('node dist/apps/standalone/main.js', () => {
  async function standaloneEnv(): Promise<Record<string, string>> {
    return {
      LOG_LEVEL: 'info',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(await getFreePort()),
      OPS_HOST: '127.0.0.1',
      PES_HOST: '127.0.0.1',
      PES_PORT: String(await getFreePort()),
      KEYSYNC_OPS_PORT: String(await getFreePort()),
      GATEWAY_OPS_PORT: String(await getFreePort()),
      INGRESS_OPS_PORT: String(await getFreePort()),
    };
  }

  it('runs the three apps and the simulators in one process in memory, prints every endpoint, and stops on SIGINT (Ctrl-C)', async () => {
    const env = await standaloneEnv();
    const proc = new NodeProcess(scripts['standalone'], env);
    try {
      const started = await proc.waitForRecord((r) => r['event'] === 'StandaloneStarted');
      expect(started).toMatchObject({ app: 'standalone', inMemory: true });
      const services = started['services'] as Array<{ name: string; endpoints: Array<{ name: string; url: string }> }>;
      expect(services.map((s) => s.name)).toEqual([
        'portal-sim',
        'kitchen-sim',
        'key-sync',
        'secure-gateway',
        'event-stream-ingress',
      ]);
      for (const port of [env['KEYSYNC_OPS_PORT'], env['GATEWAY_OPS_PORT'], env['INGRESS_OPS_PORT']]) {
        const opsUrl = `http://127.0.0.1:${port}`;
        await waitForReady(opsUrl);
        expect((await fetch(`${opsUrl}/health/live`)).status).toBe(200);
      }
      // the readable block lists every endpoint
      await proc.waitForLine((line) => line === 'Ctrl-C stops everything.');
      const banner = proc.stdoutLines.filter((line) => !line.startsWith('{')).join('\n');
      expect(banner).toContain('pos-link standalone — in-memory mode (REDIS_URL unset)');
      for (const endpoint of services.flatMap((s) => s.endpoints)) expect(banner).toContain(endpoint.url);
      // each app logs under its own name
      const apps = new Set(proc.records().map((r) => r['app']));
      expect(apps).toEqual(new Set(['standalone', 'key-sync', 'secure-gateway', 'event-stream-ingress']));
    } finally {
      const signalled = Date.now();
      proc.kill('SIGINT');
      expect(await proc.exited()).toEqual({ code: 0, signal: null });
      expect(Date.now() - signalled).toBeLessThan(PROMPT_EXIT_MS);
    }
    expect(proc.records().filter((r) => r['event'] === 'ServiceStopped').map((r) => r['app']).sort()).toEqual([
      'event-stream-ingress',
      'key-sync',
      'secure-gateway',
    ]);
  });

  it('refuses OPS_PORT (ambiguous between three apps) with exit 78', async () => {
    const proc = new NodeProcess(scripts['standalone'], { ...(await standaloneEnv()), OPS_PORT: '9000' });
    expect((await proc.exited()).code).toBe(78);
    expect(proc.stderr).toContain('OPS_PORT: is not used in standalone mode');
  });

  it('reports the problems of every app at once, each line once', async () => {
    const proc = new NodeProcess(scripts['standalone'], {
      ...(await standaloneEnv()),
      HTTP_PORT: 'abc',
      PES_PORT: '-5',
      LOG_LEVEL: 'loud',
    });
    expect((await proc.exited()).code).toBe(78);
    expect(proc.stderr).toContain('HTTP_PORT: must be an integer 0..65535 (got "abc")');
    expect(proc.stderr).toContain('PES_PORT: must be an integer 0..65535 (got "-5")');
    expect(proc.stderr.split('LOG_LEVEL:').length - 1).toBe(1);
  });
});
