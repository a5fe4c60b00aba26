import { aleAad, aleDecrypt, aleEncrypt, deriveAleKey, encodeAleIv, generateAleIv, parseAleIv, type AleSuiteName } from '@pos-link/crypto';
import { loadVectors } from '@pos-link/crypto/testing';
import { GatewayError } from '../errors/gateway-error';
import { FakeKeySource } from '../testing/fake-key-source';
import { gatewayErrorCode } from '../testing/capture-gateway-error';
import { AleVerifier, type AleInput, type VerifiedAle } from './ale-verifier';
import { FailureBudget } from './failure-budget';
import { KeySelector } from './key-selector';
import { ReplayPolicy } from './replay-policy';
import { MemoryReplayStore, type ReplayStore } from './replay-store';
import { SiteResolver } from './site-resolver';

const NOW = 1_767_225_600_000;
const HOUR = 3_600_000;
const FP_A = 'b6e4b70983144e192bd7eea24c698f54';
const FP_B = '8ad8c9b0faedd4799805510a91578849';
const VALUE_A = 'secret';
const VALUE_B = '9f1c2a7e5b3d4c6a8e0f1b2c3d4e5f60';
const WINDOW = 30_000;

function setup(options: { window?: number; budget?: number; requireAuthorization?: boolean; replayStore?: ReplayStore } = {}) {
  const keys = new FakeKeySource([
    {
      siteId: 'vectors',
      keys: [
        { fingerprint: FP_A, value: VALUE_A, validAfter: NOW - HOUR, validUntil: NOW + HOUR },
        { fingerprint: FP_B, value: VALUE_B, validAfter: NOW - HOUR, validUntil: NOW + HOUR },
      ],
    },
    { siteId: 'other', keys: [{ fingerprint: 'fp-other', value: 'other', validAfter: NOW - HOUR, validUntil: NOW + HOUR }] },
    { siteId: 'plain', encryption: false },
  ]);
  const replayStore = options.replayStore ?? new MemoryReplayStore(() => NOW);
  const budget = new FailureBudget(options.budget ?? 100, () => NOW);
  const verifier = new AleVerifier({
    resolver: new SiteResolver(keys, undefined),
    selector: new KeySelector(keys, { skewMs: 60_000, graceMs: 60_000, refreshWaitMs: 0 }),
    replayPolicy: new ReplayPolicy(0, [`vectors=${options.window ?? 0}`]),
    replayStore,
    budget,
    suites: ['aes-256-gcm', 'aes-256-cbc'],
    requireAuthorization: options.requireAuthorization ?? false,
    clock: () => NOW,
  });
  return { keys, verifier, replayStore, budget };
}

interface Sealed {
  readonly input: AleInput;
  readonly iv: Buffer;
}

/** A request as a POS builds it with the crypto library. */
function request(options: { fp?: string; value?: string; suite?: AleSuiteName; plaintext?: Buffer; timestamp?: number; prefix?: string; json?: boolean } = {}): Sealed {
  const { fp = FP_A, value = VALUE_A, suite = 'aes-256-gcm', plaintext = Buffer.from('{"order":1}') } = options;
  const iv = generateAleIv(suite);
  const ts = options.timestamp === undefined ? undefined : String(options.timestamp);
  return {
    iv,
    input: {
      prefixSiteId: options.prefix,
      credentials: { fingerprint: fp, iv: encodeAleIv(iv), timestamp: ts, alg: suite },
      ciphertext: aleEncrypt(suite, deriveAleKey(value), iv, plaintext, aleAad(fp, ts)),
      declaresJson: options.json ?? true,
      hasAuthorization: false,
      source: '192.0.2.1',
    },
  };
}

const withInput = (sealed: Sealed, over: Partial<AleInput>): AleInput => ({ ...sealed.input, ...over });

describe('AleVerifier.verify', () => {
  it.each(loadVectors().ale.filter((v) => (v.fingerprint === FP_A && v.keyValue === VALUE_A) || (v.fingerprint === FP_B && v.keyValue === VALUE_B)))(
    'opens the known answer $suite $fingerprint to its plaintext',
    async (vector) => {
      const { verifier } = setup();
      const verified = (await verifier.verify({
        prefixSiteId: 'vectors',
        credentials: { fingerprint: vector.fingerprint, iv: vector.iv, timestamp: vector.timestamp ?? undefined, alg: vector.suite },
        ciphertext: vector.ciphertext,
        declaresJson: true,
        hasAuthorization: false,
        source: 'x',
      })) as VerifiedAle;
      expect(verified).toMatchObject({ encrypted: true, siteId: 'vectors', suite: vector.suite, fingerprint: vector.fingerprint });
      expect(verified.plaintext.toString('base64')).toBe(vector.plaintextB64);
    },
  );

  it('addresses by fingerprint when there is no prefix', async () => {
    const { verifier } = setup();
    expect(await verifier.verify(request({ fp: 'fp-other', value: 'other' }).input)).toMatchObject({ encrypted: true, siteId: 'other' });
  });

  it('returns a plaintext site as such, without looking at any sec-* field', async () => {
    const { verifier } = setup();
    expect(await verifier.verify(withInput(request(), { prefixSiteId: 'plain', credentials: { fingerprint: '', iv: 'x', timestamp: 'y', alg: 'z' } }))).toEqual({
      encrypted: false,
      siteId: 'plain',
    });
  });

  it('checks in the documented order: headers (1) before the key (2), the key site and validity (3) before decryption (2)', async () => {
    const { verifier, keys } = setup();
    const sealed = request({ prefix: 'vectors' });
    expect(await gatewayErrorCode(() => verifier.verify(withInput(sealed, { ciphertext: undefined, credentials: { ...sealed.input.credentials, fingerprint: 'unknown' } })))).toBe(
      'ERR_GATEWAY_BODY_MISSING',
    );
    expect(await gatewayErrorCode(() => verifier.verify(withInput(sealed, { credentials: { ...sealed.input.credentials, fingerprint: 'unknown', iv: 'short' } })))).toBe(
      'ERR_GATEWAY_IV_INVALID',
    );
    expect(keys.refreshes).toEqual([]);
    const foreign = request({ fp: 'fp-other', value: 'other', prefix: 'vectors' });
    expect(await gatewayErrorCode(() => verifier.verify(withInput(foreign, { ciphertext: 'not base64 at all' })))).toBe('ERR_GATEWAY_SITE_MISMATCH');
  });

  it('requires authorization when configured (errorCode 1)', async () => {
    const { verifier } = setup({ requireAuthorization: true });
    const sealed = request();
    expect(await gatewayErrorCode(() => verifier.verify(sealed.input))).toBe('ERR_GATEWAY_AUTHORIZATION_MISSING');
    expect(await verifier.verify(withInput(sealed, { hasAuthorization: true }))).toMatchObject({ encrypted: true });
  });

  describe('replay protection', () => {
    it('requires a timestamp where the window is on', async () => {
      const { verifier } = setup({ window: WINDOW });
      expect(await gatewayErrorCode(() => verifier.verify(request({ prefix: 'vectors' }).input))).toBe('ERR_GATEWAY_TIMESTAMP_MISSING');
      // by fingerprint: the site is known after the lookup
      expect(await gatewayErrorCode(() => verifier.verify(request().input))).toBe('ERR_GATEWAY_TIMESTAMP_MISSING');
    });

    it('records the pair once, after authentication, and refuses the replay', async () => {
      const { verifier, replayStore } = setup({ window: WINDOW });
      const sealed = request({ timestamp: NOW - 1000 });
      const forged = withInput(sealed, { ciphertext: request({ value: 'wrong', timestamp: NOW - 1000 }).input.ciphertext });
      expect(await gatewayErrorCode(() => verifier.verify(forged))).toBe('ERR_GATEWAY_DECRYPT_FAILED');
      expect((replayStore as MemoryReplayStore).size).toBe(0);
      await verifier.verify(sealed.input);
      expect((replayStore as MemoryReplayStore).size).toBe(1);
      expect(await gatewayErrorCode(() => verifier.verify(sealed.input))).toBe('ERR_GATEWAY_REPLAYED');
      const hexIv = withInput(sealed, { credentials: { ...sealed.input.credentials, iv: sealed.iv.toString('hex') } });
      expect(await gatewayErrorCode(() => verifier.verify(hexIv))).toBe('ERR_GATEWAY_REPLAYED');
    });

    it('runs the decryption before judging the window: a bad ciphertext out of the window is a decryption failure', async () => {
      const { verifier } = setup({ window: WINDOW });
      const stale = request({ timestamp: NOW - WINDOW - 1 });
      expect(await gatewayErrorCode(() => verifier.verify(stale.input))).toBe('ERR_GATEWAY_TIMESTAMP_OUT_OF_WINDOW');
      expect(await gatewayErrorCode(() => verifier.verify(withInput(stale, { ciphertext: `${stale.input.ciphertext!.slice(0, -4)}AAA=` })))).toBe(
        'ERR_GATEWAY_DECRYPT_FAILED',
      );
      expect(await verifier.verify(request({ timestamp: NOW + WINDOW }).input)).toMatchObject({ encrypted: true });
    });

    it('fails closed when the replay store cannot record', async () => {
      const broken: ReplayStore = { claim: async () => Promise.reject(new GatewayError('ERR_GATEWAY_REPLAY_STORE_UNAVAILABLE')) };
      const { verifier, budget } = setup({ window: WINDOW, replayStore: broken });
      expect(await gatewayErrorCode(() => verifier.verify(request({ timestamp: NOW }).input))).toBe('ERR_GATEWAY_REPLAY_STORE_UNAVAILABLE');
      expect(budget.isExhausted('192.0.2.1')).toBe(false);
    });
  });

  describe('CBC plaintext check (no integrity)', () => {
    it.each([
      ['invalid UTF-8', Buffer.from([0xc3, 0x28]), false, 'ERR_GATEWAY_PLAINTEXT_INVALID'],
      ['not JSON while the request says JSON', Buffer.from('order=1'), true, 'ERR_GATEWAY_PLAINTEXT_INVALID'],
    ] as const)('refuses %s like a bad padding (errorCode 2)', async (_case, plaintext, json, code) => {
      const { verifier } = setup();
      expect(await gatewayErrorCode(() => verifier.verify(request({ suite: 'aes-256-cbc', plaintext, json }).input))).toBe(code);
    });

    it('passes text that is not JSON when the request does not say JSON, and the empty plaintext', async () => {
      const { verifier } = setup();
      expect(await verifier.verify(request({ suite: 'aes-256-cbc', plaintext: Buffer.from('order=1'), json: false }).input)).toMatchObject({ encrypted: true });
      expect(await verifier.verify(request({ suite: 'aes-256-cbc', plaintext: Buffer.alloc(0), json: true }).input)).toMatchObject({ encrypted: true });
    });
  });

  it('spends the failure budget on errorCode 2 only, then answers 429 before any key work', async () => {
    const { verifier, keys } = setup({ budget: 2 });
    const sealed = request();
    await gatewayErrorCode(() => verifier.verify(withInput(sealed, { credentials: { ...sealed.input.credentials, iv: '' } })));
    await gatewayErrorCode(() => verifier.verify(request({ fp: 'fp-other', value: 'other', prefix: 'vectors' }).input));
    expect(await gatewayErrorCode(() => verifier.verify(request({ value: 'wrong' }).input))).toBe('ERR_GATEWAY_DECRYPT_FAILED');
    expect(await gatewayErrorCode(() => verifier.verify(request({ fp: 'unknown-fp' }).input))).toBe('ERR_GATEWAY_FINGERPRINT_UNKNOWN');
    const loads = keys.loads.length;
    expect(await gatewayErrorCode(() => verifier.verify(request().input))).toBe('ERR_GATEWAY_FAILURE_BUDGET_EXCEEDED');
    expect(keys.loads).toHaveLength(loads);
    expect(await verifier.verify(withInput(request(), { source: '192.0.2.2' }))).toMatchObject({ encrypted: true });
  });
});

describe('AleVerifier.seal', () => {
  it.each(['aes-256-gcm', 'aes-256-cbc'] as const)('seals an answer with the request key and suite, a fresh IV, AAD = fingerprint (%s)', async (suite) => {
    const { verifier } = setup();
    const verified = (await verifier.verify(request({ suite }).input)) as VerifiedAle;
    const answer = Buffer.from('{"ok":true}');
    const first = verifier.seal(verified, answer);
    const second = verifier.seal(verified, answer);
    expect(first.iv).not.toBe(second.iv);
    const opened = aleDecrypt(suite, deriveAleKey(VALUE_A), parseAleIv(suite, first.iv), first.ciphertext, aleAad(FP_A));
    expect(opened.toString()).toBe('{"ok":true}');
  });
});
