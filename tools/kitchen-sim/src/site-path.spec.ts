import { splitSitePath, wsSite } from './site-path';

describe('splitSitePath', () => {
  it('takes the site from a /sites/{site} prefix and strips it from the route', () => {
    expect(splitSitePath('/sites/42/order', {})).toEqual({ site: '42', siteSource: 'path', route: '/order' });
    expect(splitSitePath('/sites/store%201/a/b', { 'x-site-id': 'other' })).toEqual({
      site: 'store 1',
      siteSource: 'path',
      route: '/a/b',
    });
    expect(splitSitePath('/sites/42', {})).toEqual({ site: '42', siteSource: 'path', route: '/' });
  });

  it('falls back to x-site-id, keeping the whole path as the route', () => {
    expect(splitSitePath('/order', { 'x-site-id': '7' })).toEqual({ site: '7', siteSource: 'header', route: '/order' });
  });

  it('has no site without prefix or header', () => {
    expect(splitSitePath('/alert', {})).toEqual({ site: null, siteSource: null, route: '/alert' });
    expect(splitSitePath('/sites', {})).toEqual({ site: null, siteSource: null, route: '/sites' });
  });

  it('records a malformed escape as sent', () => {
    expect(splitSitePath('/sites/%E0%A4%A/order', {}).site).toBe('%E0%A4%A');
  });
});

describe('wsSite', () => {
  const none = new URLSearchParams();
  it('reads /ws/{site} and /sites/{site}/ws', () => {
    expect(wsSite('/ws/42', none, {})).toBe('42');
    expect(wsSite('/sites/42/ws', none, {})).toBe('42');
  });

  it('reads /ws with x-site-id or ?site=, else null', () => {
    expect(wsSite('/ws', none, { 'x-site-id': '9' })).toBe('9');
    expect(wsSite('/ws', new URLSearchParams('site=8'), {})).toBe('8');
    expect(wsSite('/ws', none, {})).toBeNull();
  });

  it('refuses other paths', () => {
    expect(wsSite('/', none, {})).toBeUndefined();
    expect(wsSite('/order', none, {})).toBeUndefined();
    expect(wsSite('/ws/1/2', none, {})).toBeUndefined();
  });
});
