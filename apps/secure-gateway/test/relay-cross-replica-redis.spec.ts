import { Redis } from 'ioredis';
import { waitFor } from '@pos-link/platform/testing';
import { FORWARD_ACK_TIMEOUT_MS } from '@pos-link/gateway';
import { buildSciXml } from '@pos-link/protocol';
import { REDIS_URL, SITE_A, startRelayWorld, wsExchange, type RelayGateway, type RelayWorld } from './support/relay-world';

// Integration (DESIGN §5): two gateway replicas (two factory instances) sharing Redis under one prefix —
// the terminal on replica A, the POS on replica B.

const start = (): string => buildSciXml('TRANSACTION', { FUNCTION_TYPE: 'SESSION', COMMAND: 'START' });
const finish = (): string => buildSciXml('TRANSACTION', { FUNCTION_TYPE: 'SESSION', COMMAND: 'FINISH' });
const sale = (amount: string): string => buildSciXml('TRANSACTION', { FUNCTION_TYPE: 'PAYMENT', COMMAND: 'SALE', TRANS_AMOUNT: amount });

describe('terminal relay across replicas (Redis registry and pub/sub)', () => {
  let world: RelayWorld;
  let a: RelayGateway;
  let b: RelayGateway;
  let redis: Redis;

  beforeAll(async () => {
    world = await startRelayWorld();
    [a, b] = await Promise.all([world.startGateway(), world.startGateway()]);
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    redis.disconnect();
    await world.close();
  });

  it('keeps the registry entry under the site hash tag, naming the replica that holds the terminal, with a TTL', async () => {
    const terminal = world.terminal({ url: a.terminalUrl, pinpadId: 'T1' });
    await a.terminalReady(SITE_A, 'T1');
    const key = `${world.prefix}:{site:${SITE_A}}:relay:terminal:T1`;
    expect((await redis.get(key))?.split(' ')[0]).toBe(a.relay.replicaId);
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30_000);
    await terminal.close();
  });

  it('relays a POS on replica B to the terminal on replica A, over HTTP and WebSocket', async () => {
    const terminal = world.terminal({ url: a.terminalUrl, pinpadId: 'T1' });
    await a.terminalReady(SITE_A, 'T1');
    expect(b.relay.isLocal(SITE_A, 'T1')).toBe(false);

    const viaHttp = await world.postTransaction(b, SITE_A, 'T1', sale('2.50'), { posId: 'pos-b' });
    expect(viaHttp.status).toBe(200);
    expect(viaHttp.fields).toMatchObject({ RESULT: 'APPROVED', APPROVED_AMOUNT: '2.50' });

    const pos = await world.openPosWs(b, SITE_A, 'T1');
    expect(await wsExchange(pos, start())).toMatchObject({ RESPONSE_TEXT: 'Session Started' });
    // The session opened through B is enforced on A, for a POS on A as well as on B.
    expect((await world.postTransaction(a, SITE_A, 'T1', sale('1.00'), { posId: 'pos-a' })).fields?.['RESULT_CODE']).toBe('59003');
    expect((await world.postTransaction(b, SITE_A, 'T1', sale('1.00'), { posId: 'pos-a' })).fields?.['RESULT_CODE']).toBe('59003');
    expect(await wsExchange(pos, finish())).toMatchObject({ RESPONSE_TEXT: 'Session Finished' });
    expect((await world.postTransaction(a, SITE_A, 'T1', sale('1.00'), { posId: 'pos-a' })).fields?.['RESULT']).toBe('APPROVED');
    await pos.close();
    expect(await b.metric('poslink_relay_requests_total', { outcome: 'device', route: 'remote' })).toBeGreaterThanOrEqual(3);
    await terminal.close();
  });

  it("releases a session when its POS disconnects from the other replica", async () => {
    const terminal = world.terminal({ url: a.terminalUrl, pinpadId: 'T1' });
    await a.terminalReady(SITE_A, 'T1');
    const pos = await world.openPosWs(b, SITE_A, 'T1');
    expect(await wsExchange(pos, start())).toMatchObject({ RESULT: 'OK' });
    expect((await world.postTransaction(a, SITE_A, 'T1', sale('1.00'), { posId: 'pos-a' })).fields?.['RESULT_CODE']).toBe('59003');
    // The release travels B → A over pub/sub: wait for the effect, not for a fixed time.
    await pos.close();
    await waitFor(
      'replica A to release the session',
      async () => (await a.relay.request({ siteId: SITE_A, pinpadId: 'T1', clientId: 'probe', xml: sale('0.01') })).synthesized === undefined,
      { timeoutMs: 10_000, intervalMs: 20 },
    );
    await terminal.close();
  });

  it('lets the terminal reconnect to replica B and take over: A closes its old connection, POS on A reach it on B', async () => {
    const slow = { initialMs: 10_000, maxMs: 10_000, factor: 2, jitter: 0 };
    const onA = world.terminal({ url: a.terminalUrl, pinpadId: 'T2', backoff: slow });
    await a.terminalReady(SITE_A, 'T2');
    const replaced = new Promise<string | undefined>((resolve) => onA.once('retry', (retry) => resolve(retry.reason)));
    const onB = world.terminal({ url: b.terminalUrl, pinpadId: 'T2' });
    await b.terminalReady(SITE_A, 'T2');
    expect(await replaced).toBe('connection closed (4000)');
    expect(a.relay.isLocal(SITE_A, 'T2')).toBe(false);
    await onA.close();

    const answer = await world.postTransaction(a, SITE_A, 'T2', sale('8.00'), { posId: 'pos-a' });
    expect(answer.fields).toMatchObject({ RESULT: 'APPROVED', APPROVED_AMOUNT: '8.00' });
    expect(onB.handled().map((h) => h.command)).toEqual(['PAYMENT/SALE']);
    await onB.close();
  });

  it('answers 59020 once the terminal is gone from every replica (its entry released)', async () => {
    const terminal = world.terminal({ url: a.terminalUrl, pinpadId: 'T1' });
    await a.terminalReady(SITE_A, 'T1');
    await terminal.close();
    const key = `${world.prefix}:{site:${SITE_A}}:relay:terminal:T1`;
    await waitFor('the terminal entry to be released', async () => (await redis.exists(key)) === 0, { timeoutMs: 10_000 });
    const answer = await world.postTransaction(b, SITE_A, 'T1', sale('1.00'), { posId: 'pos-b' });
    expect(answer.status).toBe(503);
    expect(answer.fields?.['RESULT_CODE']).toBe('59020');
  });

  it('answers 59020 within the forward ack timeout when the registry names a replica that is gone', async () => {
    const key = `${world.prefix}:{site:${SITE_A}}:relay:terminal:T2`;
    await redis.set(key, 'vanished-replica vanished-replica.1', 'PX', 30_000);
    const started = Date.now();
    const answer = await world.postTransaction(b, SITE_A, 'T2', sale('1.00'), { posId: 'pos-b' });
    expect(answer.status).toBe(503);
    expect(answer.fields?.['RESULT_CODE']).toBe('59020');
    expect(Date.now() - started).toBeLessThan(FORWARD_ACK_TIMEOUT_MS + 1_000);
    await redis.del(key);
  });
});
