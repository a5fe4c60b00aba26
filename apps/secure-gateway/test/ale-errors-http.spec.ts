import { request } from 'undici';
import { aleAad, aleEncrypt, deriveAleKey, encodeAleIv, generateAleIv } from '@pos-link/crypto';
import { loadVectors } from '@pos-link/crypto/testing';
import { ALE_ERROR_BODIES, GATEWAY_ERROR_BODIES } from '@pos-link/protocol';
import { startWorld, type GatewayUnderTest, type World } from './support/gateway-world';

// Integration: every refusal of DESIGN §3, against the real Portal simulator, key-sync, Redis and kitchen.
const FP_A = 'b6e4b70983144e192bd7eea24c698f54';
const FP_B = '8ad8c9b0faedd4799805510a91578849';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = Date.now();
const VECTOR_KEYS = [
  { fingerprint: FP_A, value: 'secret', validAfter: now - HOUR, validUntil: now + DAY },
  { fingerprint: FP_B, value: '9f1c2a7e5b3d4c6a8e0f1b2c3d4e5f60', validAfter: now - HOUR, validUntil: now + DAY },
];
const FUTURE_KEY = { fingerprint: 'f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0', value: 'not yet', validAfter: now + DAY, validUntil: now + 2 * DAY };
const IV = 'nkaVcqRaTmVWOy0m';
const CIPHERTEXT = loadVectors().ale[0]!.ciphertext;

interface Answer {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: string;
}

async function send(base: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  const res = await request(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: res.statusCode, contentType: res.headers['content-type'] as string | undefined, body: await res.body.text() };
}

/** A valid GCM request body and headers for a key, built with the crypto library (as a POS would). */
function sealed(fingerprint: string, value: string, plaintext = '{"ok":1}'): { headers: Record<string, string>; body: string } {
  const iv = generateAleIv('aes-256-gcm');
  return {
    headers: { 'sec-fingerprint': fingerprint, 'sec-iv': encodeAleIv(iv) },
    body: aleEncrypt('aes-256-gcm', deriveAleKey(value), iv, Buffer.from(plaintext), aleAad(fingerprint)),
  };
}

const ERROR_1 = { status: 400, contentType: 'application/json', body: ALE_ERROR_BODIES[1] };
const ERROR_2 = { status: 400, contentType: 'application/json', body: ALE_ERROR_BODIES[2] };
const ERROR_3 = { status: 400, contentType: 'application/json', body: ALE_ERROR_BODIES[3] };

describe('ALE over HTTP: refusals', () => {
  let world: World;
  let gw: GatewayUnderTest;

  beforeAll(async () => {
    world = await startWorld({
      portal: {
        sites: [
          { siteId: 'vectors', keys: VECTOR_KEYS },
          'site-b',
          { siteId: 'future', keys: [FUTURE_KEY] },
          'rotating',
          'refreshed',
          { siteId: 'plain', encryption: false },
        ],
      },
    });
    gw = world.gateway;
  });
  afterAll(async () => {
    await world?.close();
  });
  beforeEach(() => world.kitchen.clear());
  afterEach(() => expect(world.kitchen.received()).toEqual([])); // no refused request ever reaches the kitchen

  describe('errorCode 1: security headers missing, empty or malformed', () => {
    it.each<[string, string, Record<string, string>, string | undefined]>([
      ['no prefix, no fingerprint, no DEFAULT_SITE_ID', '/order', { 'sec-iv': IV }, CIPHERTEXT],
      ['a prefix but no fingerprint', '/sites/vectors/order', { 'sec-iv': IV }, CIPHERTEXT],
      ['an empty fingerprint', '/sites/vectors/order', { 'sec-fingerprint': '', 'sec-iv': IV }, CIPHERTEXT],
      ['a fingerprint with a space', '/order', { 'sec-fingerprint': 'b6e4 b709', 'sec-iv': IV }, CIPHERTEXT],
      ['no sec-iv', '/order', { 'sec-fingerprint': FP_A }, CIPHERTEXT],
      ['an empty sec-iv', '/order', { 'sec-fingerprint': FP_A, 'sec-iv': '' }, CIPHERTEXT],
      ['an IV that is not base64 or hex', '/order', { 'sec-fingerprint': FP_A, 'sec-iv': 'nkaVcqRa*mVWOy0m' }, CIPHERTEXT],
      ['an IV of 8 bytes', '/order', { 'sec-fingerprint': FP_A, 'sec-iv': 'AAAAAAAAAAA=' }, CIPHERTEXT],
      ['a hex IV one byte short', '/order', { 'sec-fingerprint': FP_A, 'sec-iv': '9e469572a45a4e65563b2d' }, CIPHERTEXT],
      ['an unknown sec-alg', '/order', { 'sec-fingerprint': FP_A, 'sec-iv': IV, 'sec-alg': 'aes-128-gcm' }, CIPHERTEXT],
      ['a suite ALE_SUITES does not allow', '/order', { 'sec-fingerprint': FP_A, 'sec-iv': 'edqik3A9lr1hXsXdSkCvuQ==', 'sec-alg': 'aes-256-cbc' }, CIPHERTEXT],
      ['a timestamp that is not decimal', '/order', { 'sec-fingerprint': FP_A, 'sec-iv': IV, 'sec-timestamp': '1767225600.5' }, CIPHERTEXT],
      ['a negative timestamp', '/order', { 'sec-fingerprint': FP_A, 'sec-iv': IV, 'sec-timestamp': '-1' }, CIPHERTEXT],
      ['no body', '/sites/vectors/order', { 'sec-fingerprint': FP_A, 'sec-iv': IV }, undefined],
      ['an invalid site id in the prefix', '/sites/%7Bx%7D/order', { 'sec-fingerprint': FP_A, 'sec-iv': IV }, CIPHERTEXT],
    ])('%s', async (_case, path, headers, body) => {
      expect(await send(gw.url, path, headers, body)).toEqual(ERROR_1);
    });

    it('answers 1 without authorization when ALE_REQUIRE_AUTHORIZATION=true, and forwards it untouched when present', async () => {
      const strict = await world.startGateway({ ALE_REQUIRE_AUTHORIZATION: 'true' });
      await strict.waitForKey(FP_A);
      const { headers, body } = sealed(FP_A, 'secret');
      expect(await send(strict.url, '/order', headers, body)).toEqual(ERROR_1);
      const fresh = sealed(FP_A, 'secret');
      const forwarded = await send(strict.url, '/order', { ...fresh.headers, authorization: 'Basic cG9zOnBvcw==' }, fresh.body);
      expect(forwarded.status).toBe(200);
      expect(world.kitchen.received()[0]!.headers.authorization).toBe('Basic cG9zOnBvcw==');
      world.kitchen.clear();
    });
  });

  describe('errorCode 2: one answer for every decryption failure', () => {
    it.each([
      ['a space inside the base64 text', `${CIPHERTEXT.slice(0, 10)} ${CIPHERTEXT.slice(10)}`],
      ['a character outside the alphabet', `${CIPHERTEXT.slice(0, 10)}*${CIPHERTEXT.slice(11)}`],
      ['a JSON string literal that is not closed', `"${CIPHERTEXT}`],
      ['only whitespace', ' \r\n'],
    ])('a body with %s', async (_case, body) => {
      expect(await send(gw.url, '/sites/vectors/order', { 'sec-fingerprint': FP_A, 'sec-iv': IV }, body)).toEqual(ERROR_2);
    });

    it('an unknown fingerprint triggers exactly one Portal fetch of the addressed site, then answers 2', async () => {
      const fetches = world.portal.stats().fetches['refreshed'] ?? 0;
      const published = await gw.metric('poslink_gateway_key_refresh_requests_total', { result: 'published' });
      const { headers, body } = sealed('0123456789abcdef0123456789abcdef', 'guess');
      expect(await send(gw.url, '/sites/refreshed/order', headers, body)).toEqual(ERROR_2);
      expect(world.portal.stats().fetches['refreshed']).toBe(fetches + 1);
      expect(await gw.metric('poslink_gateway_key_refresh_requests_total', { result: 'published' })).toBe(published + 1);
    });

    it('an unknown fingerprint with no addressed site answers 2 without any refresh', async () => {
      const total = world.portal.stats().totalFetches;
      const { headers, body } = sealed('fedcba9876543210fedcba9876543210', 'guess');
      expect(await send(gw.url, '/order', headers, body)).toEqual(ERROR_2);
      expect(world.portal.stats().totalFetches).toBe(total);
    });

    it('a key the Portal just rotated in is fetched on demand and the request succeeds', async () => {
      const key = world.portal.rotate('rotating');
      expect(gw.keys.lookup(key.fingerprint)).toBeUndefined();
      const { headers, body } = sealed(key.fingerprint, key.value, '{"order":"new key"}');
      const answer = await send(gw.url, '/sites/rotating/order', headers, body);
      expect(answer.status).toBe(200);
      expect(world.kitchen.received()[0]).toMatchObject({ site: 'rotating', body: '{"order":"new key"}' });
      world.kitchen.clear();
    });
  });

  describe('errorCode 3: credential mismatch', () => {
    it('a key that is not valid yet (beyond the skew)', async () => {
      const { headers, body } = sealed(FUTURE_KEY.fingerprint, FUTURE_KEY.value);
      expect(await send(gw.url, '/sites/future/order', headers, body)).toEqual(ERROR_3);
    });

    it('a key past its validity and grace (a gateway whose clock is three days ahead)', async () => {
      const later = await world.startGateway({}, { clock: () => Date.now() + 3 * DAY });
      await later.waitForKey(FP_A);
      const { headers, body } = sealed(FP_A, 'secret');
      expect(await send(later.url, '/sites/vectors/order', headers, body)).toEqual(ERROR_3);
    });

    it("a key of another site than the prefix addresses never reaches that site's kitchen", async () => {
      const [other] = world.portal.currentKeys('site-b');
      const { headers, body } = sealed(other!.fingerprint, other!.value);
      expect(await send(gw.url, '/sites/vectors/order', headers, body)).toEqual(ERROR_3);
    });
  });

  it('answers the three errors with identical bodies whatever the cause (no cause is told apart)', async () => {
    const unknown = sealed('00112233445566778899aabbccddeeff', 'x');
    const wrongKey = sealed(FP_A, 'not the secret');
    const a = await send(gw.url, '/order', unknown.headers, unknown.body);
    const b = await send(gw.url, '/order', wrongKey.headers, wrongKey.body);
    expect(a).toEqual(b);
  });

  it('serves a plaintext DEFAULT_SITE_ID for requests that address nothing', async () => {
    const single = await world.startGateway({ DEFAULT_SITE_ID: 'plain' });
    await single.waitForSite('plain');
    const answer = await send(single.url, '/order', {}, '{"table":4}');
    expect(answer.status).toBe(200);
    expect(world.kitchen.received()[0]).toMatchObject({ site: 'plain', route: '/order', body: '{"table":4}' });
    world.kitchen.clear();
  });

  it('refuses with 429 too_many_failures once a source address spent ALE_FAILURE_BUDGET decryption failures', async () => {
    const budgeted = await world.startGateway({ ALE_FAILURE_BUDGET: '3' });
    await budgeted.waitForKey(FP_A);
    for (let i = 0; i < 3; i++) {
      const bad = sealed(FP_A, 'wrong value');
      expect(await send(budgeted.url, '/order', bad.headers, bad.body)).toEqual(ERROR_2);
    }
    const good = sealed(FP_A, 'secret');
    const refused = await send(budgeted.url, '/order', good.headers, good.body);
    expect(refused).toEqual({ status: 429, contentType: 'application/json', body: GATEWAY_ERROR_BODIES.too_many_failures.body });
    expect(await budgeted.metric('poslink_gateway_http_requests_total', { outcome: 'too_many_failures' })).toBe(1);
    expect(await budgeted.metric('poslink_gateway_http_requests_total', { outcome: 'error_code_2' })).toBe(3);
    expect(await budgeted.metric('poslink_gateway_ale_refusals_total', { code: 'ERR_GATEWAY_DECRYPT_FAILED' })).toBe(3);
  });
});
