import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getFreePort } from '@pos-link/platform/testing';
import { gatewayErrorCode } from '../testing/capture-gateway-error';
import { UpstreamClient, upstreamError } from './upstream-client';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

describe('UpstreamClient.send', () => {
  let server: Server;
  let origin: string;
  let client: UpstreamClient;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.url === '/big') {
          res.writeHead(200, { 'content-type': 'application/octet-stream' });
          res.write(Buffer.alloc(600));
          res.end(Buffer.alloc(600));
          return;
        }
        if (req.url === '/hang') return;
        res.writeHead(201, { 'content-type': 'application/json', 'x-kitchen': 'yes' });
        res.end(JSON.stringify({ method: req.method, url: req.url, site: req.headers['x-site-id'], body: Buffer.concat(chunks).toString() }));
      });
    });
    origin = await listen(server);
    client = new UpstreamClient({ timeoutMs: 300, connections: 4, maxResponseBytes: 1000 });
  });
  afterAll(async () => {
    await client.close();
    await close(server);
  });

  it('sends method, path, headers and body, and collects status, headers and body', async () => {
    const answer = await client.send({ origin, path: '/order?x=1', method: 'POST', headers: { 'x-site-id': 's1' }, body: Buffer.from('{"a":1}') });
    expect(answer.status).toBe(201);
    expect(answer.headers['x-kitchen']).toBe('yes');
    expect(JSON.parse(answer.body.toString())).toEqual({ method: 'POST', url: '/order?x=1', site: 's1', body: '{"a":1}' });
  });

  it('maps a stalled kitchen to ERR_GATEWAY_UPSTREAM_TIMEOUT', async () => {
    expect(await gatewayErrorCode(() => client.send({ origin, path: '/hang', method: 'GET', headers: {}, body: undefined }))).toBe('ERR_GATEWAY_UPSTREAM_TIMEOUT');
  });

  it('refuses an answer over the buffer limit with ERR_GATEWAY_UPSTREAM_RESPONSE_TOO_LARGE', async () => {
    expect(await gatewayErrorCode(() => client.send({ origin, path: '/big', method: 'GET', headers: {}, body: undefined }))).toBe(
      'ERR_GATEWAY_UPSTREAM_RESPONSE_TOO_LARGE',
    );
  });

  it('maps a refused connection to ERR_GATEWAY_UPSTREAM_UNAVAILABLE', async () => {
    const port = await getFreePort();
    expect(await gatewayErrorCode(() => client.send({ origin: `http://127.0.0.1:${port}`, path: '/', method: 'GET', headers: {}, body: undefined }))).toBe(
      'ERR_GATEWAY_UPSTREAM_UNAVAILABLE',
    );
  });
});

describe('upstreamError', () => {
  it.each([
    ['UND_ERR_HEADERS_TIMEOUT', 'ERR_GATEWAY_UPSTREAM_TIMEOUT'],
    ['UND_ERR_BODY_TIMEOUT', 'ERR_GATEWAY_UPSTREAM_TIMEOUT'],
    ['ECONNREFUSED', 'ERR_GATEWAY_UPSTREAM_UNAVAILABLE'],
    ['UND_ERR_SOCKET', 'ERR_GATEWAY_UPSTREAM_UNAVAILABLE'],
    ['UND_ERR_CONNECT_TIMEOUT', 'ERR_GATEWAY_UPSTREAM_UNAVAILABLE'],
    ['UND_ERR_INVALID_ARG', 'ERR_GATEWAY_INTERNAL'],
  ])('%s → %s', (code, expected) => {
    expect(upstreamError(Object.assign(new Error('x'), { code })).code).toBe(expected);
  });
});
