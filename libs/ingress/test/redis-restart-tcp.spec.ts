import pino from 'pino';
import { closeRedisClient, createRedisClient, waitForRedisReady, type RedisClient } from '@pos-link/platform';
import { PosSimulator, RsaKeyPool } from '@pos-link/pos-sim';
import { RedisPesEventLog } from '../src/store/redis-event-log';
import { readStream, startTestIngress, TEST_INTEGRATOR, type TestIngress } from './support/ingress-harness';
import { PrivateRedis } from './support/private-redis';

/**
 * Redis stopped and restarted mid-stream (DESIGN §6): nothing is acked while it is down (nack 5),
 * the POS resends after reconnecting, and the stream holds every event exactly once, in order.
 */
describe('PES ingress across a Redis restart (private redis-server)', () => {
  let server: PrivateRedis;
  let redis: RedisClient;
  let ingress: TestIngress;

  beforeAll(async () => {
    server = await PrivateRedis.start();
    // The production client settings (no offline queue: fail fast → nack 5).
    redis = createRedisClient(server.url, { name: 'ingress-test', logger: pino({ level: 'silent' }) });
    await waitForRedisReady(redis, 5000);
  });

  afterAll(async () => {
    await ingress?.close();
    await closeRedisClient(redis);
    await server.destroy();
  });

  it('every event is stored exactly once and in per-connection order; acked only once stored', async () => {
    const log = new RedisPesEventLog({ redis, prefix: 'poslink', siteId: 'site-r', dedupeTtlSeconds: 3600 });
    ingress = await startTestIngress(log);
    let acked = 0;
    let sawResendLater!: () => void;
    const resendLater = new Promise<void>((resolve) => (sawResendLater = resolve));
    let reachedHalf!: () => void;
    const half = new Promise<void>((resolve) => (reachedHalf = resolve));
    const sim = new PosSimulator({
      port: ingress.port,
      connections: 4,
      eventsPerConnection: 1500,
      rate: 1500,
      reconnectIntervalMs: 100,
      keys: (await RsaKeyPool.create(4)).source(),
      integrator: TEST_INTEGRATOR,
      onAnswer: (_terminal, answer) => {
        if (answer.resp === 'ack') {
          acked += 1;
          if (acked === 2000) reachedHalf();
        } else if (answer.code === 5) {
          sawResendLater();
        }
      },
    });

    await sim.start();
    await half;
    await server.stop();
    await resendLater; // the ingress is answering nack 5
    await server.restart();
    const stats = await sim.done();
    await sim.stop();

    expect(stats.nacks['5']).toBeGreaterThan(0);
    expect(stats.resent).toBeGreaterThan(0);
    expect(Object.keys(stats.nacks)).toEqual(['5']);
    const entries = await readStream(redis as never, log.streamKey);
    const ids = entries.map((e) => e.fields['msg_id']);
    expect(new Set(ids).size).toBe(ids.length); // no event twice
    expect(ids).toHaveLength(4 * 1500); // none missing
    const position = new Map(ids.map((id, index) => [id, index]));
    for (const terminal of sim.terminals) {
      const order = terminal.events.map((event) => position.get(event.msgId) ?? -1);
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  });
});
