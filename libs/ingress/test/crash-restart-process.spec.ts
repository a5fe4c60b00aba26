import { getFreePort } from '@pos-link/platform/testing';
import { PosSimulator, RsaKeyPool } from '@pos-link/pos-sim';
import { RedisPesEventLog } from '../src/store/redis-event-log';
import { openTestRedis, REDIS_URL, TEST_INTEGRATOR, type TestRedis } from './support/ingress-harness';
import { bundleIngress, IngressProcess } from './support/ingress-process';

/**
 * `kill -9` of the ingress mid-stream (DESIGN §6, §7 "nothing acknowledged is ever lost"): the app
 * runs as operators run it, a bundled child process; pos-sim reconnects to the restarted process and
 * resends what was not acked; the stream holds every event exactly once, in per-connection order.
 */
describe('event-stream-ingress process killed with SIGKILL mid-stream', () => {
  let store: TestRedis;
  let ingress: IngressProcess;
  let port: number;

  beforeAll(async () => {
    await bundleIngress();
    store = await openTestRedis();
    port = await getFreePort();
    ingress = new IngressProcess({
      REDIS_URL,
      REDIS_PREFIX: store.prefix,
      SITE_ID: store.siteId,
      KEY_WRAP_SECRET: 'crash-test-wrap-secret-0123456789abcdef',
      INTEGRATOR_KEY_ID: TEST_INTEGRATOR.keyId,
      INTEGRATOR_SECRET_KEY: TEST_INTEGRATOR.secretKey,
      PES_HOST: '127.0.0.1',
      PES_PORT: String(port),
      OPS_HOST: '127.0.0.1',
      OPS_PORT: String(await getFreePort()),
      LOG_LEVEL: 'info',
    });
  }, 60_000);

  afterAll(async () => {
    await ingress?.kill9();
    await store?.cleanup();
  });

  it('pos-sim reconnects, resends, and every event is in the stream exactly once', async () => {
    await ingress.start();
    let acked = 0;
    let reachedThird!: () => void;
    const third = new Promise<void>((resolve) => (reachedThird = resolve));
    const sim = new PosSimulator({
      port,
      connections: 4,
      eventsPerConnection: 1500,
      rate: 1000,
      reconnectIntervalMs: 100,
      keys: (await RsaKeyPool.create(4)).source(),
      integrator: TEST_INTEGRATOR,
      onAnswer: (_terminal, answer) => {
        if (answer.resp === 'ack' && ++acked === 2000) reachedThird();
      },
    });

    await sim.start();
    await third;
    await ingress.kill9();
    await ingress.start();
    const stats = await sim.done();
    await sim.stop();
    const exitCode = await ingress.stop();

    expect(exitCode).toBe(0); // the restarted process drains and exits cleanly
    expect(stats.nacks).toEqual({});
    expect(stats.acked).toBe(4 * 1500);
    expect(stats.resent).toBeGreaterThan(0); // events in flight at the kill went again
    expect(stats.handshakes).toBeGreaterThanOrEqual(8); // every terminal connected again
    const log = new RedisPesEventLog({ redis: store.redis, prefix: store.prefix, siteId: store.siteId, dedupeTtlSeconds: 60 });
    expect(log.streamKey).toBe(`${store.prefix}:{site:${store.siteId}}:pes:events`);
    const ids = (await store.readStream()).map((e) => e.fields['msg_id']);
    expect(ids).toHaveLength(4 * 1500);
    expect(new Set(ids).size).toBe(ids.length);
    const position = new Map(ids.map((id, index) => [id, index]));
    for (const terminal of sim.terminals) {
      const order = terminal.events.map((event) => position.get(event.msgId) ?? -1);
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  }, 60_000);
});
