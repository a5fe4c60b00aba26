import { once } from 'node:events';
import { AleWsClient, isAleClientError } from '@pos-link/ale';
import { ALE_ERROR_BODIES } from '@pos-link/protocol';
import type { PortalSimKey } from '@pos-link/portal-sim';
import WebSocket from 'ws';
import { startWorld, type GatewayUnderTest, type World } from './support/gateway-world';

// Integration: the ALE WebSocket handshake (DESIGN §4) — refusals before the upgrade with the exact
// HTTP 400 bodies of §3, success with headers and with query parameters, the encrypted heartbeat.

/** The key a POS would pick: the one valid now with the latest valid_after. */
function currentKey(keys: readonly PortalSimKey[]): PortalSimKey {
  const now = Date.now();
  return [...keys].filter((k) => k.validAfter <= now && now < k.validUntil).sort((a, b) => b.validAfter - a.validAfter)[0]!;
}

/** The HTTP answer to a raw upgrade request the gateway refuses. */
async function refusedUpgrade(url: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string | undefined; body: string }> {
  const socket = new WebSocket(url, { headers });
  socket.on('error', () => undefined);
  const [, res] = (await once(socket, 'unexpected-response')) as [unknown, import('node:http').IncomingMessage];
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  socket.terminate();
  return { status: res.statusCode ?? 0, type: res.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') };
}

describe('ALE WebSocket handshake', () => {
  let world: World;
  let gateway: GatewayUnderTest;
  let key: PortalSimKey;
  let otherSiteKey: PortalSimKey;
  let wsUrl: string;

  beforeAll(async () => {
    world = await startWorld({
      portal: { sites: ['hs-1', 'hs-2'] },
      gatewayEnv: { ALE_WS_HEARTBEAT_MS: '100', ALE_REFRESH_WAIT_MS: '200' },
    });
    gateway = world.gateway;
    key = currentKey(world.portal.currentKeys('hs-1'));
    otherSiteKey = currentKey(world.portal.currentKeys('hs-2'));
    wsUrl = gateway.url.replace(/^http/, 'ws');
  });
  afterAll(async () => {
    await world?.close();
  });

  const validIv = Buffer.alloc(12, 7).toString('base64');

  it.each([
    ['no security headers and no site', 1, '/ws', {}],
    ['sec-iv missing', 1, '/ws', { 'sec-fingerprint': 'fp' }],
    ['sec-iv of the wrong length', 1, '/ws', { 'sec-fingerprint': 'fp', 'sec-iv': Buffer.alloc(16).toString('base64') }],
    ['sec-iv not decodable', 1, '/ws', { 'sec-fingerprint': 'fp', 'sec-iv': '%%%%' }],
    ['sec-alg not allowed', 1, '/ws', { 'sec-fingerprint': 'fp', 'sec-iv': validIv, 'sec-alg': 'aes-256-cbc' }],
    ['an invalid site segment', 1, '/sites/%7Bx%7D/ws', { 'sec-fingerprint': 'fp', 'sec-iv': validIv }],
    ['an unknown fingerprint', 2, '/ws', { 'sec-fingerprint': 'no-such-fingerprint', 'sec-iv': validIv }],
    ['an unknown fingerprint on /sites/{id}/ws (after the on-demand refresh)', 2, '/sites/hs-1/ws', { 'sec-fingerprint': 'nope', 'sec-iv': validIv }],
  ] as const)('refuses %s before upgrading with errorCode %i', async (_name, errorCode, path, headers) => {
    const answer = await refusedUpgrade(`${wsUrl}${path}`, headers);
    expect(answer).toEqual({ status: 400, type: 'application/json', body: ALE_ERROR_BODIES[errorCode] });
  });

  it('refuses a key of another site than the path addresses with errorCode 3', async () => {
    const answer = await refusedUpgrade(`${wsUrl}/sites/hs-1/ws`, { 'sec-fingerprint': otherSiteKey.fingerprint, 'sec-iv': validIv });
    expect(answer).toEqual({ status: 400, type: 'application/json', body: ALE_ERROR_BODIES[3] });
  });

  it('AleWsClient reports the refusal with the exact body', async () => {
    const error = await AleWsClient.connect({ url: wsUrl, fingerprint: 'unknown-fp', keyValue: 'x' }).catch((e: unknown) => e);
    expect(isAleClientError(error, 'ERR_ALE_CLIENT_UPGRADE_REFUSED')).toBe(true);
    expect(error).toMatchObject({ status: 400, body: ALE_ERROR_BODIES[2] });
  });

  it.each([
    ['headers', 'headers', undefined],
    ['query parameters (browsers)', 'query', undefined],
    ['headers on /sites/{id}/ws', 'headers', 'hs-1'],
  ] as const)('accepts credentials in %s and sends the encrypted isAlive? heartbeat', async (_name, credentialsIn, siteId) => {
    const client = await AleWsClient.connect({ url: wsUrl, fingerprint: key.fingerprint, keyValue: key.value, credentialsIn, siteId });
    try {
      const text = await client.nextMessage();
      expect(text).toBe('isAlive?');
    } finally {
      await client.close();
    }
  });

  it('refuses query credentials the same way as headers', async () => {
    const answer = await refusedUpgrade(`${wsUrl}/ws?sec-fingerprint=unknown&sec-iv=${encodeURIComponent(validIv)}`);
    expect(answer).toEqual({ status: 400, type: 'application/json', body: ALE_ERROR_BODIES[2] });
  });
});
