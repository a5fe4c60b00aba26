import { FakeKeySource } from '../testing/fake-key-source';
import { gatewayErrorCode } from '../testing/capture-gateway-error';
import { SiteResolver } from './site-resolver';

const keys = new FakeKeySource([{ siteId: 'encrypted' }, { siteId: 'plain', encryption: false }]);

describe('SiteResolver.resolve (DESIGN §3 "Which site")', () => {
  it('uses the prefix first; the key must belong to it and its site is refreshed', () => {
    expect(new SiteResolver(keys, 'plain').resolve('encrypted', 'fp')).toEqual({
      kind: 'ale',
      prefixSiteId: 'encrypted',
      refreshSiteId: 'encrypted',
      siteId: 'encrypted',
    });
  });

  it('lets the fingerprint name the site without a prefix; an unknown one refreshes DEFAULT_SITE_ID', () => {
    expect(new SiteResolver(keys, 'encrypted').resolve(undefined, 'fp')).toEqual({
      kind: 'ale',
      prefixSiteId: undefined,
      refreshSiteId: 'encrypted',
      siteId: undefined,
    });
    expect(new SiteResolver(keys, undefined).resolve(undefined, 'fp')).toMatchObject({ refreshSiteId: undefined });
  });

  it('falls back to DEFAULT_SITE_ID when there is no fingerprint', () => {
    expect(new SiteResolver(keys, 'encrypted').resolve(undefined, undefined)).toMatchObject({ kind: 'ale', siteId: 'encrypted' });
    expect(new SiteResolver(keys, 'encrypted').resolve(undefined, '')).toMatchObject({ kind: 'ale', siteId: 'encrypted' });
  });

  it('forwards a plaintext site in plaintext, by prefix or by default, whatever sec-* headers came along', () => {
    expect(new SiteResolver(keys, undefined).resolve('plain', 'fp')).toEqual({ kind: 'plaintext', siteId: 'plain' });
    expect(new SiteResolver(keys, 'plain').resolve(undefined, undefined)).toEqual({ kind: 'plaintext', siteId: 'plain' });
  });

  it('treats a site it has no record of as encrypted (fail closed)', () => {
    expect(new SiteResolver(keys, undefined).resolve('unknown', undefined)).toMatchObject({ kind: 'ale', siteId: 'unknown' });
  });

  it('refuses a request that addresses nothing with errorCode 1', async () => {
    expect(await gatewayErrorCode(() => new SiteResolver(keys, undefined).resolve(undefined, undefined))).toBe('ERR_GATEWAY_SITE_UNADDRESSED');
    expect(await gatewayErrorCode(() => new SiteResolver(keys, '').resolve(undefined, ''))).toBe('ERR_GATEWAY_SITE_UNADDRESSED');
  });
});
