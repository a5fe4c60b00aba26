import { request } from 'undici';
import { aleAad, aleDecrypt, deriveAleKey, parseAleIv, type AleSuiteName } from '@pos-link/crypto';
import { loadVectors, type AleVector } from '@pos-link/crypto/testing';
import { startWorld, type World } from './support/gateway-world';

// Integration: Portal simulator → key-sync → Redis → gateway → kitchen simulator, all real sockets.
const FP_A = 'b6e4b70983144e192bd7eea24c698f54';
const FP_B = '8ad8c9b0faedd4799805510a91578849';
const HOUR = 3_600_000;
const now = Date.now();
/** A site whose keys are the vectors' (key value and fingerprint), so their known answers reach the kitchen. */
const VECTOR_KEYS = [
  { fingerprint: FP_A, value: 'secret', validAfter: now - HOUR, validUntil: now + 24 * HOUR },
  { fingerprint: FP_B, value: '9f1c2a7e5b3d4c6a8e0f1b2c3d4e5f60', validAfter: now - HOUR, validUntil: now + 24 * HOUR },
];
const vectors = loadVectors().ale.filter((v) => VECTOR_KEYS.some((k) => k.fingerprint === v.fingerprint && k.value === v.keyValue));

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

describe('ALE over HTTP: round trips', () => {
  let world: World;

  beforeAll(async () => {
    world = await startWorld({
      portal: { sites: [{ siteId: 'vectors', keys: VECTOR_KEYS }, 'store-2', { siteId: 'plain', encryption: false }] },
      gatewayEnv: { ALE_SUITES: 'aes-256-gcm,aes-256-cbc' },
    });
  });
  afterAll(async () => {
    await world?.close();
  });
  beforeEach(() => {
    world.kitchen.clear();
    world.kitchen.resetBehaviours();
  });

  /** Sends a vector's exact wire form and returns the answer and what the kitchen received. */
  async function sendVector(vector: AleVector, ivText: string, body: string) {
    const res = await request(`${world.gateway.url}/sites/vectors/order?table=4`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'sec-fingerprint': vector.fingerprint,
        'sec-iv': ivText,
        'sec-alg': vector.suite,
        ...(vector.timestamp === null ? {} : { 'sec-timestamp': vector.timestamp }),
      },
      body,
    });
    const raw = await res.body.text();
    return { res, raw, seen: world.kitchen.received() };
  }

  function openAnswer(suite: AleSuiteName, fingerprint: string, value: string, headers: Record<string, string | string[] | undefined>, raw: string): string {
    const iv = parseAleIv(suite, header(headers, 'sec-iv')!);
    return aleDecrypt(suite, deriveAleKey(value), iv, raw, aleAad(fingerprint)).toString('utf8');
  }

  describe.each(vectors.map((v, i) => [`ale[${i}] ${v.suite}${v.timestamp === null ? '' : ' with timestamp'}`, v] as const))(
    'known answer %s',
    (_name, vector) => {
      const value = VECTOR_KEYS.find((k) => k.fingerprint === vector.fingerprint)!.value;
      const plaintext = Buffer.from(vector.plaintextB64, 'base64');

      it.each([
        ['base64 IV, base64 body', vector.iv, vector.ciphertext],
        ['hex IV, JSON string literal body', vector.ivHex, JSON.stringify(vector.ciphertext)],
        ['base64url IV without padding, body in whitespace', Buffer.from(vector.iv, 'base64').toString('base64url'), `\r\n ${vector.ciphertext}\t\n`],
      ])('the kitchen receives exactly the plaintext (%s) and the client can read the sealed answer', async (_how, ivText, body) => {
        const { res, raw, seen } = await sendVector(vector, ivText, body);
        expect(seen).toHaveLength(1);
        const got = seen[0]!;
        expect(got.rawBody.equals(plaintext)).toBe(true);
        expect(got).toMatchObject({ method: 'POST', path: '/sites/vectors/order', route: '/order', search: 'table=4', site: 'vectors' });
        expect(got.headers['x-site-id']).toBe('vectors');
        expect(Object.keys(got.headers).filter((name) => name.startsWith('sec-'))).toEqual([]);

        expect(res.statusCode).toBe(200);
        expect(header(res.headers, 'content-type')).toBe('text/plain');
        expect(header(res.headers, 'sec-fingerprint')).toBe(vector.fingerprint);
        expect(header(res.headers, 'sec-alg')).toBe(vector.suite);
        expect(header(res.headers, 'sec-content-type')).toBe('application/json');
        expect(header(res.headers, 'sec-iv')).not.toBe(vector.iv);
        const answer = JSON.parse(openAnswer(vector.suite, vector.fingerprint, value, res.headers, raw)) as Record<string, unknown>;
        expect(answer).toEqual({ ok: true, kind: 'order', method: 'POST', route: '/order', site: 'vectors', echo: plaintext.toString('utf8') });
      });
    },
  );

  it.each(['aes-256-gcm', 'aes-256-cbc'] as const)('AleClient round trip under %s, addressed by fingerprint only', async (suite) => {
    const client = world.client({ fingerprint: FP_B, keyValue: VECTOR_KEYS[1]!.value, suite });
    const res = await client.request({ path: '/alert?level=2', body: { alert: 'fryer', level: 2 } });
    expect(res.status).toBe(200);
    expect(res.encrypted).toBe(true);
    expect(res.fingerprint).toBe(FP_B);
    expect(res.contentType).toBe('application/json');
    expect(JSON.parse(res.text)).toMatchObject({ kind: 'alert', site: 'vectors', echo: '{"alert":"fryer","level":2}' });
    expect(world.kitchen.received()[0]).toMatchObject({ path: '/sites/vectors/alert', search: 'level=2', body: '{"alert":"fryer","level":2}' });
  });

  it('forwards authorization and other headers untouched, strips every sec-* header and sets x-site-id itself', async () => {
    const client = world.client({ fingerprint: FP_A, keyValue: 'secret', siteId: 'vectors', authorization: 'Bearer pos-token' });
    await client.request({ path: '/order', body: { id: 1 }, headers: { 'x-request-id': 'r-1', 'x-site-id': 'store-2', 'sec-extra': 'x' } });
    const headers = world.kitchen.received()[0]!.headers;
    expect(headers).toMatchObject({ authorization: 'Bearer pos-token', 'x-request-id': 'r-1', 'x-site-id': 'vectors', 'content-type': 'application/json' });
    expect(Object.keys(headers).filter((name) => name.startsWith('sec-'))).toEqual([]);
    expect(headers['content-length']).toBe(String(Buffer.byteLength('{"id":1}')));
  });

  it('keeps the kitchen status: an error answer is sealed too, an empty answer stays empty', async () => {
    const client = world.client({ fingerprint: FP_A, keyValue: 'secret' });
    world.kitchen.setBehaviour({ path: '/order', status: 500, body: { error: 'kitchen_down' }, times: 1 });
    const failed = await client.request({ path: '/order', body: { id: 2 } });
    expect(failed).toMatchObject({ status: 500, encrypted: true, contentType: 'application/json' });
    expect(JSON.parse(failed.text)).toEqual({ error: 'kitchen_down' });

    world.kitchen.setBehaviour({ path: '/order', empty: true, times: 1 });
    const empty = await client.request({ path: '/order', body: { id: 3 } });
    expect(empty).toMatchObject({ status: 204, encrypted: false, raw: '' });
    expect(empty.headers['sec-iv']).toBeUndefined();
  });

  it('forwards a GET with an empty plaintext: the request still proves the key', async () => {
    const client = world.client({ fingerprint: FP_A, keyValue: 'secret', siteId: 'vectors' });
    const res = await client.request({ method: 'GET', path: '/menu' });
    expect(res.status).toBe(200);
    expect(world.kitchen.received()[0]).toMatchObject({ method: 'GET', route: '/menu', body: '' });
    expect(JSON.parse(res.text)).toMatchObject({ method: 'GET', echo: '' });
  });

  it('forwards a plaintext site (encryption: false) as received, sec-* stripped, and answers in plaintext', async () => {
    const res = await request(`${world.gateway.url}/sites/plain/order`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'sec-fingerprint': FP_A, 'sec-iv': 'nkaVcqRaTmVWOy0m' },
      body: '{"orderId":"7"}',
    });
    expect(res.statusCode).toBe(200);
    expect(header(res.headers, 'content-type')).toMatch(/^application\/json/);
    expect(header(res.headers, 'sec-iv')).toBeUndefined();
    expect(JSON.parse(await res.body.text())).toMatchObject({ site: 'plain', echo: '{"orderId":"7"}' });
    const seen = world.kitchen.received()[0]!;
    expect(seen.body).toBe('{"orderId":"7"}');
    expect(Object.keys(seen.headers).filter((name) => name.startsWith('sec-'))).toEqual([]);
  });

  it('counts answers by outcome on the ops port', async () => {
    const before = await world.gateway.metric('poslink_gateway_http_requests_total', { outcome: 'ok' });
    await world.client({ fingerprint: FP_A, keyValue: 'secret' }).request({ path: '/order', body: {} });
    expect(await world.gateway.metric('poslink_gateway_http_requests_total', { outcome: 'ok' })).toBe(before + 1);
    expect(await world.gateway.metric('poslink_gateway_http_request_duration_seconds_count', { outcome: 'ok' })).toBe(before + 1);
    expect(await world.gateway.metric('poslink_gateway_upstream_duration_seconds_count', { result: 'ok' })).toBeGreaterThan(0);
  });
});
