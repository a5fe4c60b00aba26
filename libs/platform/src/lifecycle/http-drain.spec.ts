import type { HttpAdapterHost } from '@nestjs/core';
import { Agent, createServer, request, type IncomingMessage } from 'node:http';
import { once } from 'node:events';
import { IdleConnectionReaper } from './http-drain';

function adapterHostFor(server: unknown): HttpAdapterHost {
  return { httpAdapter: { getHttpServer: () => server } } as unknown as HttpAdapterHost;
}

describe('IdleConnectionReaper', () => {
  it('closes a keep-alive connection once its in-flight request is answered, so server.close() finishes', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered: () => void = () => undefined;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    const server = createServer((_req, res) => {
      entered();
      void held.then(() => res.end('done'));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    const agent = new Agent({ keepAlive: true });
    const answered = new Promise<IncomingMessage>((resolve) => request({ port, host: '127.0.0.1', agent }, resolve).end());
    await inHandler;

    const reaper = new IdleConnectionReaper(adapterHostFor(server));
    reaper.beforeApplicationShutdown();
    const closed = once(server, 'close');
    server.close(); // the connection is busy: close() alone would wait for the keep-alive timeout
    release();
    const response = await answered;
    response.resume();
    await closed;
    reaper.onApplicationShutdown();
    agent.destroy();
    expect(response.statusCode).toBe(200);
  });

  it('does nothing for an app without an HTTP server (application contexts)', () => {
    const reaper = new IdleConnectionReaper(adapterHostFor(undefined));
    expect(() => reaper.beforeApplicationShutdown()).not.toThrow();
    reaper.onApplicationShutdown();
  });
});
