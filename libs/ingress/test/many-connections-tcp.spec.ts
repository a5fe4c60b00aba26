import { IntegratorValidator, PosClient, RsaKeyPool, orderScenario, type PosAnswer } from '@pos-link/pos-sim';
import { openTestRedis, startTestIngress, TEST_INTEGRATOR, type TestIngress, type TestRedis } from './support/ingress-harness';

/** DESIGN §6: many concurrent POS connections, each with its own key exchange. */
describe('1,000 concurrent PES connections over TCP', () => {
  let store: TestRedis;
  let ingress: TestIngress;

  beforeAll(async () => {
    store = await openTestRedis();
    // The deadline is not what this test is about: on a loaded 2-core CI box the simulator's 1,000
    // RSA decryptions alone can take seconds, so it gets room (the deadline has its own test).
    ingress = await startTestIngress(store.eventLog(), { handshakeTimeoutMs: 30_000 });
  });

  afterAll(async () => {
    await ingress.close();
    await store.cleanup();
  });

  it('all are open at once, each handshakes (fresh DEK) and delivers its events exactly once', async () => {
    const connections = 1000;
    const eventsPerConnection = 5;
    // A pre-made key pool: 1,000 fresh RSA-2048 pairs would make the simulator the bottleneck.
    const keys = await RsaKeyPool.create(8);
    const validator = new IntegratorValidator({ expected: TEST_INTEGRATOR });

    const clients = await Promise.all(
      Array.from({ length: connections }, () => PosClient.connect({ port: ingress.port, keyPair: keys.next(), validator, handshakeTimeoutMs: 30_000 })),
    );
    const handshakes = await Promise.all(clients.map((client) => client.handshake()));

    expect(handshakes.filter((h) => h.ok)).toHaveLength(connections);
    expect(ingress.transport.connectionCount).toBe(connections);
    expect(await ingress.metric('poslink_ingress_connections')).toBe(connections);
    const deks = new Set(clients.map((client) => client.dek?.toString('hex')));
    expect(deks.size).toBe(connections);

    const answers = await Promise.all(
      clients.map(async (client, index) => {
        const scenario = orderScenario(`T${index}`);
        const events = Array.from({ length: eventsPerConnection }, () => scenario.next().value);
        for (const event of events) client.sendEvent(event);
        const received: PosAnswer[] = [];
        for (const _ of events) received.push(client.readAnswer(await client.nextFrame()));
        client.end();
        return { sent: events.map((e) => e.msgId), received };
      }),
    );

    for (const { sent, received } of answers) {
      expect(received.map((a) => [a.msgId, a.resp])).toEqual(sent.map((id) => [id, 'ack']));
    }
    const ids = (await store.readStream()).map((e) => e.fields['msg_id']);
    expect(ids).toHaveLength(connections * eventsPerConnection);
    expect(new Set(ids).size).toBe(ids.length);
    await ingress.transport.whenIdle();
    expect(await ingress.metric('poslink_ingress_connections')).toBe(0);
  }, 60_000);
});
