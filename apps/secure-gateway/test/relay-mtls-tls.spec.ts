import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import type { DeviceRetry, DeviceTlsOptions } from '@pos-link/device-sim';
import { buildSciXml } from '@pos-link/protocol';
import { SITE_A, SITE_B, startRelayWorld, type RelayGateway, type RelayWorld } from './support/relay-world';

// Integration (DESIGN §5): terminals over wss on TERMINAL_PORT with mutual TLS. Certificates are made with
// openssl for this run, in a temporary directory.

interface Pki {
  readonly dir: string;
  readonly ca: Buffer;
  /** PEM files by name: `<name>.crt` / `<name>.key`. */
  cert(name: string): { cert: Buffer; key: Buffer };
}

/** A CA, another CA, the gateway's certificate (127.0.0.1) and terminal certificates of several identities. */
function makePki(): Pki {
  const dir = mkdtempSync(path.join(tmpdir(), 'relay-pki-'));
  const run = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=pos-link terminal CA');
  run('req', '-x509', ...ec, '-keyout', 'other-ca.key', '-out', 'other-ca.crt', '-days', '1', '-subj', '/CN=another CA');
  const issue = (name: string, subject: string, san: string | undefined, ca = 'ca'): void => {
    run('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
    const ext: string[] = [];
    if (san !== undefined) {
      writeFileSync(path.join(dir, `${name}.ext`), `subjectAltName=${san}\n`);
      ext.push('-extfile', `${name}.ext`);
    }
    run('x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${name}.crt`, '-days', '1', ...ext);
  };
  issue('server', '/CN=localhost', 'IP:127.0.0.1,DNS:localhost');
  issue('t1', '/CN=T1', undefined);
  issue('t1-foreign', '/CN=T1', undefined, 'other-ca');
  issue('t9', '/CN=T9', undefined);
  issue('u1', '/CN=terminal-u1', 'URI:urn:poslink:site:site-b:pinpad:U1');
  issue('t2-conflict', '/CN=terminal-t2', 'URI:urn:poslink:site:site-b:pinpad:T2');
  const read = (file: string): Buffer => readFileSync(path.join(dir, file));
  return { dir, ca: read('ca.crt'), cert: (name) => ({ cert: read(`${name}.crt`), key: read(`${name}.key`) }) };
}

/** The HTTP answer to a refused handshake. */
async function refusal(url: string, pinpadId: string, tls: { ca?: Buffer; cert?: Buffer; key?: Buffer } = {}): Promise<{ status: number; body: string }> {
  const socket = new WebSocket(url, 'sci', { headers: { 'x-vfi-pinpad-id': pinpadId }, ...tls });
  return new Promise((resolve, reject) => {
    socket.once('open', () => reject(new Error('upgraded')));
    socket.once('error', () => undefined);
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
  });
}

const sale = (): string => buildSciXml('TRANSACTION', { FUNCTION_TYPE: 'PAYMENT', COMMAND: 'SALE', TRANS_AMOUNT: '10.00' });

describe('terminal relay over mutual TLS', () => {
  let pki: Pki;
  let world: RelayWorld;
  let gateway: RelayGateway;
  let url: string;

  beforeAll(async () => {
    pki = makePki();
    world = await startRelayWorld();
    gateway = await world.startGateway({
      TLS_CERT: path.join(pki.dir, 'server.crt'),
      TLS_KEY: path.join(pki.dir, 'server.key'),
      TERMINAL_TLS_CA: path.join(pki.dir, 'ca.crt'),
    });
    url = gateway.tlsTerminalUrl!;
  });
  afterAll(async () => {
    await world.close();
    rmSync(pki.dir, { recursive: true, force: true });
  });

  /** Starts a terminal, waits for its first failed attempt, stops it. */
  const firstRetry = async (pinpadId: string, tls: DeviceTlsOptions): Promise<DeviceRetry> => {
    const terminal = world.terminal({ url, pinpadId, tls });
    const retry = await new Promise<DeviceRetry>((resolve) => terminal.once('retry', resolve));
    await terminal.close();
    return retry;
  };

  it('accepts a terminal whose certificate (CN) names its pinpad id, and relays to it', async () => {
    const terminal = world.terminal({ url, pinpadId: 'T1', tls: { ca: pki.ca, ...pki.cert('t1') } });
    await gateway.terminalReady(SITE_A, 'T1');
    const answer = await world.postTransaction(gateway, SITE_A, 'T1', sale());
    expect(answer.status).toBe(200);
    expect(answer.fields).toMatchObject({ RESULT: 'APPROVED' });
    await terminal.close();
  });

  it('refuses a terminal without a client certificate in the TLS handshake', async () => {
    const before = await gateway.metric('poslink_relay_terminal_handshakes_total', { outcome: 'tls_failed' });
    const retry = await firstRetry('T1', { ca: pki.ca });
    expect(retry.reason).toBeDefined();
    expect(gateway.relay.isLocal(SITE_A, 'T1')).toBe(false);
    expect(await gateway.metric('poslink_relay_terminal_handshakes_total', { outcome: 'tls_failed' })).toBeGreaterThan(before);
  });

  it('refuses a certificate signed by another CA', async () => {
    const retry = await firstRetry('T1', { ca: pki.ca, ...pki.cert('t1-foreign') });
    expect(retry.reason).toBeDefined();
    expect(gateway.relay.isLocal(SITE_A, 'T1')).toBe(false);
  });

  it('refuses (403) a valid certificate that names another terminal than x-vfi-pinpad-id', async () => {
    expect(await refusal(url, 'T1', { ca: pki.ca, ...pki.cert('t9') })).toEqual({ status: 403, body: '{"error":"terminal_identity_mismatch"}' });
    const retry = await firstRetry('T1', { ca: pki.ca, ...pki.cert('t9') });
    expect(retry.reason).toBe('Unexpected server response: 403');
  });

  it("takes the site from the certificate's URI urn:poslink:site:<site>:pinpad:<id> when TERMINAL_SITES has none", async () => {
    const terminal = world.terminal({ url, pinpadId: 'U1', tls: { ca: pki.ca, ...pki.cert('u1') } });
    await gateway.terminalReady(SITE_B, 'U1');
    expect((await world.postTransaction(gateway, SITE_B, 'U1', sale())).fields).toMatchObject({ RESULT: 'APPROVED' });
    // A POS of site A cannot reach it, not even with the path of site B (errorCode 3: key of another site).
    const crossSite = await world.postTransaction(gateway, SITE_B, 'U1', sale(), { keySite: SITE_A });
    expect(crossSite.status).toBe(400);
    expect(crossSite.response.text).toBe('{"errorCode":3,"message":"Security credential mismatch"}');
    await terminal.close();
  });

  it('refuses (403) a certificate whose site disagrees with TERMINAL_SITES', async () => {
    expect(await refusal(url, 'T2', { ca: pki.ca, ...pki.cert('t2-conflict') })).toEqual({ status: 403, body: '{"error":"terminal_site_conflict"}' });
  });

  it('refuses (403) terminals on the plain HTTP port once terminal TLS is configured', async () => {
    expect(await refusal(gateway.terminalUrl, 'T1')).toEqual({ status: 403, body: '{"error":"terminal_tls_required"}' });
  });
});
