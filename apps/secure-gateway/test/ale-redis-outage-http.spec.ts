import { GATEWAY_ERROR_BODIES } from '@pos-link/protocol';
import { startPrivateRedis, type PrivateRedis } from './support/private-redis';
import { startWorld, type GatewayUnderTest, type World } from './support/gateway-world';

// Integration: Redis stops while the gateway holds its keys (a PRIVATE redis-server; the shared one on
// 6379 is never touched). Keys are served from memory; replay protection fails closed.
const HOUR = 3_600_000;
const FP = 'd4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4';
const VALUE = 'outage test key';

describe('ALE over HTTP: Redis outage', () => {
  let redis: PrivateRedis;
  let world: World;
  let protectedGateway: GatewayUnderTest;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    const now = Date.now();
    world = await startWorld({
      redisUrl: redis.url,
      portal: { sites: [{ siteId: 'store-1', keys: [{ fingerprint: FP, value: VALUE, validAfter: now - HOUR, validUntil: now + HOUR }] }] },
    });
    protectedGateway = await world.startGateway({ ALE_REPLAY_WINDOW_MS: '30000' });
    await protectedGateway.waitForKey(FP);
  });
  afterAll(async () => {
    await redis?.stop();
    await world?.close(); // must complete with Redis gone
  });

  it('keeps serving requests from the cached keys after Redis stops; replay-protected requests get 503', async () => {
    const client = world.client({ fingerprint: FP, keyValue: VALUE, siteId: 'store-1' });
    const timed = world.client({ fingerprint: FP, keyValue: VALUE, siteId: 'store-1', timestamp: true, baseUrl: protectedGateway.url });
    expect((await client.request({ path: '/order', body: { before: true } })).status).toBe(200);
    expect((await timed.request({ path: '/order', body: { before: true } })).status).toBe(200);

    await redis.stop();
    const ready = await fetch(`${world.gateway.opsUrl}/health/ready`);
    expect(ready.status).toBe(503);

    for (let i = 0; i < 20; i++) {
      const res = await client.request({ path: '/order', body: { during: i } });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text)).toMatchObject({ echo: JSON.stringify({ during: i }) });
    }
    const refused = await timed.request({ path: '/order', body: { during: true } });
    expect(refused).toMatchObject({ status: 503, encrypted: false, text: JSON.stringify({ error: 'replay_store_unavailable' }) });
    expect(refused.text).not.toBe(GATEWAY_ERROR_BODIES.upstream_unavailable.body);
    expect(await protectedGateway.metric('poslink_gateway_http_requests_total', { outcome: 'replay_store_unavailable' })).toBe(1);
    expect((await fetch(`${world.gateway.opsUrl}/health/live`)).status).toBe(200);
  });
});
