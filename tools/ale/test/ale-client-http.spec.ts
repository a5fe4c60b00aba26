import { aleAad, aleDecrypt, deriveAleKey, parseAleIv } from '@pos-link/crypto';
import { AleClient, isAleClientError, type AleClientOptions } from '../src/index';
import { startEchoGateway, type EchoGateway } from './support/echo-gateway';

const FP = 'b6e4b70983144e192bd7eea24c698f54';
const FP2 = '8ad8c9b0faedd4799805510a91578849';
const KEYS = { [FP]: 'secret', [FP2]: '9f1c2a7e5b3d4c6a8e0f1b2c3d4e5f60' };

describe('AleClient against an independent echo gateway', () => {
  let gateway: EchoGateway;
  const clients: AleClient[] = [];
  const client = (options: Partial<AleClientOptions> = {}): AleClient => {
    const c = new AleClient({ baseUrl: gateway.url, fingerprint: FP, keyValue: 'secret', ...options });
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    gateway = await startEchoGateway(KEYS);
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
    it('sends the ciphertext with sec-fingerprint, base64 sec-iv and sec-alg, and decrypts the answer', async () => {
      const now = 1767225600123;
      const res = await client({ suite, timestamp, now: () => now }).request({ path: '/order?table=4', body: { orderId: '1001' } });
      const [seen] = gateway.requests;
      expect(seen!.plaintext).toBe('{"orderId":"1001"}');
      expect(seen!.headers).toMatchObject({ 'sec-fingerprint': FP, 'sec-alg': suite, 'content-type': 'application/json' });
      expect(seen!.headers['sec-iv']).toMatch(suite === 'aes-256-gcm' ? /^[A-Za-z0-9+/]{16}$/ : /^[A-Za-z0-9+/]{22}==$/);
      expect(seen!.headers['sec-timestamp']).toBe(timestamp ? String(now) : undefined);
      // The wire body decrypts on its own, with the AAD of DESIGN §3 (independent of the client).
      const iv = parseAleIv(suite, seen!.headers['sec-iv'] as string);
      const aad = aleAad(FP, timestamp ? String(now) : undefined);
      expect(aleDecrypt(suite, deriveAleKey('secret'), iv, seen!.wire, aad).toString()).toBe('{"orderId":"1001"}');

      expect(res.status).toBe(200);
      expect(res.encrypted).toBe(true);
      expect(res.fingerprint).toBe(FP);
      expect(res.contentType).toBe('application/json');
      expect(JSON.parse(res.text)).toEqual({ method: 'POST', url: '/order?table=4', echo: '{"orderId":"1001"}' });
      expect(res.raw).not.toContain('orderId');
    });
  });

  it('encrypts an empty body too, so every request proves the key', async () => {
    const res = await client().request({ method: 'GET', path: '/menu' });
    expect(gateway.requests[0]).toMatchObject({ method: 'GET', plaintext: '' });
    expect(Buffer.from(gateway.requests[0]!.wire, 'base64')).toHaveLength(16);
    expect(gateway.requests[0]!.headers['content-type']).toBeUndefined();
    expect(JSON.parse(res.text)).toMatchObject({ echo: '' });
  });

  it('prefixes the path with /sites/{siteId} and sends authorization and extra headers', async () => {
    await client({ siteId: 'store 1', authorization: 'Bearer pos' }).request({ path: '/order', body: 'x', contentType: 'text/plain', headers: { 'X-Trace': '7', 'sec-iv': 'not mine' } });
    expect(gateway.requests[0]).toMatchObject({ url: '/sites/store%201/order' });
    expect(gateway.requests[0]!.headers).toMatchObject({ authorization: 'Bearer pos', 'x-trace': '7', 'content-type': 'text/plain' });
    expect(gateway.requests[0]!.plaintext).toBe('x'); // the caller's sec-iv did not replace the client's
  });

  it('returns plaintext error answers as they are (errorCode bodies, gateway errors)', async () => {
    const wrong = await client({ keyValue: 'not the key' }).request({ path: '/order', body: {} });
    expect([wrong.status, wrong.encrypted, wrong.text]).toEqual([400, false, '{"errorCode":2,"message":"Unable to decrypt payload"}']);
    expect(wrong.contentType).toBe('application/json');
    const gw = await client().request({ path: '/gateway-error', body: {} });
    expect([gw.status, gw.text]).toEqual([502, '{"error":"upstream_unavailable"}']);
  });

  it('returns an empty answer as empty', async () => {
    const res = await client().request({ path: '/empty', body: {} });
    expect([res.status, res.body.length, res.encrypted]).toEqual([204, 0, false]);
  });

  it('refuses an answer under a key it does not hold with ERR_ALE_CLIENT_FINGERPRINT_UNKNOWN', async () => {
    gateway.answerWith = FP2;
    const error = await client()
      .request({ path: '/order', body: {} })
      .then(() => undefined, (e: unknown) => e);
    expect(isAleClientError(error, 'ERR_ALE_CLIENT_FINGERPRINT_UNKNOWN')).toBe(true);
  });

  it('reads an answer under another key it holds (keys map) and can switch keys', async () => {
    gateway.answerWith = FP2;
    const c = client({ keys: { [FP2]: KEYS[FP2] } });
    const res = await c.request({ path: '/order', body: {} });
    expect(res.fingerprint).toBe(FP2);
    gateway.answerWith = undefined;
    c.switchKey(FP2, KEYS[FP2]);
    await c.request({ path: '/order', body: {} });
    expect(gateway.requests.map((r) => r.headers['sec-fingerprint'])).toEqual([FP, FP2]);
  });

  it('refuses misuse with TypeError', () => {
    expect(() => new AleClient({ baseUrl: 'not a url', fingerprint: FP, keyValue: 'k' })).toThrow(TypeError);
    expect(() => client({ suite: 'des' as never })).toThrow(TypeError);
  });
});
