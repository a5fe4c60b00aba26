import { pesRedisKeys } from './redis-keys';

describe('pesRedisKeys', () => {
  it('puts the stream and dedupe keys of a site under its {site:<id>} hash tag (DESIGN §8)', () => {
    expect(pesRedisKeys('poslink', '42')).toEqual({
      stream: 'poslink:{site:42}:pes:events',
      dedupePrefix: 'poslink:{site:42}:pes:msg:',
    });
  });

  it('refuses braces that would move the hash slot', () => {
    expect(() => pesRedisKeys('poslink', 'a}b')).toThrow(TypeError);
    expect(() => pesRedisKeys('pos{link', '1')).toThrow(TypeError);
  });
});
