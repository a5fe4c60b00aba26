import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UPGRADE_FAILED_BODY, UPGRADE_NOT_FOUND_BODY, UpgradeRouter } from './upgrade-router';
import { rejectUpgrade } from './reject-upgrade';
import { offeredSubprotocols, offersSubprotocol, upgradePath } from './upgrade-matchers';

interface Answer {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: string;
}

/** Sends an upgrade request and reads the HTTP answer (no WebSocket is ever completed here). */
async function upgrade(port: number, path: string, protocol?: string): Promise<Answer> {
  const req = request({
    port,
    host: '127.0.0.1',
    path,
    headers: {
      connection: 'Upgrade',
      upgrade: 'websocket',
      'sec-websocket-version': '13',
      'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
      ...(protocol === undefined ? {} : { 'sec-websocket-protocol': protocol }),
    },
  });
  req.end();
  const [res] = (await once(req, 'response')) as [IncomingMessage];
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return { status: res.statusCode ?? 0, contentType: res.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') };
}

describe('UpgradeRouter', () => {
  let server: Server;
  let port: number;
  let router: UpgradeRouter;

  beforeEach(async () => {
    server = createServer();
    router = new UpgradeRouter();
    router.attach(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });

  afterEach(async () => {
    router.detach();
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });

  it('answers an upgrade no handler claims with 404 JSON and closes', async () => {
    const answer = await upgrade(port, '/nowhere');
    expect(answer).toEqual({ status: 404, contentType: 'application/json', body: JSON.stringify(UPGRADE_NOT_FOUND_BODY) });
  });

  it('dispatches by subprotocol and path to the first matching handler, higher priority first', async () => {
    const seen: string[] = [];
    const answering = (name: string, status: number) => ({
      name,
      handle: (_req: IncomingMessage, socket: import('node:stream').Duplex) => {
        seen.push(name);
        rejectUpgrade(socket, status, { handler: name });
      },
    });
    router.register({ ...answering('ale-ws', 418), matches: (req) => upgradePath(req) === '/ws' });
    router.register({ ...answering('terminal', 409), priority: 10, matches: (req) => offersSubprotocol(req, 'sci') });
    expect(router.handlerNames()).toEqual(['terminal', 'ale-ws']);

    expect(await upgrade(port, '/ws')).toMatchObject({ status: 418, body: '{"handler":"ale-ws"}' });
    expect(await upgrade(port, '/', 'sci')).toMatchObject({ status: 409, body: '{"handler":"terminal"}' });
    // a terminal on /ws is still the terminal's (priority), as DESIGN §5 tells them apart by "sci"
    expect(await upgrade(port, '/ws?x=1', 'chat, sci')).toMatchObject({ status: 409 });
    expect(seen).toEqual(['ale-ws', 'terminal', 'terminal']);
  });

  it('register returns an unregister function and refuses duplicate names and malformed handlers', async () => {
    const handler = { name: 'h', matches: () => true, handle: (_r: IncomingMessage, s: import('node:stream').Duplex) => rejectUpgrade(s, 400, '{}') };
    const off = router.register(handler);
    expect(() => router.register(handler)).toThrow(TypeError);
    expect(() => router.register({ ...handler, name: '' })).toThrow(TypeError);
    expect(() => router.register({ ...handler, name: 'p', priority: Number.NaN })).toThrow(TypeError);
    expect((await upgrade(port, '/any')).status).toBe(400);
    off();
    expect(router.handlerNames()).toEqual([]);
    expect((await upgrade(port, '/any')).status).toBe(404);
  });

  it('answers 500 JSON when a handler throws, and the server keeps serving', async () => {
    router.register({ name: 'broken-match', matches: (req) => (upgradePath(req) === '/m' ? (() => { throw new Error('x'); })() : false), handle: () => undefined });
    router.register({ name: 'broken-handle', matches: (req) => upgradePath(req) === '/h', handle: () => { throw new Error('y'); } });
    expect(await upgrade(port, '/m')).toEqual({ status: 500, contentType: 'application/json', body: JSON.stringify(UPGRADE_FAILED_BODY) });
    expect((await upgrade(port, '/h')).status).toBe(500);
    expect((await upgrade(port, '/other')).status).toBe(404);
  });

  it('attach refuses a second server; detach stops routing', async () => {
    expect(() => router.attach(createServer())).toThrow(TypeError);
    router.attach(server); // same server: no-op
    expect(server.listenerCount('upgrade')).toBe(1);
    router.detach();
    expect(server.listenerCount('upgrade')).toBe(0);
  });
});

describe('upgrade matchers', () => {
  const req = (url: string, protocol?: string) =>
    ({ url, headers: protocol === undefined ? {} : { 'sec-websocket-protocol': protocol } }) as IncomingMessage;

  it('upgradePath drops the query', () => {
    expect(upgradePath(req('/sites/1/ws?sec-iv=x'))).toBe('/sites/1/ws');
    expect(upgradePath(req('/'))).toBe('/');
  });

  it('offeredSubprotocols splits and trims Sec-WebSocket-Protocol', () => {
    expect(offeredSubprotocols(req('/', ' sci , chat,,'))).toEqual(['sci', 'chat']);
    expect(offeredSubprotocols(req('/'))).toEqual([]);
    expect(offersSubprotocol(req('/', 'SCI'), 'sci')).toBe(false);
  });
});

describe('rejectUpgrade', () => {
  it('refuses a non-error status as a TypeError', () => {
    expect(() => rejectUpgrade({ destroyed: false } as never, 200, '{}')).toThrow(TypeError);
  });
});
