import { FakeKeySource } from '../testing/fake-key-source';
import { gatewayErrorCode } from '../testing/capture-gateway-error';
import { KeySelector } from './key-selector';

const NOW = 1_767_225_600_000;
const SKEW = 60_000;
const GRACE = 60_000;
const key = (fingerprint: string, validAfter = NOW - 1000, validUntil = NOW + 1000) => ({ fingerprint, value: `value of ${fingerprint}`, validAfter, validUntil });

function setup() {
  const keys = new FakeKeySource([
    { siteId: 'site-a', keys: [key('fp-a')] },
    { siteId: 'site-b', keys: [key('fp-b')] },
  ]);
  return { keys, selector: new KeySelector(keys, { skewMs: SKEW, graceMs: GRACE, refreshWaitMs: 100 }) };
}

describe('KeySelector', () => {
  it('finds a cached key without refreshing or touching the store', async () => {
    const { keys, selector } = setup();
    expect((await selector.select('fp-a', { prefixSiteId: 'site-a', refreshSiteId: 'site-a' }, () => NOW)).key.fingerprint).toBe('fp-a');
    expect(keys.refreshes).toEqual([]);
    expect(keys.loads).toEqual([]);
  });

  it('KeySelector.cached answers a cached key synchronously and undefined for an unknown one, without refreshing', () => {
    const { keys, selector } = setup();
    expect(selector.cached('fp-b')?.siteId).toBe('site-b');
    expect(selector.cached('fp-new')).toBeUndefined();
    expect(keys.refreshes).toEqual([]);
    expect(keys.loads).toEqual([]);
  });

  it('refreshes the addressed site once for an unknown fingerprint, then answers errorCode 2', async () => {
    const { keys, selector } = setup();
    expect(await gatewayErrorCode(() => selector.find('fp-new', 'site-a'))).toBe('ERR_GATEWAY_FINGERPRINT_UNKNOWN');
    expect(keys.refreshes).toEqual(['site-a']);
    expect(keys.loads).toEqual(['fp-new']);
  });

  it('does not refresh when no site is addressed, but still reads the store index once', async () => {
    const { keys, selector } = setup();
    expect(await gatewayErrorCode(() => selector.find('fp-new', undefined))).toBe('ERR_GATEWAY_FINGERPRINT_UNKNOWN');
    expect(keys.refreshes).toEqual([]);
    expect(keys.loads).toEqual(['fp-new']);
  });

  it('finds a key the refresh brought in (the Portal just rotated it in)', async () => {
    const { keys, selector } = setup();
    keys.arriveOnRefresh({ siteId: 'site-a', keys: [key('fp-a'), key('fp-new')] });
    expect((await selector.find('fp-new', 'site-a')).siteId).toBe('site-a');
    expect(keys.loads).toEqual([]);
  });

  it("refuses a key of another site than the prefix's with errorCode 3", async () => {
    const { selector } = setup();
    expect(await gatewayErrorCode(() => selector.select('fp-b', { prefixSiteId: 'site-a', refreshSiteId: 'site-a' }, () => NOW))).toBe(
      'ERR_GATEWAY_SITE_MISMATCH',
    );
  });

  it('applies the decrypt validity with skew and grace (DESIGN §2), boundaries included', async () => {
    const { keys, selector } = setup();
    keys.put({ siteId: 'site-c', keys: [key('fp-c', NOW, NOW + 10_000)] });
    const found = keys.lookup('fp-c')!;
    expect(() => selector.check(found, 'site-c', NOW - SKEW)).not.toThrow();
    expect(() => selector.check(found, 'site-c', NOW + 10_000 + GRACE - 1)).not.toThrow();
    expect(await gatewayErrorCode(() => selector.check(found, 'site-c', NOW - SKEW - 1))).toBe('ERR_GATEWAY_KEY_NOT_VALID');
    expect(await gatewayErrorCode(() => selector.check(found, 'site-c', NOW + 10_000 + GRACE))).toBe('ERR_GATEWAY_KEY_NOT_VALID');
  });
});
