import { startKitchenSim, type KitchenSim } from '@pos-link/kitchen-sim';
import { KitchenBridge } from '../src/ws/kitchen/kitchen-bridge';
import { waitFor } from '@pos-link/platform/testing';

// Integration: one site's bridge to the kitchen WebSocket (DESIGN §4) against the kitchen simulator.

describe('KitchenBridge', () => {
  let kitchen: KitchenSim;
  const bridges: KitchenBridge[] = [];

  beforeAll(async () => {
    kitchen = await startKitchenSim({ heartbeatMs: 0 });
  });
  afterAll(async () => {
    for (const bridge of bridges) await bridge.stop();
    await kitchen.close();
  });

  function bridge(siteId: string, pendingMax?: number) {
    const received: string[] = [];
    const events = { up: 0, down: 0, dropped: 0 };
    const b = new KitchenBridge({
      url: kitchen.upstreamWsUrl.replace('{site}', siteId),
      siteId,
      pingMs: 60_000,
      pendingMax,
      listener: {
        message: (data) => received.push(data.toString('utf8')),
        open: () => events.up++,
        down: () => events.down++,
        dropped: () => events.dropped++,
      },
    });
    bridges.push(b);
    return { b, received, events };
  }

  it('connects for its site, relays kitchen events, sends POS messages as text frames', async () => {
    const connected = kitchen.waitFor('connection', (c) => c.site === 'kb-1');
    const { b, received } = bridge('kb-1');
    b.send('queued before open'); // held until the connection is up
    b.start();
    const connection = await connected;
    expect(connection.headers['x-site-id']).toBe('kb-1');
    const first = await kitchen.waitFor('message', (m) => m.site === 'kb-1');
    expect(first).toMatchObject({ data: 'queued before open', binary: false });
    kitchen.emit('kb-1', { type: 'bump' });
    await waitFor('the kitchen event at the bridge', () => received.length > 0);
    expect(received).toEqual(['{"type":"bump"}']);
  });

  it('reconnects after a drop; while down it keeps the newest pendingMax messages, in order', async () => {
    const connected = kitchen.waitFor('connection', (c) => c.site === 'kb-2');
    const { b, events } = bridge('kb-2', 2);
    b.start();
    await connected;
    while (events.up === 0) await new Promise((r) => setImmediate(r)); // the client side saw the 101 too
    const reconnected = kitchen.waitFor('connection', (c) => c.site === 'kb-2');
    kitchen.dropConnections('kb-2');
    while (b.isOpen) await new Promise((r) => setImmediate(r));
    const got: string[] = [];
    kitchen.on('message', (m) => {
      if (m.site === 'kb-2') got.push(m.data);
    });
    for (const text of ['one', 'two', 'three']) b.send(text);
    await reconnected;
    await kitchen.waitFor('message', (m) => m.site === 'kb-2' && m.data === 'three');
    expect(got).toEqual(['two', 'three']);
    expect(events).toMatchObject({ up: 2, down: 1, dropped: 1 });
  });

  it('stop closes the connection and stops reconnecting; a bad URL is a TypeError', async () => {
    const connected = kitchen.waitFor('connection', (c) => c.site === 'kb-3');
    const { b } = bridge('kb-3');
    b.start();
    await connected;
    const gone = kitchen.waitFor('disconnect', (c) => c.site === 'kb-3');
    await b.stop();
    await gone;
    expect(kitchen.connections().filter((c) => c.site === 'kb-3')).toEqual([]);
    expect(() => new KitchenBridge({ url: 'http://x/', siteId: 's', pingMs: 0, listener: { message: () => undefined } })).toThrow(TypeError);
  });
});
