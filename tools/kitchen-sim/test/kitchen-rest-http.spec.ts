import { startKitchenSim, type KitchenSim } from '../src/index';

describe('kitchen-sim REST side over HTTP', () => {
  let sim: KitchenSim;

  beforeEach(async () => {
    sim = await startKitchenSim({ heartbeatMs: 0 });
  });
  afterEach(async () => sim.close());

  const post = (path: string, body: string | Buffer, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> =>
    fetch(`${sim.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, signal });

  it('records the exact body bytes, method, path, route, query, headers and the site of a /sites/{site} prefix', async () => {
    const body = Buffer.from('  {"orderId":"1001","note":"Crème brûlée \\u00e9"}\n', 'utf8');
    const res = await post('/sites/42/order?table=7&tag=a&tag=b', body, { authorization: 'Bearer pos', 'x-site-id': 'ignored' });
    expect(res.status).toBe(200);
    const [record] = sim.received();
    expect(record).toMatchObject({
      seq: 1,
      method: 'POST',
      path: '/sites/42/order',
      route: '/order',
      search: 'table=7&tag=a&tag=b',
      query: { table: '7', tag: ['a', 'b'] },
      site: '42',
      siteSource: 'path',
      body: body.toString('utf8'),
    });
    expect(record!.rawBody.equals(body)).toBe(true);
    expect(record!.headers['authorization']).toBe('Bearer pos');
    expect(record!.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('answers with the echo JSON, whose echo is the body as received', async () => {
    const res = await post('/alert', '{"level":"high"}', { 'x-site-id': '7' });
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ ok: true, kind: 'alert', method: 'POST', route: '/alert', site: '7', echo: '{"level":"high"}' });
    expect(sim.received()[0]).toMatchObject({ site: '7', siteSource: 'header' });
  });

  it('answers other paths and methods too, recording an empty body as empty', async () => {
    const res = await fetch(`${sim.url}/menu/items`);
    expect(await res.json()).toMatchObject({ kind: 'other', method: 'GET', route: '/menu/items', site: null, echo: '' });
    expect(sim.received()[0]!.rawBody.length).toBe(0);
  });

  it('keeps sites apart in what it records', async () => {
    await post('/sites/a/order', '{"n":1}');
    await post('/sites/b/order', '{"n":2}');
    expect(sim.received().map((r) => [r.site, r.body])).toEqual([
      ['a', '{"n":1}'],
      ['b', '{"n":2}'],
    ]);
  });

  it('setBehaviour sets status, body and content type per route', async () => {
    sim.setBehaviour({ path: '/order', status: 503, body: 'kitchen offline', contentType: 'text/plain' });
    sim.setBehaviour({ path: '/alert', status: 201, body: { accepted: true } });
    const order = await post('/sites/1/order', '{}');
    expect([order.status, order.headers.get('content-type'), await order.text()]).toEqual([503, 'text/plain', 'kitchen offline']);
    const alert = await post('/sites/1/alert', '{}');
    expect([alert.status, await alert.text()]).toEqual([201, '{"accepted":true}']);
    sim.resetBehaviours();
    expect((await post('/sites/1/order', '{}')).status).toBe(200);
  });

  it('setBehaviour with latencyMs delays the answer', async () => {
    sim.setBehaviour({ latencyMs: 150 });
    const started = performance.now();
    const res = await post('/order', '{}');
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('the hang mode never answers; close() still ends it', async () => {
    sim.setBehaviour({ path: '/order', hang: true });
    const arrived = sim.waitFor('request');
    const pending = post('/order', '{"slow":true}', {}, AbortSignal.timeout(300));
    expect((await arrived).body).toBe('{"slow":true}');
    await expect(pending).rejects.toThrow();
    const second = post('/order', '{}');
    await sim.waitFor('request', (r) => r.seq === 2);
    await sim.close();
    await expect(second).rejects.toThrow();
    sim = await startKitchenSim({ heartbeatMs: 0 }); // afterEach closes this one
  });

  it('the empty mode answers 204 without a body or content type', async () => {
    sim.setBehaviour({ path: '/order', empty: true });
    const res = await post('/order', '{}');
    expect(res.status).toBe(204);
    expect(res.headers.get('content-type')).toBeNull();
    expect(await res.text()).toBe('');
  });

  it('a behaviour with times applies that often, then the default answers again', async () => {
    sim.setBehaviour({ status: 502, times: 1 });
    expect((await post('/order', '{}')).status).toBe(502);
    expect((await post('/order', '{}')).status).toBe(200);
  });

  it('admin routes show and clear what was received and set behaviours, without being recorded', async () => {
    await post('/sites/9/order', '{"x":"é"}');
    const list = (await (await fetch(`${sim.url}/_sim/received`)).json()) as Array<Record<string, unknown>>;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ route: '/order', site: '9', body: '{"x":"é"}', bodyBase64: Buffer.from('{"x":"é"}').toString('base64') });
    expect(list[0]).not.toHaveProperty('rawBody');

    const set = await fetch(`${sim.url}/_sim/behaviour`, { method: 'POST', body: JSON.stringify({ path: '/order', status: 418 }) });
    expect(set.status).toBe(204);
    expect((await post('/order', '{}')).status).toBe(418);
    const bad = await fetch(`${sim.url}/_sim/behaviour`, { method: 'POST', body: JSON.stringify({ status: 42 }) });
    expect(bad.status).toBe(400);
    expect((await fetch(`${sim.url}/_sim/behaviour`, { method: 'DELETE' })).status).toBe(204);

    expect((await fetch(`${sim.url}/_sim/received`, { method: 'DELETE' })).status).toBe(204);
    expect(sim.received()).toEqual([]);
    expect((await fetch(`${sim.url}/_sim/nothing`)).status).toBe(404);
  });

  it('clear() forgets requests; maxRecorded bounds them', async () => {
    await sim.close();
    sim = await startKitchenSim({ heartbeatMs: 0, maxRecorded: 2 });
    for (const n of [1, 2, 3]) await post('/order', String(n));
    expect(sim.received().map((r) => r.body)).toEqual(['2', '3']);
    sim.clear();
    expect(sim.received()).toEqual([]);
  });
});
