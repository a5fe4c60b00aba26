import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSciXml, parseSciDocument } from '@pos-link/protocol';
import { startDeviceSim, type DeviceRetry, type DeviceSim, type DeviceTlsOptions } from '../src/index';
import { startTerminalServer, type TerminalServer } from './support/terminal-server';

/** PEM files made with openssl for this run: a CA, a server certificate for 127.0.0.1, a client certificate CN=T1. */
interface Pki {
  readonly ca: Buffer;
  readonly serverCert: Buffer;
  readonly serverKey: Buffer;
  readonly clientCert: Buffer;
  readonly clientKey: Buffer;
  readonly otherCa: Buffer;
}

function makePki(dir: string): Pki {
  const run = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=pos-link test CA');
  run('req', '-x509', ...ec, '-keyout', 'other.key', '-out', 'other.crt', '-days', '1', '-subj', '/CN=another CA');
  writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  run('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '1', '-extfile', 'server.ext');
  run('req', ...ec, '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/CN=T1');
  run('x509', '-req', '-in', 'client.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'client.crt', '-days', '1');
  const read = (name: string): Buffer => readFileSync(path.join(dir, name));
  return {
    ca: read('ca.crt'),
    serverCert: read('server.crt'),
    serverKey: read('server.key'),
    clientCert: read('client.crt'),
    clientKey: read('client.key'),
    otherCa: read('other.crt'),
  };
}

describe('device-sim over wss with a client certificate (mutual TLS)', () => {
  let dir: string;
  let pki: Pki;
  let server: TerminalServer;
  let sim: DeviceSim | undefined;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'device-sim-pki-'));
    pki = makePki(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeEach(async () => {
    server = await startTerminalServer(0, {
      tls: { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, requestCert: true, rejectUnauthorized: true },
    });
  });
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
    await server.close();
  });

  const start = (tls: DeviceTlsOptions): DeviceSim => {
    sim = startDeviceSim({ url: `wss://127.0.0.1:${server.port}/`, pinpadId: 'T1', tls, backoff: { initialMs: 20, maxMs: 80 } });
    return sim;
  };

  it('connects with its client certificate, verifying the gateway against the CA, and answers over TLS', async () => {
    const next = server.nextConnection();
    start({ ca: pki.ca, cert: pki.clientCert, key: pki.clientKey });
    const connection = await next;
    await sim!.waitForStatus('connected');
    expect(connection.peerCn).toBe('T1');
    expect(connection.headers['x-vfi-pinpad-id']).toBe('T1');
    const answer = await connection.request(buildSciXml('TRANSACTION', { FUNCTION_TYPE: 'SESSION', COMMAND: 'START' }));
    expect(parseSciDocument(answer).fields['RESPONSE_TEXT']).toBe('Session Started');
  });

  it('keeps retrying, with the TLS failure as the reason, when it has no client certificate', async () => {
    const retry = new Promise<DeviceRetry>((resolve) => start({ ca: pki.ca }).once('retry', resolve));
    const { reason } = await retry;
    expect(reason).toBeDefined();
    expect(sim!.status).toBe('connecting');
    expect(server.connections).toEqual([]);
  });

  it('refuses a gateway certificate its CA did not sign', async () => {
    const retry = new Promise<DeviceRetry>((resolve) => start({ ca: pki.otherCa, cert: pki.clientCert, key: pki.clientKey }).once('retry', resolve));
    expect((await retry).reason).toMatch(/self[- ]signed|unable to verify|certificate/i);
    expect(server.connections).toEqual([]);
  });
});
