/**
 * A tiny stand-in for the gateway's terminal endpoint (DESIGN §5): a `ws` server that echoes the `sci`
 * subprotocol, records each terminal connection and lets a test send SCI requests and read the answers.
 */
import { once } from 'node:events';
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions } from 'node:https';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import WebSocket, { WebSocketServer } from 'ws';

/** One terminal connection as the server sees it. */
export interface TerminalConnection {
  readonly socket: WebSocket;
  readonly headers: IncomingHttpHeaders;
  readonly protocol: string;
  /** The client certificate's CN under mutual TLS. */
  readonly peerCn: string | undefined;
  /** Sends a request and resolves with the next text message. */
  request(xml: string): Promise<string>;
}

export interface TerminalServer {
  readonly port: number;
  readonly connections: TerminalConnection[];
  /** Resolves with the next terminal connection. */
  nextConnection(): Promise<TerminalConnection>;
  close(): Promise<void>;
}

/** A port that was free a moment ago (for starting the terminal before the server exists). */
export async function freePort(): Promise<number> {
  const probe = createNetServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function wrap(socket: WebSocket, headers: IncomingHttpHeaders, peerCn: string | undefined): TerminalConnection {
  return {
    socket,
    headers,
    protocol: socket.protocol,
    peerCn,
    request: async (xml) => {
      const reply = once(socket, 'message');
      socket.send(xml);
      const [data] = (await reply) as [Buffer];
      return data.toString('utf8');
    },
  };
}

/**
 * Starts the server on `port` (0 = any). With `tls`, serves wss and (with `requestCert`) checks client
 * certificates. Refuses pinpad ids listed in `refuse` with 403.
 */
export async function startTerminalServer(port: number, options: { tls?: ServerOptions; refuse?: string[] } = {}): Promise<TerminalServer> {
  const server: Server = options.tls === undefined ? createHttpServer() : createHttpsServer(options.tls);
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (protocols.has('sci') ? 'sci' : false),
  });
  const connections: TerminalConnection[] = [];
  const waiting: Array<(c: TerminalConnection) => void> = [];
  server.on('upgrade', (req, socket, head) => {
    if ((options.refuse ?? []).includes(String(req.headers['x-vfi-pinpad-id']))) {
      socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const tlsSocket = req.socket as TLSSocket;
    const peerCn = typeof tlsSocket.getPeerCertificate === 'function' ? (tlsSocket.getPeerCertificate().subject?.CN as string | undefined) : undefined;
    wss.handleUpgrade(req, socket, head, (ws) => {
      const connection = wrap(ws, req.headers, peerCn);
      connections.push(connection);
      waiting.shift()?.(connection);
    });
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    connections,
    nextConnection: () => new Promise((resolve) => waiting.push(resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
