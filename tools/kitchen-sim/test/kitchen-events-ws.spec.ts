import { once } from 'node:events';
import WebSocket from 'ws';
import { KITCHEN_HEARTBEAT_TEXT, startKitchenSim, type KitchenSim, type KitchenSimOptions } from '../src/index';

describe('kitchen-sim WebSocket side', () => {
  let sim: KitchenSim;
  const clients: WebSocket[] = [];

  const start = async (options: KitchenSimOptions = {}): Promise<void> => {
    sim = await startKitchenSim({ heartbeatMs: 0, ...options });
  };
  /** Connects like the gateway's bridge; resolves once open (the simulator has registered it by then). */
  const connect = async (path: string, headers: Record<string, string> = {}): Promise<WebSocket> => {
    const ws = new WebSocket(`${sim.wsUrl}${path}`, { headers });
    clients.push(ws);
    await once(ws, 'open');
    return ws;
  };
  const nextText = async (ws: WebSocket): Promise<string> => {
    const [data] = (await once(ws, 'message')) as [Buffer];
    return data.toString('utf8');
  };

  afterEach(async () => {
    for (const ws of clients.splice(0)) ws.terminate();
    await sim.close();
  });

  it('sends the plaintext isAlive? heartbeat to every connection', async () => {
    await start({ heartbeatMs: 30 });
    const a = await connect('/ws/42');
    const b = await connect('/sites/7/ws');
    expect(await nextText(a)).toBe(KITCHEN_HEARTBEAT_TEXT);
    expect(await nextText(b)).toBe('isAlive?');
  });

  it('emit reaches the connections of that site only, and "*" reaches all', async () => {
    await start();
    const a = await connect('/ws/42');
    const b = await connect('/ws', { 'x-site-id': '7' });
    const gotA = nextText(a);
    expect(sim.emit('42', { type: 'bump', order_id: 'ORD-1' })).toBe(1);
    expect(await gotA).toBe('{"type":"bump","order_id":"ORD-1"}');
    const both = Promise.all([nextText(a), nextText(b)]);
    expect(sim.emit('*', 'recall ORD-1')).toBe(2);
    expect(await both).toEqual(['recall ORD-1', 'recall ORD-1']);
    expect(sim.emit('nowhere', {})).toBe(0);
    expect(sim.connections().map((c) => c.site)).toEqual(['42', '7']);
  });

  it('records what the POS side sent (receivedWs) and emits "message"', async () => {
    await start();
    const ws = await connect('/ws/42');
    const arrived = sim.waitFor('message');
    ws.send('{"type":"order-status","order_id":"ORD-9"}');
    const message = await arrived;
    expect(message).toMatchObject({ seq: 1, site: '42', data: '{"type":"order-status","order_id":"ORD-9"}', binary: false });
    expect(sim.receivedWs()).toEqual([message]);
    const admin = (await (await fetch(`${sim.url}/_sim/received-ws`)).json()) as unknown[];
    expect(admin).toEqual([message]);
    sim.clear();
    expect(sim.receivedWs()).toEqual([]);
  });

  it('echoes messages back when wsEcho is on', async () => {
    await start({ wsEcho: true });
    const ws = await connect('/ws/1');
    const echoed = nextText(ws);
    ws.send('ping-1');
    expect(await echoed).toBe('ping-1');
  });

  it('dropConnections() ends connections abruptly and the simulator sees them go', async () => {
    await start();
    const a = await connect('/ws/1');
    const b = await connect('/ws/2');
    const closedA = once(a, 'close');
    const gone = sim.waitFor('disconnect', (c) => c.site === '1');
    expect(sim.dropConnections('1')).toBe(1);
    const [code] = (await closedA) as [number];
    expect(code).toBe(1006); // no close frame: like a crashed kitchen
    await gone;
    expect(sim.connections().map((c) => c.site)).toEqual(['2']);
    const closedB = once(b, 'close');
    const dropped = (await (await fetch(`${sim.url}/_sim/drop`, { method: 'POST', body: '{}' })).json()) as { dropped: number };
    expect(dropped).toEqual({ dropped: 1 });
    await closedB;
  });

  it('sends scheduled kitchen events to each connected site', async () => {
    await start({ eventIntervalMs: 20 });
    const ws = await connect('/ws/42');
    const event = JSON.parse(await nextText(ws)) as Record<string, unknown>;
    expect(event).toMatchObject({ type: 'item-ready', order_id: 'ORD-1', site: '42' });
  });

  it('emits through the admin route', async () => {
    await start();
    const ws = await connect('/ws/5');
    const got = nextText(ws);
    const res = await fetch(`${sim.url}/_sim/emit`, { method: 'POST', body: JSON.stringify({ site: '5', event: { type: 'bump', order_id: 'X' } }) });
    expect(await res.json()).toEqual({ delivered: 1 });
    expect(JSON.parse(await got)).toEqual({ type: 'bump', order_id: 'X' });
  });

  it('refuses upgrades on other paths with 404', async () => {
    await start();
    const ws = new WebSocket(`${sim.wsUrl}/elsewhere`);
    const [, res] = (await once(ws, 'unexpected-response')) as [unknown, { statusCode: number; destroy(): void }];
    expect(res.statusCode).toBe(404);
    res.destroy();
  });
});
