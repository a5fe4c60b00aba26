import { Redis } from 'ioredis';
import { waitFor } from '@pos-link/platform/testing';
import { AleWsClient } from '@pos-link/ale';
import type { PortalSimKey } from '@pos-link/portal-sim';
import { REDIS_URL, startWorld, type GatewayUnderTest, type World } from './support/gateway-world';

// Integration: subscribing to the site's POS event stream over the ALE WebSocket and resuming after a
// reconnect (docs/specs/gateway-ws.md §6): events are XADDed to `<prefix>:{site:<id>}:pes:events` exactly
// as the ingress appends them (DESIGN §8); a client resuming from the last id it saw gets exactly the
// events it missed, in order, then the live tail without a gap or a duplicate — on either replica.

const SITE = 'res-1';

interface PesEvent {
  readonly op: 'event';
  readonly stream: 'pes';
  readonly id: string;
  readonly msg_id: string;
  readonly msg_type: string;
  readonly source: string;
  readonly data: string;
  readonly received_at: string;
}

function currentKey(keys: readonly PortalSimKey[]): PortalSimKey {
  const now = Date.now();
  return [...keys].filter((k) => k.validAfter <= now && now < k.validUntil).sort((a, b) => b.validAfter - a.validAfter)[0]!;
}

/** Collects the parsed PES control messages a client receives. */
function pesMessages(client: AleWsClient): Record<string, unknown>[] {
  const seen: Record<string, unknown>[] = [];
  client.on('message', (text) => {
    if (text.startsWith('{"op":')) seen.push(JSON.parse(text) as Record<string, unknown>);
  });
  return seen;
}

describe('PES stream subscription and resume over the ALE WebSocket', () => {
  let world: World;
  let gatewayA: GatewayUnderTest;
  let gatewayB: GatewayUnderTest;
  let redis: Redis;
  let key: PortalSimKey;
  let stream: string;
  let seq = 0;
  const clients: AleWsClient[] = [];

  async function connect(gateway: GatewayUnderTest): Promise<AleWsClient> {
    const client = await AleWsClient.connect({ url: gateway.url.replace(/^http/, 'ws'), siteId: SITE, fingerprint: key.fingerprint, keyValue: key.value });
    clients.push(client);
    return client;
  }

  /** Appends events the way the ingress does (DESIGN §8 fields); returns their ids. */
  async function append(count: number): Promise<string[]> {
    const pipeline = redis.pipeline();
    for (let i = 0; i < count; i++) {
      const n = ++seq;
      pipeline.xadd(stream, '*', 'msg_id', `m-${n}`, 'msg_type', 'add_item', 'source', 'pos-1', 'data', `{"order_id":"o-${n}","qty":1}`, 'received_at', new Date().toISOString());
    }
    const results = (await pipeline.exec())!;
    return results.map(([error, id]) => {
      if (error) throw error;
      return id as string;
    });
  }

  beforeAll(async () => {
    world = await startWorld({ portal: { sites: [SITE] } });
    gatewayA = await world.startGateway({ ALE_WS_HEARTBEAT_MS: '60000' });
    gatewayB = await world.startGateway({ ALE_WS_HEARTBEAT_MS: '60000' });
    key = currentKey(world.portal.currentKeys(SITE));
    await gatewayA.waitForKey(key.fingerprint);
    await gatewayB.waitForKey(key.fingerprint);
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    stream = `${world.prefix}:{site:${SITE}}:pes:events`;
  });
  afterAll(async () => {
    for (const client of clients) await client.close();
    redis?.disconnect();
    await world?.close();
  });

  it('live events after subscribe, then exactly the missed ones after a reconnect to the other replica', async () => {
    const first = await connect(gatewayA);
    const seenFirst = pesMessages(first);
    first.send({ op: 'subscribe', stream: 'pes', from: '$' });
    await waitFor('subscribed', () => seenFirst.length === 1, { timeoutMs: 10_000 });
    expect(seenFirst[0]).toEqual({ op: 'subscribed', stream: 'pes', from: '0-0' });

    const live = await append(3);
    await waitFor('three live events', () => seenFirst.length === 4, { timeoutMs: 10_000 });
    const events = seenFirst.slice(1) as unknown as PesEvent[];
    expect(events.map((e) => e.id)).toEqual(live);
    expect(events[0]).toEqual({
      op: 'event',
      stream: 'pes',
      id: live[0],
      msg_id: 'm-1',
      msg_type: 'add_item',
      source: 'pos-1',
      data: '{"order_id":"o-1","qty":1}',
      received_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    const lastSeen = events.at(-1)!.id;
    await first.close();

    const missed = await append(3);
    const second = await connect(gatewayB);
    const seenSecond = pesMessages(second);
    second.send({ op: 'subscribe', stream: 'pes', from: lastSeen });
    await waitFor('subscribed + three missed events', () => seenSecond.length === 4, { timeoutMs: 10_000 });
    expect(seenSecond[0]).toEqual({ op: 'subscribed', stream: 'pes', from: lastSeen });
    expect(seenSecond.slice(1).map((e) => e['id'])).toEqual(missed);
    expect(seenSecond.slice(1).map((e) => e['msg_id'])).toEqual(['m-4', 'm-5', 'm-6']);

    const after = await append(1);
    await waitFor('the next live event', () => seenSecond.length === 5, { timeoutMs: 10_000 });
    expect(seenSecond[4]!['id']).toBe(after[0]);
    // nothing else arrives: a marker through the bus comes right after
    const marker = second.nextMessage((text) => !text.startsWith('{"op":"event"') && text !== 'isAlive?');
    await redis.publish(`${world.prefix}:{site:${SITE}}:ws:to-pos`, 'marker');
    expect(await marker).toBe('marker');
    expect(seenSecond).toHaveLength(5);
  });

  it('from 0-0 replays everything retained; a long catch-up hands over to the live tail with no gap or duplicate', async () => {
    await append(700); // more than a few catch-up pages
    const expected = ((await redis.xrange(stream, '-', '+')) as [string, string[]][]).map(([id]) => id);
    const client = await connect(gatewayA);
    const seen = pesMessages(client);
    client.send({ op: 'subscribe', stream: 'pes', from: '0-0' });
    // events keep arriving while the client catches up
    for (let i = 0; i < 10; i++) expected.push(...(await append(30)));
    await waitFor(`${expected.length} events`, () => seen.length === expected.length + 1, { timeoutMs: 10_000 });
    expect(seen[0]).toEqual({ op: 'subscribed', stream: 'pes', from: '0-0' });
    expect(seen.slice(1).map((e) => e['id'])).toEqual(expected);
  });

  it('unsubscribe stops the events; control messages never reach the kitchen side, other messages do', async () => {
    // no UPSTREAM_WS_URL here: POS messages go to the bus's to-kitchen channel
    const subscriber = redis.duplicate();
    const toKitchen: string[] = [];
    subscriber.on('message', (_channel: string, text: string) => toKitchen.push(text));
    await subscriber.subscribe(`${world.prefix}:{site:${SITE}}:ws:to-kitchen`);
    const client = await connect(gatewayB);
    const seen = pesMessages(client);
    client.send({ op: 'subscribe', stream: 'pes' }); // from defaults to "$"
    await waitFor('subscribed', () => seen.length === 1, { timeoutMs: 10_000 });
    client.send({ op: 'unsubscribe', stream: 'pes' });
    await waitFor('unsubscribed', () => seen.length === 2, { timeoutMs: 10_000 });
    expect(seen[1]).toEqual({ op: 'unsubscribed', stream: 'pes' });
    await append(2);
    client.send({ op: 'subscribe', stream: 'pes', from: 'yesterday' });
    await waitFor('the error', () => seen.length === 3, { timeoutMs: 10_000 });
    expect(seen[2]).toEqual({ op: 'error', stream: 'pes', error: 'invalid_request' });
    client.send({ op: 'subscribe', stream: 'kds' }); // not ours: the kitchen's
    await waitFor('the forwarded message', () => toKitchen.length === 1, { timeoutMs: 10_000 });
    expect(toKitchen).toEqual(['{"op":"subscribe","stream":"kds"}']);
    expect(seen).toHaveLength(3);
    subscriber.disconnect();
  });
});
