import { AleWsClient, isAleClientError, type AleClientError, type AleWsClientOptions } from '../src/index';
import { startEchoWsGateway, type EchoWsGateway } from './support/echo-ws-gateway';

const FP = 'b6e4b70983144e192bd7eea24c698f54';
const FP2 = '8ad8c9b0faedd4799805510a91578849';
const KEYS = { [FP]: 'secret', [FP2]: '9f1c2a7e5b3d4c6a8e0f1b2c3d4e5f60' };
const notHeartbeat = (text: string): boolean => text !== 'isAlive?';

describe('AleWsClient against an independent echo gateway', () => {
  let gateway: EchoWsGateway;
  const clients: AleWsClient[] = [];
  /** Connects, having already registered for the heartbeat the gateway sends on connect. */
  const connect = async (options: Partial<AleWsClientOptions> = {}): Promise<{ client: AleWsClient; heartbeat: Promise<string> }> => {
    const client = new AleWsClient({ url: gateway.url, fingerprint: FP, keyValue: 'secret', ...options });
    clients.push(client);
    const heartbeat = client.nextMessage();
    await client.open();
    return { client, heartbeat };
  };

  beforeEach(async () => {
    gateway = await startEchoWsGateway(KEYS);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.close();
    await gateway.close();
  });

  describe.each([
    ['aes-256-gcm', false],
    ['aes-256-gcm', true],
    ['aes-256-cbc', false],
    ['aes-256-cbc', true],
  ] as const)('%s, timestamp %s', (suite, timestamp) => {
    it('upgrades with sec-fingerprint, sec-iv and sec-alg headers, reads the heartbeat, sends and reads envelopes', async () => {
      const { client, heartbeat } = await connect({ suite, timestamp, now: () => 1767225600001 });
      expect(await heartbeat).toBe('isAlive?');
      expect(gateway.upgrades[0]!.url).toBe('/ws');
      expect(gateway.upgrades[0]!.headers).toMatchObject({ 'sec-fingerprint': FP, 'sec-alg': suite });
      expect(gateway.upgrades[0]!.headers['sec-timestamp']).toBe(timestamp ? '1767225600001' : undefined);
      const answer = client.nextMessage(notHeartbeat);
      client.send({ type: 'order-status', order_id: 'ORD-1' });
      expect(JSON.parse(await answer)).toEqual({ echo: '{"type":"order-status","order_id":"ORD-1"}' });
      const { envelope } = gateway.messages[0]!;
      expect(envelope.fingerprint).toBe(FP);
      expect(envelope.ts).toBe(timestamp ? '1767225600001' : undefined);
    });
  });

  it('puts the security fields in the query when asked (browsers cannot set headers), under /sites/{siteId}/ws', async () => {
    const { heartbeat } = await connect({ credentialsIn: 'query', siteId: '42' });
    await heartbeat;
    const url = new URL(gateway.upgrades[0]!.url, 'http://x');
    expect(url.pathname).toBe('/sites/42/ws');
    expect(url.searchParams.get('sec-fingerprint')).toBe(FP);
    expect(url.searchParams.get('sec-iv')).toMatch(/^[A-Za-z0-9+/]{16}$/);
    expect(gateway.upgrades[0]!.headers['sec-fingerprint']).toBeUndefined();
  });

  it('rejects a refused upgrade with ERR_ALE_CLIENT_UPGRADE_REFUSED, the status and the JSON error body', async () => {
    const client = new AleWsClient({ url: gateway.url, fingerprint: 'unknown-fp', keyValue: 'secret' });
    const error = await client.open().then(() => undefined, (e: unknown) => e);
    expect(isAleClientError(error, 'ERR_ALE_CLIENT_UPGRADE_REFUSED')).toBe(true);
    expect((error as AleClientError).status).toBe(400);
    expect((error as AleClientError).body).toBe('{"errorCode":2,"message":"Unable to decrypt payload"}');
  });

  it('switchKey sends under the other key and reads answers under it', async () => {
    const { client, heartbeat } = await connect({ keys: {} });
    await heartbeat;
    client.switchKey(FP2, KEYS[FP2]);
    const answer = client.nextMessage(notHeartbeat);
    client.send('after rotation');
    expect(await answer).toBe('{"echo":"after rotation"}');
    expect(gateway.messages[0]!.envelope.fingerprint).toBe(FP2);
    expect(client.fingerprint).toBe(FP2);
  });

  it('reports a frame that is not an envelope as "invalid" with ERR_ALE_CLIENT_MESSAGE_INVALID', async () => {
    const { client, heartbeat } = await connect();
    await heartbeat;
    const invalid = new Promise<AleClientError>((resolve) => client.once('invalid', resolve));
    const next = client.nextMessage(notHeartbeat).then(() => undefined, (e: unknown) => e);
    client.send('garbage please');
    expect((await invalid).code).toBe('ERR_ALE_CLIENT_MESSAGE_INVALID');
    expect(isAleClientError(await next, 'ERR_ALE_CLIENT_MESSAGE_INVALID')).toBe(true);
  });

  it('emits close with the code and reason', async () => {
    const { client, heartbeat } = await connect();
    await heartbeat;
    const closed = new Promise<[number, string]>((resolve) => client.once('close', (code, reason) => resolve([code, reason])));
    await gateway.close();
    const [code] = await closed;
    expect(code).toBe(1006);
    gateway = await startEchoWsGateway(KEYS); // afterEach closes this one
  });

  it('refuses send before open with TypeError', () => {
    const client = new AleWsClient({ url: gateway.url, fingerprint: FP, keyValue: 'secret' });
    expect(() => client.send('x')).toThrow(TypeError);
  });
});
