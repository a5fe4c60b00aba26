import { execFile, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { getFreePort, readPrometheusMetric, uniqueRedisPrefix, waitFor } from '@pos-link/platform/testing';
import { startPortalSim, type PortalSim } from '@pos-link/portal-sim';
import { cleanRedis, keySyncEnv, startKeySync, type KeySyncUnderTest } from './support/key-sync-harness';
import { LogAudit } from './support/log-audit';

// Integration across processes: the bundled app (`node dist/apps/key-sync/main.js`) leads, an in-process
// replica stands by; the leader is SIGKILLed (no chance to release its lock) and the standby takes over once
// the lock expires — within a few seconds (TTL + TTL/3).
const ROOT = path.resolve(__dirname, '../../..');
const SITES = ['kill-1', 'kill-2'];
const LOCK_TTL_MS = 1_000;
const audit = new LogAudit();
let portal: PortalSim;
let prefix: string;
let child: ChildProcess | undefined;
let standby: KeySyncUnderTest | undefined;
const childLines: string[] = [];

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ['tools/build/bundle.mjs', 'key-sync'], { cwd: ROOT });
  portal = await startPortalSim({ auth: 'Bearer failover-test', sites: SITES, rotationMs: 0 });
  audit.watchPortal(portal, SITES);
  audit.remember(portal.auth);
  audit.capture({ lines: childLines });
  prefix = uniqueRedisPrefix('ks-kill');
}, 120_000);

afterAll(async () => {
  if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await standby?.close();
  await portal?.close();
  await cleanRedis(prefix);
  audit.dispose();
  expect(audit.leaks()).toEqual([]);
});

describe('key-sync leader failover', () => {
  it('a standby takes over within a few seconds when the leader process is killed with SIGKILL', async () => {
    const env = keySyncEnv(portal, prefix, SITES, { KEYSYNC_LOCK_TTL_MS: String(LOCK_TTL_MS) });
    const opsPort = await getFreePort();
    child = spawn(process.execPath, ['dist/apps/key-sync/main.js'], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'], ...env, OPS_PORT: String(opsPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [child.stdout!, child.stderr!]) createInterface({ input: stream }).on('line', (line) => childLines.push(line));
    const childMetric = async (name: string): Promise<number | undefined> =>
      readPrometheusMetric(await (await fetch(`http://127.0.0.1:${opsPort}/metrics`)).text(), name);
    await waitFor('the child process to lead', async () => (await childMetric('poslink_keysync_leader')) === 1, { timeoutMs: 10_000 });

    standby = await startKeySync(env, audit);
    await waitFor('the standby to be ready (keys from the store)', async () => (await standby!.ready()).status === 200);
    expect(standby.engine.isLeader()).toBe(false);
    const fetchesBefore = portal.stats().totalFetches;

    child.kill('SIGKILL');
    const killedAt = Date.now();
    await new Promise((resolve) => child!.once('exit', resolve));
    await waitFor('the standby to lead', () => standby!.engine.isLeader(), { timeoutMs: 5_000 });
    const takeoverMs = Date.now() - killedAt;
    // The lock had up to one TTL left; a standby tries every TTL/3 (±10 %).
    expect(takeoverMs).toBeLessThan(LOCK_TTL_MS + LOCK_TTL_MS / 3 + 500);
    await waitFor('the new leader to fetch', async () =>
      ((await standby!.metric('poslink_keysync_portal_fetches_total', { site: 'kill-1', outcome: 'ok' })) ?? 0) >= 1,
    );
    expect(portal.stats().totalFetches).toBeGreaterThan(fetchesBefore);
    expect((await standby.ready()).status).toBe(200);
    // the child's own log shows it led (its lines are part of the secret audit)
    expect(childLines.some((line) => line.includes('"event":"KeySyncLeaderAcquired"'))).toBe(true);
  });
});
