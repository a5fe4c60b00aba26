/**
 * A tiny stand-in for the gateway's ALE edge, written straight on `@pos-link/crypto` (not on the client
 * under test) so the wire form is checked independently: it decrypts each request per DESIGN §3 and
 * answers with the plaintext echoed, re-encrypted under a fresh IV (AAD = fingerprint).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { aleAad, aleDecrypt, aleEncrypt, deriveAleKey, encodeAleIv, generateAleIv, isAleSuiteName, parseAleIv } from '@pos-link/crypto';
import { ALE_ERROR_BODIES, GATEWAY_ERROR_BODIES } from '@pos-link/protocol';

/** What the echo gateway saw. */
export interface EchoedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** The body on the wire (base64 ciphertext). */
  readonly wire: string;
  /** The decrypted plaintext. */
  readonly plaintext: string;
}

/** A running echo gateway. */
export interface EchoGateway {
  readonly url: string;
  readonly requests: EchoedRequest[];
  /** Answer under this fingerprint instead of the request's (rotation / wrong-key tests). */
  answerWith: string | undefined;
  close(): Promise<void>;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Starts the echo gateway. Routes: `/empty` → 204; `/gateway-error` → 502 plaintext; anything else →
 * 200 with `{"method","url","echo":<plaintext>}` encrypted. Unknown fingerprint or failed decryption →
 * 400 with the seed's errorCode 2 body.
 */
export async function startEchoGateway(keyValues: Readonly<Record<string, string>>): Promise<EchoGateway> {
  const keys = new Map(Object.entries(keyValues).map(([fp, value]) => [fp, deriveAleKey(value)]));
  const state: EchoGateway = { url: '', requests: [], answerWith: undefined, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const wire = Buffer.concat(chunks).toString('utf8');
      const fingerprint = header(req.headers, 'sec-fingerprint') ?? '';
      const suite = header(req.headers, 'sec-alg') ?? 'aes-256-gcm';
      const key = keys.get(fingerprint);
      const fail = (): void => {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(ALE_ERROR_BODIES[2]);
      };
      if (key === undefined || !isAleSuiteName(suite)) return fail();
      let plaintext: string;
      try {
        const iv = parseAleIv(suite, header(req.headers, 'sec-iv') ?? '');
        plaintext = aleDecrypt(suite, key, iv, wire, aleAad(fingerprint, header(req.headers, 'sec-timestamp'))).toString('utf8');
      } catch {
        return fail();
      }
      state.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, wire, plaintext });
      if (req.url === '/empty') {
        res.writeHead(204);
        return res.end();
      }
      if (req.url === '/gateway-error') {
        res.writeHead(502, { 'content-type': 'application/json' });
        return res.end(GATEWAY_ERROR_BODIES.upstream_unavailable.body);
      }
      const answerFp = state.answerWith ?? fingerprint;
      const answerKey = keys.get(answerFp) ?? deriveAleKey('a key the client does not hold');
      const iv = generateAleIv(suite);
      const answer = JSON.stringify({ method: req.method, url: req.url, echo: plaintext });
      res.writeHead(200, {
        'content-type': 'text/plain',
        'sec-fingerprint': answerFp,
        'sec-iv': encodeAleIv(iv),
        'sec-alg': suite,
        'sec-content-type': 'application/json',
      });
      res.end(aleEncrypt(suite, answerKey, iv, Buffer.from(answer, 'utf8'), aleAad(answerFp)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(state, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}
