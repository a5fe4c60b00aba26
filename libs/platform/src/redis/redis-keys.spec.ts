import { RedisKeys } from './redis-keys';

describe('RedisKeys', () => {
  const keys = new RedisKeys('poslink');

  it('site(): <prefix>:{site:<id>}:<suffix> — one hash tag per site (DESIGN §2/§8)', () => {
    expect(keys.site('42', 'pes', 'events')).toBe('poslink:{site:42}:pes:events');
    expect(keys.site('store-7', 'keys')).toBe('poslink:{site:store-7}:keys');
  });

  it('global(): <prefix>:<suffix> for keys and channels of no single site', () => {
    expect(keys.global('keys', 'changed')).toBe('poslink:keys:changed');
  });

  it('refuses braces (they would move the hash slot) and empty parts', () => {
    expect(() => new RedisKeys('a{b}')).toThrow(TypeError);
    expect(() => new RedisKeys('')).toThrow(TypeError);
    expect(() => keys.site('x}y', 'k')).toThrow(TypeError);
    expect(() => keys.site('', 'k')).toThrow(TypeError);
    expect(() => keys.site('s', '')).toThrow(TypeError);
    expect(() => keys.global()).toThrow(TypeError);
  });
});
