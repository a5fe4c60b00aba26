/**
 * A tiny stand-in for the gateway's ALE WebSocket (DESIGN §4), written straight on `@pos-link/crypto` and
 * `@pos-link/protocol` so the client's wire form is checked independently. On connect it sends the
 * encrypted heartbeat `isAlive?`; it answers each message with `{"echo":<plaintext>}` under the key the
 * client last used; the plaintext `garbage please` makes it send a frame that is not an envelope.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { aleAad, aleDecrypt, aleEncrypt, deriveAleKey, encodeAleIv, generateAleIv, isAleSuiteName, parseAleIv } from '@pos-link/crypto';
import { ALE_ERROR_BODIES, buildAleWsEnvelope, parseAleWsEnvelope } from '@pos-link/protocol';
import { WebSocketServer } from 'ws';

/** One accepted upgrade. */
export interface SeenUpgrade {
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

/** A running echo WebSocket gateway. */
export interface EchoWsGateway {
  readonly url: string;
  readonly upgrades: SeenUpgrade[];
  /** Every decrypted message with the envelope it came in. */
  readonly messages: Array<{ plaintext: string; envelope: ReturnType<typeof parseAleWsEnvelope> }>;
  close(): Promise<void>;
}

export async function startEchoWsGateway(keyValues: Readonly<Record<string, string>>): Promise<EchoWsGateway> {
  const keys = new Map(Object.entries(keyValues).map(([fp, value]) => [fp, deriveAleKey(value)]));
  const upgrades: SeenUpgrade[] = [];
  const messages: EchoWsGateway['messages'] = [];
  const wss = new WebSocketServer({ noServer: true });
  const server: Server = createServer();
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const field = (name: string): string => {
      const h = req.headers[name];
      return (Array.isArray(h) ? h[0] : h) ?? url.searchParams.get(name) ?? '';
    };
    const suite = field('sec-alg') || 'aes-256-gcm';
    const refuse = (code: 1 | 2): void => {
      const body = ALE_ERROR_BODIES[code];
      socket.end(`HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`);
    };
    if (!isAleSuiteName(suite)) return refuse(1);
    try {
      parseAleIv(suite, field('sec-iv'));
    } catch {
      return refuse(1);
    }
    let lastFp = field('sec-fingerprint');
    if (!keys.has(lastFp)) return refuse(2);
    upgrades.push({ url: req.url ?? '', headers: req.headers });
    wss.handleUpgrade(req, socket, head, (ws) => {
      const seal = (plaintext: string): string => {
        const iv = generateAleIv(suite);
        const message = aleEncrypt(suite, keys.get(lastFp)!, iv, Buffer.from(plaintext), aleAad(lastFp));
        return buildAleWsEnvelope({ iv: encodeAleIv(iv), fingerprint: lastFp, message });
      };
      ws.send(seal('isAlive?'));
      ws.on('message', (data) => {
        const envelope = parseAleWsEnvelope(data.toString());
        const key = keys.get(envelope.fingerprint);
        if (key === undefined) return ws.close(1008, 'Unable to decrypt payload');
        let plaintext: string;
        try {
          const iv = parseAleIv(suite, envelope.iv);
          plaintext = aleDecrypt(suite, key, iv, envelope.message, aleAad(envelope.fingerprint, envelope.ts)).toString('utf8');
        } catch {
          return ws.close(1008, 'Unable to decrypt payload');
        }
        lastFp = envelope.fingerprint;
        messages.push({ plaintext, envelope });
        ws.send(plaintext === 'garbage please' ? 'not an envelope' : seal(JSON.stringify({ echo: plaintext })));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    upgrades,
    messages,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
