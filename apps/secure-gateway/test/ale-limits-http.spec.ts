import { connect } from 'node:net';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { GATEWAY_ERROR_BODIES } from '@pos-link/protocol';
import { getFreePort } from '@pos-link/platform/testing';
import { REDIS_URL, startGateway, startWorld, type GatewayUnderTest, type World } from './support/gateway-world';

// Integration: the gateway's limits (DESIGN §3/§7) — body size, slow clients, a kitchen that is down or
// slow — each answered as documented while the process stays healthy.
const HOUR = 3_600_000;
const FP = 'c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3';
const VALUE = 'limits test key';
const MAX_BODY = 2048;

describe('ALE over HTTP: limits', () => {
  let world: World;

  beforeAll(async () => {
    const now = Date.now();
    world = await startWorld({
      portal: { sites: [{ siteId: 'store-1', keys: [{ fingerprint: FP, value: VALUE, validAfter: now - HOUR, validUntil: now + HOUR }] }] },
      gatewayEnv: {
        ALE_MAX_BODY_BYTES: String(MAX_BODY),
        UPSTREAM_TIMEOUT_MS: '300',
        HTTP_HEADERS_TIMEOUT_MS: '300',
        HTTP_REQUEST_TIMEOUT_MS: '600',
      },
    });
  });
  afterAll(async () => {
    await world?.close();
  });
  beforeEach(() => {
    world.kitchen.clear();
    world.kitchen.resetBehaviours();
  });

  /** The gateway still serves a normal request and reports live. */
  async function expectHealthy(gateway: GatewayUnderTest = world.gateway): Promise<void> {
    expect((await fetch(`${gateway.opsUrl}/health/live`)).status).toBe(200);
    world.kitchen.resetBehaviours();
    const res = await world.client({ fingerprint: FP, keyValue: VALUE, baseUrl: gateway.url }).request({ path: '/order', body: { healthy: true } });
    expect(res.status).toBe(200);
  }

  it('answers 413 payload_too_large for a declared body over ALE_MAX_BODY_BYTES, before reading it, and closes', async () => {
    const res = await request(`${world.gateway.url}/order`, {
      method: 'POST',
      headers: { 'sec-fingerprint': FP, 'sec-iv': 'nkaVcqRaTmVWOy0m' },
      body: 'A'.repeat(MAX_BODY + 1),
    });
    expect(res.statusCode).toBe(413);
    expect(res.headers['connection']).toBe('close');
    expect(await res.body.text()).toBe(GATEWAY_ERROR_BODIES.payload_too_large.body);
    expect(world.kitchen.received()).toEqual([]);
    await expectHealthy();
  });

  it('answers 413 for a chunked body that grows over the limit', async () => {
    async function* chunks(): AsyncGenerator<Buffer> {
      for (let i = 0; i < 8; i++) yield Buffer.alloc(512, 0x41);
    }
    const res = await request(`${world.gateway.url}/order`, { method: 'POST', headers: { 'sec-fingerprint': FP, 'sec-iv': 'nkaVcqRaTmVWOy0m' }, body: Readable.from(chunks()) });
    expect(res.statusCode).toBe(413);
    expect(await res.body.text()).toBe(GATEWAY_ERROR_BODIES.payload_too_large.body);
    await expectHealthy();
  });

  it('answers 408 and closes a connection whose headers do not arrive within HTTP_HEADERS_TIMEOUT_MS (slowloris)', async () => {
    const { port } = new URL(world.gateway.url);
    const socket = connect(Number(port), '127.0.0.1');
    await once(socket, 'connect');
    socket.write('POST /order HTTP/1.1\r\nHost: gateway\r\nsec-fingerprint: ');
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    const started = Date.now();
    await once(socket, 'close');
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(Buffer.concat(received).toString('latin1')).toMatch(/^HTTP\/1\.1 408 /);
    await expectHealthy();
  });

  it('answers 408 and closes a connection whose body does not arrive within HTTP_REQUEST_TIMEOUT_MS', async () => {
    const { port } = new URL(world.gateway.url);
    const socket = connect(Number(port), '127.0.0.1');
    await once(socket, 'connect');
    socket.write(`POST /order HTTP/1.1\r\nHost: gateway\r\nsec-fingerprint: ${FP}\r\nsec-iv: nkaVcqRaTmVWOy0m\r\ncontent-length: 100\r\n\r\nAAAA`);
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    const started = Date.now();
    await once(socket, 'close');
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(Buffer.concat(received).toString('latin1')).toMatch(/^HTTP\/1\.1 408 /);
    expect(world.kitchen.received()).toEqual([]);
    await expectHealthy();
  });

  it('answers 504 upstream_timeout when the kitchen does not answer within UPSTREAM_TIMEOUT_MS', async () => {
    world.kitchen.setBehaviour({ path: '/order', hang: true });
    const res = await world.client({ fingerprint: FP, keyValue: VALUE }).request({ path: '/order', body: { slow: true } });
    expect(res).toMatchObject({ status: 504, encrypted: false, text: GATEWAY_ERROR_BODIES.upstream_timeout.body });
    expect(await world.gateway.metric('poslink_gateway_http_requests_total', { outcome: 'upstream_timeout' })).toBe(1);
    await expectHealthy();
  });

  it('passes a kitchen 500 through with its status, sealed', async () => {
    world.kitchen.setBehaviour({ path: '/order', status: 500, body: { error: 'boom' } });
    const res = await world.client({ fingerprint: FP, keyValue: VALUE }).request({ path: '/order', body: {} });
    expect(res).toMatchObject({ status: 500, encrypted: true });
    expect(JSON.parse(res.text)).toEqual({ error: 'boom' });
    await expectHealthy();
  });

  it('answers 502 upstream_unavailable when the kitchen refuses connections', async () => {
    const closedPort = await getFreePort();
    const orphan = await startGateway(REDIS_URL, world.prefix, `http://127.0.0.1:${closedPort}/sites/{site}`);
    try {
      await orphan.waitForKey(FP);
      const res = await world.client({ fingerprint: FP, keyValue: VALUE, baseUrl: orphan.url }).request({ path: '/order', body: {} });
      expect(res).toMatchObject({ status: 502, encrypted: false, text: GATEWAY_ERROR_BODIES.upstream_unavailable.body });
      expect(res.headers['content-type']).toBe('application/json');
      expect(await orphan.metric('poslink_gateway_http_requests_total', { outcome: 'upstream_unavailable' })).toBe(1);
      expect((await fetch(`${orphan.opsUrl}/health/live`)).status).toBe(200);
    } finally {
      await orphan.close();
    }
  });
});
