import { PosSimulator, RsaKeyPool } from '@pos-link/pos-sim';
import { openTestRedis, startTestIngress, TEST_INTEGRATOR, type TestIngress, type TestRedis } from './support/ingress-harness';

describe('PES events into Redis Streams over TCP (DESIGN §6, §8)', () => {
  let store: TestRedis;
  let ingress: TestIngress;
  let keys: RsaKeyPool;

  beforeAll(async () => {
    keys = await RsaKeyPool.create(4);
  });

  beforeEach(async () => {
    store = await openTestRedis();
    ingress = await startTestIngress(store.eventLog());
  });

  afterEach(async () => {
    await ingress.close();
    await store.cleanup();
  });

  it('10 connections × 1,000 events: every event in the stream exactly once, in per-connection order', async () => {
    const sim = new PosSimulator({
      port: ingress.port,
      connections: 10,
      eventsPerConnection: 1000,
      keys: keys.source(),
      integrator: TEST_INTEGRATOR,
    });

    const stats = await sim.run();

    expect(stats).toMatchObject({ acked: 10_000, nacks: {}, resent: 0, handshakes: 10 });
    const entries = await store.readStream();
    expect(entries).toHaveLength(10_000);
    const byMsgId = new Map(entries.map((entry, index) => [entry.fields['msg_id'], { entry, index }]));
    expect(byMsgId.size).toBe(10_000);
    for (const terminal of sim.terminals) {
      const positions = terminal.events.map((event) => {
        const stored = byMsgId.get(event.msgId);
        expect(stored?.entry.fields).toMatchObject({ msg_type: event.msgType, data: event.data });
        return stored?.index ?? -1;
      });
      expect(positions).toEqual([...positions].sort((a, b) => a - b)); // stored in the order sent
    }
  });

  it('stores the DESIGN §8 fields: msg_id, msg_type, source, data (exact text), received_at (ISO-8601 UTC ms)', async () => {
    const sim = new PosSimulator({ port: ingress.port, eventsPerConnection: 3, keys: keys.source(), integrator: TEST_INTEGRATOR });
    const before = Date.now();

    await sim.run();

    const entries = await store.readStream();
    const sent = sim.terminals[0].events;
    expect(entries.map((e) => Object.keys(e.fields))).toEqual(sent.map(() => ['msg_id', 'msg_type', 'source', 'data', 'received_at']));
    entries.forEach((entry, i) => {
      expect(entry.fields).toMatchObject({ msg_id: sent[i].msgId, msg_type: sent[i].msgType, source: 'T1', data: sent[i].data });
      expect(entry.fields['received_at']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(Date.parse(entry.fields['received_at'])).toBeGreaterThanOrEqual(before - 1);
    });
    const ttl = await store.redis.ttl(store.eventLog().dedupeKey(sent[0].msgId));
    expect(ttl).toBeGreaterThan(86_000);
    expect(await ingress.metric('poslink_ingress_events_total', { type: 'create_order', outcome: 'stored' })).toBe(1);
  });
});
