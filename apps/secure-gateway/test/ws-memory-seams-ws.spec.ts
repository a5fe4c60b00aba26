import { once } from 'node:events';
import { AleWsClient } from '@pos-link/ale';
import { GatewayConfig, MemoryPesEventFeed, MemorySiteEventBus, createGatewayApp } from '@pos-link/gateway';
import { MemoryPesEventLog } from '@pos-link/ingress';
import { MemoryKeyStore } from '@pos-link/keyring';
import { startKitchenSim, type KitchenSim } from '@pos-link/kitchen-sim';
import { createLogger, loadConfig, type ServiceHost } from '@pos-link/platform';
import WebSocket from 'ws';

// Integration, standalone mode (DESIGN §1): no Redis — the gateway runs on the seams the composition root
// passes: a shared MemoryKeyStore, a MemorySiteEventBus, and a MemoryPesEventFeed connected to the
// ingress's in-memory event log (the gateway lib never imports the ingress lib; this app-level test wires
// them like apps/standalone does).

const HOUR = 3_600_000;
const SITE = 'mem-1';
const KEY = { fingerprint: 'feedfacefeedfacefeedfacefeedface', value: 'memory-mode-key', validAfter: Date.now() - HOUR, validUntil: Date.now() + HOUR };

describe('ALE WebSocket on the in-memory seams (standalone mode)', () => {
  let kitchen: KitchenSim;
  let gateway: ServiceHost;
  let wsUrl: string;
  const bus = new MemorySiteEventBus();
  const eventLog = new MemoryPesEventLog();
  const keyStore = new MemoryKeyStore();
  const clients: AleWsClient[] = [];

  beforeAll(async () => {
    await keyStore.replaceSite({ siteId: SITE, encryption: true, keys: [KEY], fetchedAt: Date.now() });
    await keyStore.replaceSite({ siteId: 'mem-plain', encryption: false, keys: [], fetchedAt: Date.now() });
    kitchen = await startKitchenSim({ heartbeatMs: 0 });
    const config = loadConfig(
      GatewayConfig,
      {
        KEY_WRAP_SECRET: 'memory-mode-wrap-secret-0123456789abcdef',
        UPSTREAM_URL: kitchen.upstreamUrl,
        UPSTREAM_WS_URL: kitchen.upstreamWsUrl,
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: '0',
        OPS_HOST: '127.0.0.1',
        OPS_PORT: '0',
        ALE_WS_HEARTBEAT_MS: '60000',
      },
      { allowUnset: ['REDIS_URL'] },
    );
    gateway = await createGatewayApp(config, {
      logger: createLogger({ app: 'secure-gateway', level: 'silent' }),
      keyStore,
      eventBus: bus,
      pesEventFeed: new MemoryPesEventFeed([[SITE, eventLog]]),
    });
    const endpoints = await gateway.listen();
    wsUrl = endpoints.find((e) => e.name === 'http')!.url.replace(/^http/, 'ws');
  });
  afterAll(async () => {
    for (const client of clients) await client.close();
    await gateway?.close();
    await kitchen?.close();
    await bus.close();
    await keyStore.close();
  });

  async function connect(): Promise<AleWsClient> {
    const client = await AleWsClient.connect({ url: wsUrl, siteId: SITE, fingerprint: KEY.fingerprint, keyValue: KEY.value });
    clients.push(client);
    return client;
  }

  it('bus events and kitchen events reach the client; its messages reach the kitchen', async () => {
    const bridge = kitchen.waitFor('connection', (c) => c.site === SITE);
    const client = await connect();
    await bridge;
    const fromBus = client.nextMessage((t) => t === 'bus event');
    await bus.publish(SITE, 'to-pos', 'bus event');
    expect(await fromBus).toBe('bus event');
    const fromKitchen = client.nextMessage((t) => t === 'kitchen event');
    kitchen.emit(SITE, 'kitchen event');
    expect(await fromKitchen).toBe('kitchen event');
    const arrived = kitchen.waitFor('message', (m) => m.data === 'to the kitchen');
    client.send('to the kitchen');
    expect((await arrived).site).toBe(SITE);
  });

  it("the ingress's memory event log is subscribable and resumable like the Redis stream", async () => {
    const receivedAt = new Date().toISOString();
    const record = (n: number) => ({ msgId: `mem-${n}`, msgType: 'create_order', source: 'pos-1', data: `{"order_id":"${n}"}`, receivedAt });
    for (const n of [1, 2, 3]) await eventLog.append(record(n));
    const [first] = eventLog.entries();
    const client = await connect();
    const seen: Record<string, unknown>[] = [];
    client.on('message', (text) => {
      if (text.startsWith('{"op":')) seen.push(JSON.parse(text) as Record<string, unknown>);
    });
    client.send({ op: 'subscribe', stream: 'pes', from: first!.id });
    const live = client.nextMessage((t) => t.includes('"msg_id":"mem-4"'));
    await client.nextMessage((t) => t.includes('"msg_id":"mem-3"'));
    await eventLog.append(record(4));
    await live;
    expect(seen.map((m) => m['op'])).toEqual(['subscribed', 'event', 'event', 'event']);
    expect(seen.slice(1).map((m) => m['msg_id'])).toEqual(['mem-2', 'mem-3', 'mem-4']);
    expect(seen[1]).toMatchObject({ stream: 'pes', msg_type: 'create_order', source: 'pos-1', data: '{"order_id":"2"}', received_at: receivedAt });
  });

  it('a site with encryption off talks plaintext frames without security fields', async () => {
    const socket = new WebSocket(`${wsUrl}/sites/mem-plain/ws`);
    await once(socket, 'open');
    const got = once(socket, 'message');
    await bus.publish('mem-plain', 'to-pos', 'plain event');
    const [data] = (await got) as [Buffer];
    expect(data.toString('utf8')).toBe('plain event');
    const arrived = kitchen.waitFor('message', (m) => m.site === 'mem-plain');
    socket.send('plain to kitchen');
    expect((await arrived).data).toBe('plain to kitchen');
    socket.close();
    await once(socket, 'close');
  });
});
