import { isGatewayError } from '../errors/gateway-error';
import { splitSitePath } from './site-path';

describe('splitSitePath', () => {
  it.each([
    ['/sites/42/order?table=4', '42', '/order?table=4'],
    ['/sites/store-1/a/b/', 'store-1', '/a/b/'],
    ['/sites/42', '42', '/'],
    ['/sites/42?x=1', '42', '/?x=1'],
    ['/sites/42/', '42', '/'],
    ['/order?x=/sites/1/', undefined, '/order?x=/sites/1/'],
    ['/', undefined, '/'],
    ['/sitesX/1/order', undefined, '/sitesX/1/order'],
  ])('%s → site %s, forwards %s', (target, siteId, forwardPath) => {
    expect(splitSitePath(target)).toEqual({ siteId, forwardPath });
  });

  it.each(['/sites//order', '/sites/%34%32/order', '/sites/-bad/order', '*', 'http://host/sites/1/x'])('refuses %s with errorCode 1', (target) => {
    let error: unknown;
    try {
      splitSitePath(target);
    } catch (caught) {
      error = caught;
    }
    expect(isGatewayError(error, 'ERR_GATEWAY_SITE_UNADDRESSED')).toBe(true);
  });
});
