import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { gatewayErrorCode } from '../testing/capture-gateway-error';
import { readBody } from './read-body';

describe('readBody', () => {
  let server: Server;
  let url: string;
  let results: Array<Promise<Buffer | undefined>>;

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      const read = readBody(req, 16);
      results.push(read);
      read.then(
        (body) => res.end(body === undefined ? 'gone' : `len=${body.length}`),
        () => {
          res.writeHead(413, { connection: 'close' });
          res.end();
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => (results = []));
  afterAll(async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  });

  it('reads a body up to the cap, and an absent body as empty', async () => {
    expect(await (await request(url, { method: 'POST', body: 'x'.repeat(16) })).body.text()).toBe('len=16');
    expect(await (await request(url, { method: 'GET' })).body.text()).toBe('len=0');
  });

  it('refuses a declared length over the cap before reading', async () => {
    expect((await request(url, { method: 'POST', body: 'x'.repeat(17) })).statusCode).toBe(413);
    expect(await gatewayErrorCode(() => results[0])).toBe('ERR_GATEWAY_BODY_TOO_LARGE');
  });

  it('refuses a chunked body once it passes the cap', async () => {
    async function* chunks(): AsyncGenerator<Buffer> {
      for (let i = 0; i < 4; i++) yield Buffer.alloc(8);
    }
    expect((await request(url, { method: 'POST', body: Readable.from(chunks()) })).statusCode).toBe(413);
  });

  it('resolves undefined when the client goes away mid-body', async () => {
    const { port } = new URL(url);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('POST / HTTP/1.1\r\nHost: x\r\ncontent-length: 10\r\n\r\nabc');
    while (results.length === 0) await new Promise((resolve) => setImmediate(resolve));
    socket.destroy();
    expect(await results[0]).toBeUndefined();
  });
});
