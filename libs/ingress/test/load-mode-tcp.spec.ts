import { parsePesFrame } from '@pos-link/protocol';
import { IntegratorValidator, orderScenario, posEvent, RsaKeyPool, runHandshakes, streamFrames, type PosEvent } from '@pos-link/pos-sim';
import { openTestRedis, startTestIngress, TEST_INTEGRATOR, type TestIngress, type TestRedis } from './support/ingress-harness';

/** pos-sim's load mode (what the benchmarks drive) against the real listener and Redis. */
describe('pos-sim load mode over TCP (runHandshakes, eventFrame, streamFrames)', () => {
  let store: TestRedis;
  let ingress: TestIngress;
  let keys: RsaKeyPool;

  beforeAll(async () => {
    keys = await RsaKeyPool.create(2);
    store = await openTestRedis();
    ingress = await startTestIngress(store.eventLog());
  });

  afterAll(async () => {
    await ingress.close();
    await store.cleanup();
  });

  it('runHandshakes completes every handshake, keeps the clients open on request, and counts refusals', async () => {
    const opened = await runHandshakes({
      port: ingress.port,
      keys: keys.source(),
      validator: new IntegratorValidator({ expected: TEST_INTEGRATOR }),
      count: 12,
      concurrency: 5,
      keepOpen: true,
    });
    expect(opened).toMatchObject({ completed: 12, failures: {} });
    expect(opened.clients).toHaveLength(12);
    expect(opened.clients.every((client) => !client.isClosed && client.dek !== undefined)).toBe(true);
    for (const client of opened.clients) client.destroy();

    const refused = await runHandshakes({
      port: ingress.port,
      keys: keys.source(),
      validator: new IntegratorValidator({ expected: { keyId: 'someone-else', secretKey: 'not-ours' } }),
      count: 3,
      concurrency: 3,
    });
    expect(refused).toMatchObject({ completed: 0, failures: { refused: 3 }, clients: [] });
  });

  it('streamFrames delivers pre-made frames within the window: all acked, stored once, in per-connection order', async () => {
    const { clients } = await runHandshakes({
      port: ingress.port,
      keys: keys.source(),
      validator: new IntegratorValidator({ expected: TEST_INTEGRATOR }),
      count: 4,
      concurrency: 4,
      keepOpen: true,
    });
    const events: PosEvent[][] = clients.map((_, i) => {
      const scenario = orderScenario(`L${i}`);
      return Array.from({ length: 300 }, () => scenario.next().value);
    });
    const frames = clients.map((client, i) => events[i].map((event) => client.eventFrame(event)));
    expect(parsePesFrame(frames[0][0].subarray(4))).toMatchObject({ msg_id: events[0][0].msgId, msg_type: events[0][0].msgType });

    const result = await streamFrames(clients, frames, 16);

    expect(result).toMatchObject({ acked: 1200, nacked: 0 });
    const stored = (await store.readStream()).map((entry) => entry.fields['msg_id']);
    for (const list of events) {
      const positions = list.map((event) => stored.indexOf(event.msgId));
      expect(positions.every((p) => p >= 0)).toBe(true);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }
    for (const client of clients) client.destroy();
  });

  it('streamFrames counts nacks (here: a known type failing validation → nack 3)', async () => {
    const { clients } = await runHandshakes({
      port: ingress.port,
      keys: keys.source(),
      validator: new IntegratorValidator({ expected: TEST_INTEGRATOR }),
      count: 1,
      concurrency: 1,
      keepOpen: true,
    });
    const [client] = clients;
    const frames = [posEvent('close_order', { order_id: 'ORD-9' }), posEvent('close_order', { no_order_id: true })].map((e) => client.eventFrame(e));

    await expect(streamFrames([client], [frames])).resolves.toMatchObject({ acked: 1, nacked: 1 });
    client.destroy();
  });
});
