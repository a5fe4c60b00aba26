import { Redis } from 'ioredis';
import { request } from 'undici';
import { aleAad, aleEncrypt, deriveAleKey, encodeAleIv, generateAleIv } from '@pos-link/crypto';
import { ALE_ERROR_BODIES } from '@pos-link/protocol';
import { REDIS_URL, startWorld, type World } from './support/gateway-world';

// Integration: replay protection (DESIGN §3) with the real Redis as the replay store.
const WINDOW_MS = 5_000;
const HOUR = 3_600_000;
const FP = 'a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1';
const VALUE = 'replay test key';
const FP_RELAXED = 'b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2';

interface Captured {
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly iv: Buffer;
}

/** A genuine request as a POS would build it, with `sec-timestamp` bound into the AAD. */
function capture(fingerprint = FP, value = VALUE, timestamp = Date.now(), iv = generateAleIv('aes-256-gcm')): Captured {
  const ts = String(timestamp);
  return {
    iv,
    headers: { 'content-type': 'application/json', 'sec-fingerprint': fingerprint, 'sec-iv': encodeAleIv(iv), 'sec-timestamp': ts },
    body: aleEncrypt('aes-256-gcm', deriveAleKey(value), iv, Buffer.from('{"order":1}'), aleAad(fingerprint, ts)),
  };
}

describe('ALE over HTTP: replay protection', () => {
  let world: World;
  let url: string;

  beforeAll(async () => {
    const now = Date.now();
    world = await startWorld({
      portal: {
        sites: [
          { siteId: 'store-1', keys: [{ fingerprint: FP, value: VALUE, validAfter: now - HOUR, validUntil: now + HOUR }] },
          { siteId: 'relaxed', keys: [{ fingerprint: FP_RELAXED, value: VALUE, validAfter: now - HOUR, validUntil: now + HOUR }] },
        ],
      },
      gatewayEnv: { ALE_REPLAY_WINDOW_MS: String(WINDOW_MS), ALE_REPLAY_WINDOW_SITES: 'relaxed=0' },
    });
    url = `${world.gateway.url}/sites/store-1/order`;
  });
  afterAll(async () => {
    await world?.close();
  });

  async function send(c: Captured, target = url, headers: Record<string, string> = c.headers): Promise<{ status: number; body: string }> {
    const res = await request(target, { method: 'POST', headers, body: c.body });
    return { status: res.statusCode, body: await res.body.text() };
  }

  it('accepts a request once and refuses its replay with errorCode 2', async () => {
    const replays = await world.gateway.metric('poslink_gateway_http_requests_total', { outcome: 'replay' });
    const captured = capture();
    expect((await send(captured)).status).toBe(200);
    expect(await send(captured)).toEqual({ status: 400, body: ALE_ERROR_BODIES[2] });
    // the same IV spelled in hex is the same IV
    expect(await send(captured, url, { ...captured.headers, 'sec-iv': captured.iv.toString('hex') })).toEqual({ status: 400, body: ALE_ERROR_BODIES[2] });
    expect(await world.gateway.metric('poslink_gateway_http_requests_total', { outcome: 'replay' })).toBe(replays + 2);
  });

  it('records the pair in Redis under the site hash tag, expiring with the window', async () => {
    const captured = capture();
    expect((await send(captured)).status).toBe(200);
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    try {
      const key = `${world.prefix}:{site:store-1}:ale-replay:${FP}:${captured.iv.toString('base64url')}`;
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(WINDOW_MS + 1);
    } finally {
      redis.disconnect();
    }
  });

  it.each([
    ['stale', -2 * WINDOW_MS],
    ['from the future', 2 * WINDOW_MS],
  ])('refuses a %s timestamp with errorCode 2', async (_case, offset) => {
    expect(await send(capture(FP, VALUE, Date.now() + offset))).toEqual({ status: 400, body: ALE_ERROR_BODIES[2] });
  });

  it('refuses a captured request replayed with a fresh timestamp: the timestamp is bound into the AAD', async () => {
    const captured = capture(FP, VALUE, Date.now() - 2 * WINDOW_MS);
    expect(await send(captured, url, { ...captured.headers, 'sec-timestamp': String(Date.now()) })).toEqual({ status: 400, body: ALE_ERROR_BODIES[2] });
  });

  it('requires sec-timestamp where the window is on (errorCode 1)', async () => {
    const captured = capture();
    const { 'sec-timestamp': _dropped, ...headers } = captured.headers;
    expect(await send(captured, url, headers)).toEqual({ status: 400, body: ALE_ERROR_BODIES[1] });
  });

  it('does not let a forgery burn the IV of a genuine request in flight', async () => {
    const genuine = capture();
    const forged = { ...genuine, body: capture(FP, 'not the key', Number(genuine.headers['sec-timestamp']), genuine.iv).body };
    expect(await send(forged)).toEqual({ status: 400, body: ALE_ERROR_BODIES[2] });
    expect((await send(genuine)).status).toBe(200);
  });

  it('applies per-site overrides: a site with window 0 needs no timestamp and has no replay check', async () => {
    const iv = generateAleIv('aes-256-gcm');
    const headers = { 'content-type': 'application/json', 'sec-fingerprint': FP_RELAXED, 'sec-iv': encodeAleIv(iv) };
    const body = aleEncrypt('aes-256-gcm', deriveAleKey(VALUE), iv, Buffer.from('{}'), aleAad(FP_RELAXED));
    const target = `${world.gateway.url}/sites/relaxed/order`;
    expect((await send({ headers, body, iv }, target)).status).toBe(200);
    expect((await send({ headers, body, iv }, target)).status).toBe(200);
  });
});
