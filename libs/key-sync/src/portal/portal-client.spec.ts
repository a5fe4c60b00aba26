import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { getFreePort } from '@pos-link/platform/testing';
import { isKeySyncError } from '../errors/key-sync-errors';
import { PortalClient } from './portal-client';

// A real HTTP server on loopback stands in for the Portal: each test sets how it answers.
type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let handler: Handler;
let server: Server;
let baseUrl: string;
const seen: IncomingMessage[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req);
    handler(req, res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
});

beforeEach(() => {
  seen.length = 0;
});

async function failure(client: PortalClient, siteId = 's1'): Promise<{ code: string; message: string }> {
  try {
    await client.fetchSite(siteId);
  } catch (error) {
    if (isKeySyncError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a failure');
}

describe('PortalClient.fetchSite', () => {
  const SECRET_BODY = '{"security":{"XKM":{"encryption":true,"keys":[{"value":"do-not-leak-me"}]}}}';

  it('GETs {PORTAL_URL}/sites/{id} with the exact Authorization value and returns the parsed body', async () => {
    handler = (_req, res) => res.end(SECRET_BODY);
    const client = new PortalClient({ baseUrl, authorization: 'Bearer exact value', timeoutMs: 1_000 });
    try {
      expect(await client.fetchSite('store-1')).toEqual(JSON.parse(SECRET_BODY));
      expect(seen[0]).toMatchObject({ method: 'GET', url: '/api/sites/store-1' });
      expect(seen[0]!.headers['authorization']).toBe('Bearer exact value');
      expect(seen[0]!.headers['accept']).toBe('application/json');
    } finally {
      await client.close();
    }
  });

  it('a non-200 status is ERR_KEYSYNC_PORTAL_HTTP_STATUS naming the status, never the body', async () => {
    handler = (_req, res) => {
      res.statusCode = 401;
      res.end(SECRET_BODY);
    };
    const client = new PortalClient({ baseUrl, authorization: 'Bearer wrong', timeoutMs: 1_000 });
    try {
      const error = await failure(client);
      expect(error).toEqual({ code: 'ERR_KEYSYNC_PORTAL_HTTP_STATUS', message: 'Portal answered an unexpected HTTP status: site s1: HTTP 401' });
    } finally {
      await client.close();
    }
  });

  it('a body that is not JSON is ERR_KEYSYNC_PORTAL_BODY_INVALID without any excerpt of it', async () => {
    handler = (_req, res) => res.end(SECRET_BODY.slice(0, 40));
    const client = new PortalClient({ baseUrl, authorization: 'a', timeoutMs: 1_000 });
    try {
      expect(await failure(client)).toEqual({ code: 'ERR_KEYSYNC_PORTAL_BODY_INVALID', message: 'Portal answer is not JSON: site s1: 40 bytes' });
    } finally {
      await client.close();
    }
  });

  it('a body over the limit is ERR_KEYSYNC_PORTAL_BODY_TOO_LARGE', async () => {
    handler = (_req, res) => res.end(`"${'x'.repeat(2_000)}"`);
    const client = new PortalClient({ baseUrl, authorization: 'a', timeoutMs: 1_000, maxBodyBytes: 1_000 });
    try {
      expect(await failure(client)).toEqual({ code: 'ERR_KEYSYNC_PORTAL_BODY_TOO_LARGE', message: 'Portal answer is too large: site s1: over 1000 bytes' });
    } finally {
      await client.close();
    }
  });

  it('no complete answer within the timeout is ERR_KEYSYNC_PORTAL_TIMEOUT (headers or a trickling body)', async () => {
    const client = new PortalClient({ baseUrl, authorization: 'a', timeoutMs: 150 });
    try {
      handler = () => undefined; // never answers
      expect((await failure(client)).code).toBe('ERR_KEYSYNC_PORTAL_TIMEOUT');
      handler = (_req, res) => res.write('{"partial":'); // headers, then nothing
      expect(await failure(client)).toEqual({ code: 'ERR_KEYSYNC_PORTAL_TIMEOUT', message: 'Portal did not answer in time: site s1: no answer within 150 ms' });
    } finally {
      await client.close();
    }
  });

  it('an unreachable Portal or a dropped connection is ERR_KEYSYNC_PORTAL_UNREACHABLE with the transport code', async () => {
    const port = await getFreePort();
    const refused = new PortalClient({ baseUrl: `http://127.0.0.1:${port}`, authorization: 'a', timeoutMs: 1_000 });
    try {
      expect(await failure(refused)).toEqual({ code: 'ERR_KEYSYNC_PORTAL_UNREACHABLE', message: 'Portal unreachable or connection lost: site s1: ECONNREFUSED' });
    } finally {
      await refused.close();
    }
    handler = (req) => req.socket.destroy();
    const client = new PortalClient({ baseUrl, authorization: 'a', timeoutMs: 1_000 });
    try {
      expect(await failure(client)).toEqual({ code: 'ERR_KEYSYNC_PORTAL_UNREACHABLE', message: 'Portal unreachable or connection lost: site s1: UND_ERR_SOCKET' });
    } finally {
      await client.close();
    }
  });

  it('close() aborts a fetch in flight', async () => {
    handler = () => undefined;
    const client = new PortalClient({ baseUrl, authorization: 'a', timeoutMs: 10_000 });
    const pending = failure(client);
    await new Promise((resolve) => setImmediate(resolve));
    await client.close();
    expect(await pending).toEqual({ code: 'ERR_KEYSYNC_PORTAL_UNREACHABLE', message: 'Portal unreachable or connection lost: site s1: client closed' });
  });

  it('throws TypeError for bad options (programmer misuse)', () => {
    expect(() => new PortalClient({ baseUrl: 'not a url', authorization: 'a', timeoutMs: 1 })).toThrow(TypeError);
    expect(() => new PortalClient({ baseUrl, authorization: '', timeoutMs: 1 })).toThrow(TypeError);
    expect(() => new PortalClient({ baseUrl, authorization: 'a', timeoutMs: 0 })).toThrow(TypeError);
  });
});
