import { Redis } from 'ioredis';
import { AleWsClient } from '@pos-link/ale';
import type { KitchenConnection } from '@pos-link/kitchen-sim';
import type { PortalSimKey } from '@pos-link/portal-sim';
import { REDIS_URL, startWorld, type GatewayUnderTest, type World } from './support/gateway-world';

// Integration: kitchen events and event-bus messages reach every client of their site on BOTH gateway
// replicas (two factory instances on one Redis prefix) and no client of another site; POS messages reach
// the kitchen as plaintext text frames; a dropped kitchen bridge reconnects (DESIGN §4).

const HEARTBEAT = 'isAlive?';
const notHeartbeat = (text: string): boolean => text !== HEARTBEAT;

function currentKey(keys: readonly PortalSimKey[]): PortalSimKey {
  const now = Date.now();
  return [...keys].filter((k) => k.validAfter <= now && now < k.validUntil).sort((a, b) => b.validAfter - a.validAfter)[0]!;
}

describe('ALE WebSocket fan-out across replicas', () => {
  let world: World;
  let gatewayA: GatewayUnderTest;
  let gatewayB: GatewayUnderTest;
  let redis: Redis;
  const clients: AleWsClient[] = [];

  async function connect(gateway: GatewayUnderTest, siteId: string): Promise<AleWsClient> {
    const key = currentKey(world.portal.currentKeys(siteId));
    await gateway.waitForKey(key.fingerprint);
    const client = await AleWsClient.connect({ url: gateway.url.replace(/^http/, 'ws'), fingerprint: key.fingerprint, keyValue: key.value, siteId });
    clients.push(client);
    return client;
  }

  /** Resolves once the kitchen holds `count` bridge connections for `site`. */
  async function bridges(site: string, count: number): Promise<KitchenConnection[]> {
    const open = (): KitchenConnection[] => world.kitchen.connections().filter((c) => c.site === site);
    while (open().length < count) await world.kitchen.waitFor('connection', (c) => c.site === site);
    return open();
  }

  let a1: AleWsClient;
  let b1: AleWsClient;
  let a2: AleWsClient;

  beforeAll(async () => {
    world = await startWorld({ portal: { sites: ['fan-1', 'fan-2'] } });
    const env = { UPSTREAM_WS_URL: world.kitchen.upstreamWsUrl, ALE_WS_HEARTBEAT_MS: '60000' };
    gatewayA = await world.startGateway(env);
    gatewayB = await world.startGateway(env);
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    a1 = await connect(gatewayA, 'fan-1');
    b1 = await connect(gatewayB, 'fan-1');
    a2 = await connect(gatewayA, 'fan-2');
    await bridges('fan-1', 2);
    await bridges('fan-2', 1);
  });
  afterAll(async () => {
    for (const client of clients) await client.close();
    redis?.disconnect();
    await world?.close();
  });

  it('a kitchen event reaches every client of its site on both replicas and none of another site', async () => {
    const got = [a1.nextMessage(notHeartbeat), b1.nextMessage(notHeartbeat)];
    const other = a2.nextMessage(notHeartbeat);
    // one bridge per site and replica: the kitchen broadcasts to both, each replica to its clients
    expect(world.kitchen.emit('fan-1', { type: 'bump', order: 'A-1' })).toBe(2);
    expect(await Promise.all(got)).toEqual(['{"type":"bump","order":"A-1"}', '{"type":"bump","order":"A-1"}']);
    expect(world.kitchen.emit('fan-2', 'marker for fan-2')).toBe(1);
    expect(await other).toBe('marker for fan-2'); // the fan-1 event never reached fan-2's client
  });

  it('an event published on the Redis bus by anyone reaches the site on both replicas and none of another site', async () => {
    const got = [a1.nextMessage(notHeartbeat), b1.nextMessage(notHeartbeat)];
    const other = a2.nextMessage(notHeartbeat);
    await redis.publish(`${world.prefix}:{site:fan-1}:ws:to-pos`, '{"type":"recall","order":"B-2"}');
    expect(await Promise.all(got)).toEqual(['{"type":"recall","order":"B-2"}', '{"type":"recall","order":"B-2"}']);
    await redis.publish(`${world.prefix}:{site:fan-2}:ws:to-pos`, 'bus marker for fan-2');
    expect(await other).toBe('bus marker for fan-2');
  });

  it('each client gets the event sealed for itself (fresh IV per client)', async () => {
    const ivs: string[] = [];
    const seen = new Promise<void>((resolve) => {
      const listener = (text: string, info: { envelope: { iv: string } }): void => {
        if (text !== 'per-client') return;
        ivs.push(info.envelope.iv);
        if (ivs.length === 2) resolve();
      };
      a1.on('message', listener);
      b1.on('message', listener);
    });
    world.kitchen.emit('fan-1', 'per-client');
    await seen;
    expect(new Set(ivs).size).toBe(2);
  });

  it('POS messages reach the kitchen as plaintext text frames over the replica\'s bridge', async () => {
    expect((await bridges('fan-1', 2)).every((c) => c.headers['x-site-id'] === 'fan-1')).toBe(true);
    const arrived = world.kitchen.waitFor('message', (m) => m.data === '{"order":"C-3","items":2}');
    a1.send({ order: 'C-3', items: 2 });
    const message = await arrived;
    expect(message).toMatchObject({ site: 'fan-1', binary: false });
  });

  it('a dropped kitchen bridge reconnects with back-off and events flow again', async () => {
    const reconnected = Promise.all([
      world.kitchen.waitFor('connection', (c) => c.site === 'fan-1'),
      world.kitchen.waitFor('connection', (c) => c.site === 'fan-1'),
    ]);
    expect(world.kitchen.dropConnections('fan-1')).toBe(2);
    await reconnected;
    await bridges('fan-1', 2);
    const got = [a1.nextMessage(notHeartbeat), b1.nextMessage(notHeartbeat)];
    world.kitchen.emit('fan-1', 'after reconnect');
    expect(await Promise.all(got)).toEqual(['after reconnect', 'after reconnect']);
    expect(await gatewayA.metric('poslink_gateway_ws_kitchen_reconnects_total')).toBeGreaterThanOrEqual(1);
  });

  it('the kitchen\'s own isAlive? is not relayed (the gateway sends each client its own heartbeat)', async () => {
    const next = a1.nextMessage(notHeartbeat);
    const heartbeats: string[] = [];
    a1.on('message', (text) => {
      if (text === HEARTBEAT) heartbeats.push(text);
    });
    world.kitchen.emit('fan-1', HEARTBEAT);
    world.kitchen.emit('fan-1', 'after the kitchen heartbeat');
    expect(await next).toBe('after the kitchen heartbeat');
    expect(heartbeats).toEqual([]);
  });
});
