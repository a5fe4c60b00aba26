import { once } from 'node:events';
import { connect as connectTcp, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { AleWsClient } from '@pos-link/ale';
import type { PortalSimKey } from '@pos-link/portal-sim';
import { REDIS_URL, startWorld, type GatewayUnderTest, type World } from './support/gateway-world';

// Integration: what the gateway does with misbehaving clients (DESIGN §4, docs/specs/gateway-ws.md
// close-code table) — each gets its documented close, and the other clients of the site carry on.

const SITE = 'rob-1';
const MAX_PAYLOAD = 8192;
const SEND_QUEUE = 65_536;
const PING_MS = 200;

function currentKey(keys: readonly PortalSimKey[]): PortalSimKey {
  const now = Date.now();
  return [...keys].filter((k) => k.validAfter <= now && now < k.validUntil).sort((a, b) => b.validAfter - a.validAfter)[0]!;
}

function closeOf(client: AleWsClient): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => client.once('close', (code, reason) => resolve({ code, reason })));
}

describe('ALE WebSocket robustness', () => {
  let world: World;
  let gateway: GatewayUnderTest;
  let key: PortalSimKey;
  let redis: Redis;
  let bystander: AleWsClient;
  const clients: AleWsClient[] = [];

  async function connect(target: GatewayUnderTest = gateway): Promise<AleWsClient> {
    const client = await AleWsClient.connect({ url: target.url.replace(/^http/, 'ws'), siteId: SITE, fingerprint: key.fingerprint, keyValue: key.value });
    clients.push(client);
    return client;
  }

  /** The bystander still gets a fresh event: the misbehaving client did not affect it. */
  async function bystanderStillServed(label: string, timeoutMs?: number): Promise<void> {
    const next = bystander.nextMessage((text) => text === label, timeoutMs);
    await redis.publish(`${world.prefix}:{site:${SITE}}:ws:to-pos`, label);
    expect(await next).toBe(label);
  }

  beforeAll(async () => {
    world = await startWorld({ portal: { sites: [SITE] } });
    gateway = await world.startGateway({
      ALE_WS_MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD),
      ALE_WS_SEND_QUEUE_MAX_BYTES: String(SEND_QUEUE),
      ALE_WS_HEARTBEAT_MS: '60000',
    });
    key = currentKey(world.portal.currentKeys(SITE));
    await gateway.waitForKey(key.fingerprint);
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    bystander = await connect();
  });
  afterAll(async () => {
    for (const client of clients) await client.close();
    redis?.disconnect();
    await world?.close();
  });

  it('a tampered message closes 1008 "Unable to decrypt payload"', async () => {
    const client = await connect();
    const closed = closeOf(client);
    const envelope = { iv: Buffer.alloc(12, 1).toString('base64'), fingerprint: key.fingerprint, message: Buffer.alloc(40, 2).toString('base64') };
    client.socket!.send(JSON.stringify(envelope));
    expect(await closed).toEqual({ code: 1008, reason: 'Unable to decrypt payload' });
    await bystanderStillServed('after tampered');
  });

  it('a message under another site\'s or an unknown key closes 1008 with the same reason (no hint why)', async () => {
    const client = await connect();
    const closed = closeOf(client);
    client.socket!.send(JSON.stringify({ iv: Buffer.alloc(12).toString('base64'), fingerprint: 'unknown-fingerprint', message: 'AAAA' }));
    expect(await closed).toEqual({ code: 1008, reason: 'Unable to decrypt payload' });
  });

  it.each([
    ['not JSON', 'hello kitchen'],
    ['JSON but not an envelope', '{"iv":"x","fingerprint":"y"}'],
  ])('a text message that is %s closes 1007', async (_name, text) => {
    const client = await connect();
    const closed = closeOf(client);
    client.socket!.send(text);
    expect((await closed).code).toBe(1007);
    await bystanderStillServed(`after 1007 ${_name}`);
  });

  it('a binary frame closes 1003', async () => {
    const client = await connect();
    const closed = closeOf(client);
    client.socket!.send(Buffer.from('{"iv":"a"}'), { binary: true });
    expect((await closed).code).toBe(1003);
  });

  it('a message over ALE_WS_MAX_PAYLOAD_BYTES closes 1009', async () => {
    const client = await connect();
    const closed = closeOf(client);
    client.send('x'.repeat(MAX_PAYLOAD)); // base64 + envelope: well over the limit
    expect((await closed).code).toBe(1009);
    await bystanderStillServed('after 1009');
    expect(await gateway.metric('poslink_gateway_ws_closes_total', { cause: 'ERR_GATEWAY_WS_MESSAGE_TOO_LARGE' })).toBe(1);
  });

  it('a slow consumer whose send queue overflows is closed 1013; a client of the same site that reads gets every event', async () => {
    const slow = await connect();
    const closed = closeOf(slow);
    slow.socket!.pause(); // stops reading: the kernel buffers fill, then the gateway's queue
    const big = 'k'.repeat(32 * 1024);
    let sent = 0;
    // Lockstep: the next event goes out once the bystander has read the previous one, so a reading client
    // never has more than one event queued, while the slow one's backlog grows until the gateway decides
    // it is a slow consumer (the metric counts the decision; the socket goes once the client reads the
    // backlog and the close frame behind it).
    while ((await gateway.metric('poslink_gateway_ws_closes_total', { cause: 'ERR_GATEWAY_WS_SLOW_CONSUMER' })) === 0) {
      if (sent > 4000) throw new Error('the slow consumer was never closed');
      for (let i = 0; i < 20; i++) {
        const label = `big-${String(sent++).padStart(8, '0')}`;
        const read = bystander.nextMessage((text) => text.startsWith(label), 20_000);
        await redis.publish(`${world.prefix}:{site:${SITE}}:ws:to-pos`, `${label}${big}`);
        await read;
      }
    }
    slow.socket!.resume();
    expect((await closed).code).toBe(1013);
    await bystanderStillServed('after slow consumer');
  }, 60_000);

  it('a dead peer (never answers pings) is evicted within two ping periods', async () => {
    const pinging = await world.startGateway({ ALE_WS_PING_MS: String(PING_MS), ALE_WS_HEARTBEAT_MS: '60000' });
    await pinging.waitForKey(key.fingerprint);
    const alive = await connect(pinging); // answers pings (ws does): stays
    const socket = await rawUpgrade(pinging.url, key.fingerprint, SITE);
    const started = Date.now();
    socket.on('data', () => undefined); // reads, but never answers a ping
    await once(socket, 'close');
    expect(Date.now() - started).toBeLessThan(4 * PING_MS + 500);
    expect(await pinging.metric('poslink_gateway_ws_closes_total', { cause: 'ERR_GATEWAY_WS_DEAD_PEER' })).toBe(1);
    const next = alive.nextMessage((text) => text === 'after dead peer');
    await redis.publish(`${world.prefix}:{site:${SITE}}:ws:to-pos`, 'after dead peer');
    expect(await next).toBe('after dead peer');
    await pinging.close();
  });

  it('refuses upgrades past ALE_WS_MAX_CONNECTIONS_PER_IP with 429 JSON, and accepts again once one closes', async () => {
    const limited = await world.startGateway({ ALE_WS_MAX_CONNECTIONS_PER_IP: '2' });
    await limited.waitForKey(key.fingerprint);
    const first = await connect(limited);
    await connect(limited);
    const refused = await connect(limited).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'ERR_ALE_CLIENT_UPGRADE_REFUSED', status: 429, body: '{"error":"too_many_connections"}' });
    await first.close();
    await expect(connect(limited)).resolves.toBeInstanceOf(AleWsClient);
    await limited.close();
  });

  it('graceful shutdown drains what is queued and closes every socket with 1001', async () => {
    const leaving = await world.startGateway();
    await leaving.waitForKey(key.fingerprint);
    const client = await connect(leaving);
    const seen: string[] = [];
    client.on('message', (text) => seen.push(text));
    const closed = closeOf(client);
    const bus = Promise.all([1, 2, 3].map((n) => redis.publish(`${world.prefix}:{site:${SITE}}:ws:to-pos`, `last-${n}`)));
    await bus;
    await client.nextMessage((text) => text === 'last-3');
    await leaving.close();
    expect(await closed).toEqual({ code: 1001, reason: 'Going away' });
    expect(seen.filter((t) => t.startsWith('last-'))).toEqual(['last-1', 'last-2', 'last-3']);
  });
});

/** A hand-made WebSocket upgrade over TCP: a client that completes the handshake and then never answers pings. */
async function rawUpgrade(httpUrl: string, fingerprint: string, siteId: string): Promise<Socket> {
  const url = new URL(httpUrl);
  const socket = connectTcp(Number(url.port), url.hostname);
  await once(socket, 'connect');
  socket.write(
    `GET /sites/${siteId}/ws HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n` +
      `sec-fingerprint: ${fingerprint}\r\nsec-iv: ${Buffer.alloc(12, 3).toString('base64')}\r\n\r\n`,
  );
  const [first] = (await once(socket, 'data')) as [Buffer];
  if (!first.toString('latin1').startsWith('HTTP/1.1 101')) throw new Error(`upgrade refused: ${first.toString('latin1')}`);
  return socket;
}
