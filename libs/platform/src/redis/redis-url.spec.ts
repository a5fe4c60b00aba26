import { PLATFORM_ERROR_CODES } from '../errors/platform-error-codes';
import { PlatformError } from '../errors/platform-error';
import { parseRedisUrl } from './redis-url';

describe('parseRedisUrl', () => {
  it('redis://host:port/db', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6380/3')).toEqual({
      mode: 'standalone',
      tls: false,
      node: { host: '127.0.0.1', port: 6380 },
      db: 3,
    });
  });

  it('rediss:// with user, percent-encoded password, default port and db 0', () => {
    expect(parseRedisUrl('rediss://app:p%40ss%3Aword@cache.example')).toEqual({
      mode: 'standalone',
      tls: true,
      username: 'app',
      password: 'p@ss:word',
      node: { host: 'cache.example', port: 6379 },
      db: 0,
    });
  });

  it('password only (`:pw@`) and IPv6 hosts', () => {
    expect(parseRedisUrl('redis://:pw@[::1]:7000')).toMatchObject({ password: 'pw', node: { host: '::1', port: 7000 } });
    expect(parseRedisUrl('redis://:pw@[::1]')).not.toHaveProperty('username');
  });

  it('redis+sentinel://h1:26379,h2/mymaster with default sentinel port', () => {
    expect(parseRedisUrl('redis+sentinel://h1:26379,h2/mymaster')).toEqual({
      mode: 'sentinel',
      tls: false,
      sentinels: [
        { host: 'h1', port: 26379 },
        { host: 'h2', port: 26379 },
      ],
      masterName: 'mymaster',
      db: 0,
    });
  });

  it('rediss+sentinel:// with master credentials, db and sentinel credentials in the query', () => {
    expect(
      parseRedisUrl('rediss+sentinel://u:pw@s1:5000,s2:5001/main/2?sentinelPassword=sp&sentinelUsername=su'),
    ).toEqual({
      mode: 'sentinel',
      tls: true,
      username: 'u',
      password: 'pw',
      sentinels: [
        { host: 's1', port: 5000 },
        { host: 's2', port: 5001 },
      ],
      masterName: 'main',
      db: 2,
      sentinelUsername: 'su',
      sentinelPassword: 'sp',
    });
  });

  it('redis+cluster://h1:6379,h2:6379', () => {
    expect(parseRedisUrl('redis+cluster://:pw@h1:6379,h2:6380,h3')).toEqual({
      mode: 'cluster',
      tls: false,
      password: 'pw',
      nodes: [
        { host: 'h1', port: 6379 },
        { host: 'h2', port: 6380 },
        { host: 'h3', port: 6379 },
      ],
    });
    expect(parseRedisUrl('rediss+cluster://h1')).toMatchObject({ mode: 'cluster', tls: true });
  });

  it.each([
    ['http://h', 'expected redis://, rediss://, redis+sentinel:// or redis+cluster://'],
    ['redis://', 'no host'],
    ['redis://h1,h2', 'a redis:// URL names one host (use redis+cluster:// or redis+sentinel://)'],
    ['redis://h:99999', 'a port is outside 1..65535'],
    ['redis://h:0', 'a port is outside 1..65535'],
    ['redis://h/x', 'the database index must be a non-negative integer'],
    ['redis://h/1/2', 'the path must be /db'],
    ['redis://h?db=1', 'unknown query parameter "db"'],
    ['redis+sentinel://h1', 'a Sentinel URL needs /masterName[/db]'],
    ['redis+cluster://h1/0', 'a Cluster URL has no path (Cluster has only database 0)'],
    ['redis://h:x', 'a host entry is malformed'],
    ['redis://:%E0%A4%A@h', 'password is not valid percent-encoding'],
  ])('refuses %s: %s', (url, reason) => {
    let error: unknown;
    try {
      parseRedisUrl(url);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PlatformError);
    expect((error as PlatformError).code).toBe(PLATFORM_ERROR_CODES.ERR_PLATFORM_REDIS_URL_INVALID);
    expect((error as PlatformError).message).toBe(`invalid Redis URL: ${reason}`);
  });

  it('never repeats the URL (or its password) in an error', () => {
    expect(() => parseRedisUrl('redis://:topsecretpw@h1,h2')).toThrow(/^(?!.*topsecretpw)/s);
  });
});
