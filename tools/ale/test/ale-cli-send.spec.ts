import { main } from '../src/cli';
import { memoryIo } from './support/cli-io';
import { startEchoGateway, type EchoGateway } from './support/echo-gateway';
import { SEED_SECURITY, startSeedPortal, type SeedPortal } from './support/seed-portal';

const FP = 'b6e4b70983144e192bd7eea24c698f54';
const FP2 = '8ad8c9b0faedd4799805510a91578849';
const KEY = ['--key-value', 'secret', '--fingerprint', FP];
/** Inside the seed's overlap: both keys valid, the second has the latest valid_after. */
const IN_OVERLAP = Date.UTC(2024, 6, 5);

describe('ale send (CLI) against an echo gateway', () => {
  let gateway: EchoGateway;

  beforeEach(async () => {
    gateway = await startEchoGateway({ [FP]: 'secret', [FP2]: 'secret' });
  });
  afterEach(async () => gateway.close());

  it('encrypts, sends, decrypts and prints "HTTP <status>" and the plaintext; exit 0', async () => {
    const io = memoryIo();
    expect(await main(['send', ...KEY, '--url', `${gateway.url}/order?x=1`, '--data', '{"a":1}'], io)).toBe(0);
    expect(io.out()).toBe('HTTP 200\n{"method":"POST","url":"/order?x=1","echo":"{\\"a\\":1}"}\n');
    expect(gateway.requests[0]!.headers['content-type']).toBe('application/json');
  });

  it('sends method, headers, authorization and the site prefix; an empty body is still encrypted', async () => {
    const io = memoryIo();
    const argv = ['send', ...KEY, '--url', `${gateway.url}/menu`, '--method', 'GET', '--site', '42', '--site-prefix'];
    argv.push('--header', 'x-trace: 7', '--authorization', 'Bearer pos', '--timestamp');
    expect(await main(argv, memoryIo({ now: () => 1767225600001 }))).toBe(0);
    expect(await main(['send', ...KEY, '--url', `${gateway.url}/menu`, '--data', '-'], memoryIo({ stdin: 'from stdin' }))).toBe(0);
    const [first, second] = gateway.requests;
    expect(first).toMatchObject({ method: 'GET', url: '/sites/42/menu', plaintext: '' });
    expect(first!.headers).toMatchObject({ 'x-trace': '7', authorization: 'Bearer pos', 'sec-timestamp': '1767225600001' });
    expect(second!.plaintext).toBe('from stdin');
    expect(io.out()).toBe('');
  });

  it('prints a plaintext error answer as it is and exits 1', async () => {
    const io = memoryIo();
    expect(await main(['send', '--key-value', 'wrong', '--fingerprint', FP, '--url', `${gateway.url}/order`, '--data', '{}'], io)).toBe(1);
    expect(io.out()).toBe('HTTP 400\n{"errorCode":2,"message":"Unable to decrypt payload"}\n');
  });

  it('--verbose prints the answer headers', async () => {
    const io = memoryIo();
    expect(await main(['send', ...KEY, '--url', `${gateway.url}/order`, '--data', '{}', '--verbose'], io)).toBe(0);
    expect(io.out()).toMatch(/^HTTP 200\n(.+\n)*sec-fingerprint: b6e4b70983144e192bd7eea24c698f54\n(.+\n)*sec-content-type: application\/json\n(.+\n)*\n\{/);
  });

  it('exits 1 when the gateway cannot be reached', async () => {
    const io = memoryIo();
    const url = gateway.url;
    await gateway.close();
    expect(await main(['send', ...KEY, '--url', `${url}/order`], io)).toBe(1);
    expect(io.err()).toMatch(/^ale: /);
    gateway = await startEchoGateway({}); // afterEach closes this one
  });

  describe('with keys from the Portal', () => {
    let portal: SeedPortal;
    const viaPortal = (extra: string[] = []): string[] => ['--portal', portal.url, '--site', 'store-1', ...extra];

    beforeEach(async () => {
      portal = await startSeedPortal('Bearer portal');
    });
    afterEach(async () => portal.close());

    it('reads the seed object (three-digit seconds) and encrypts under the key with the latest valid_after', async () => {
      const io = memoryIo({ env: { PORTAL_AUTH: 'Bearer portal' }, now: () => IN_OVERLAP });
      expect(await main(['send', ...viaPortal(), '--url', `${gateway.url}/order`, '--data', '{}'], io)).toBe(0);
      expect(gateway.requests[0]!.headers['sec-fingerprint']).toBe(FP2);
      expect(portal.seen[0]!.authorization).toBe('Bearer portal');
    });

    it('uses a listed key named by --fingerprint, and before the overlap the only valid one', async () => {
      const io = memoryIo({ now: () => IN_OVERLAP });
      expect(await main(['send', ...viaPortal(['--portal-auth', 'Bearer portal', '--fingerprint', FP]), '--url', `${gateway.url}/o`], io)).toBe(0);
      const early = memoryIo({ now: () => Date.UTC(2024, 5, 20) });
      expect(await main(['send', ...viaPortal(['--portal-auth', 'Bearer portal']), '--url', `${gateway.url}/o`], early)).toBe(0);
      expect(gateway.requests.map((r) => r.headers['sec-fingerprint'])).toEqual([FP, FP]);
    });

    it.each([
      ['a wrong Authorization', { auth: 'Bearer nope' }, 'ERR_ALE_CLIENT_PORTAL_UNAVAILABLE: The Portal could not be reached or did not answer 200 (status 401)'],
      ['encryption off', { security: { XKM: { encryption: false } } }, 'ERR_ALE_CLIENT_ENCRYPTION_OFF'],
      ['no key valid now', { now: Date.UTC(2025, 0, 1) }, 'ERR_ALE_CLIENT_NO_VALID_KEY'],
      [
        'three keys',
        { security: { XKM: { ...SEED_SECURITY.XKM, keys: [...SEED_SECURITY.XKM.keys, { ...SEED_SECURITY.XKM.keys[0], fingerprint: 'x' }] } } },
        'ERR_ALE_CLIENT_PORTAL_SITE_INVALID: The Portal site object is invalid [ERR_KEYRING_SITE_TOO_MANY_KEYS]',
      ],
    ])('exits 1 naming the cause when the Portal gives %s', async (_name, change: { auth?: string; security?: unknown; now?: number }, message) => {
      if (change.security !== undefined) portal.security = change.security;
      const io = memoryIo({ now: () => change.now ?? IN_OVERLAP });
      const argv = ['encrypt', ...viaPortal(['--portal-auth', change.auth ?? 'Bearer portal']), '--data', '{}'];
      expect(await main(argv, io)).toBe(1);
      expect(io.err()).toContain(message);
      expect(io.err()).not.toContain('secret');
    });
  });
});
