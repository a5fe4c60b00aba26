import { UpstreamTargets } from './upstream-target';

describe('UpstreamTargets', () => {
  it('replaces {site} in the path', () => {
    expect(new UpstreamTargets('http://kitchen:8080/sites/{site}/').target('store-1')).toEqual({ origin: 'http://kitchen:8080', basePath: '/sites/store-1' });
  });

  it('replaces {site} in the host: one pool per kitchen origin', () => {
    const targets = new UpstreamTargets('https://{site}.kitchen.example');
    expect(targets.target('store-1')).toEqual({ origin: 'https://store-1.kitchen.example', basePath: '' });
    expect(targets.target('store-2').origin).toBe('https://store-2.kitchen.example');
  });

  it('works without a placeholder (one kitchen for every site)', () => {
    expect(new UpstreamTargets('http://127.0.0.1:9000').target('a')).toEqual({ origin: 'http://127.0.0.1:9000', basePath: '' });
  });

  it.each(['not a url', 'ftp://kitchen/{site}', 'http://kitchen/{site}?x=1', 'http://kitchen/#f'])('refuses %s (TypeError)', (template) => {
    expect(() => new UpstreamTargets(template)).toThrow(TypeError);
  });
});
