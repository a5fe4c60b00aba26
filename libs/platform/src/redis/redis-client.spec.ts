import { DEFAULT_REDIS_OPTIONS, redisConstructionFor } from './redis-client';
import { parseRedisUrl } from './redis-url';

// Construction only: no server is contacted (the real-Redis spec is test/redis-client-redis.spec.ts).
describe('redisConstructionFor', () => {
  it('redis:// → Redis with host, port, db, credentials and the defaults', () => {
    const built = redisConstructionFor(parseRedisUrl('redis://u:pw@h:6380/4'), { name: 'secure-gateway' });
    expect(built.kind).toBe('redis');
    expect(built.options).toMatchObject({
      ...DEFAULT_REDIS_OPTIONS,
      host: 'h',
      port: 6380,
      db: 4,
      username: 'u',
      password: 'pw',
      connectionName: 'secure-gateway',
    });
    expect(built.options).not.toHaveProperty('tls');
  });

  it('rediss:// → TLS with SNI for the host', () => {
    expect(redisConstructionFor(parseRedisUrl('rediss://cache.example'), { name: 'x' }).options).toMatchObject({
      tls: { servername: 'cache.example' },
    });
  });

  it('redis+sentinel:// → Redis with sentinels, master name and sentinel credentials', () => {
    const built = redisConstructionFor(
      parseRedisUrl('rediss+sentinel://:pw@h1:26379,h2:26380/mymaster/1?sentinelPassword=sp'),
      { name: 'key-sync' },
    );
    expect(built.kind).toBe('redis');
    expect(built.options).toMatchObject({
      sentinels: [
        { host: 'h1', port: 26379 },
        { host: 'h2', port: 26380 },
      ],
      name: 'mymaster',
      role: 'master',
      db: 1,
      password: 'pw',
      sentinelPassword: 'sp',
      enableTLSForSentinelMode: true,
      enableOfflineQueue: false,
    });
  });

  it('redis+cluster:// → Cluster with seed nodes; per-node options carry credentials, not the queue policy', () => {
    const built = redisConstructionFor(parseRedisUrl('redis+cluster://:pw@h1:6379,h2:6379'), { name: 'ingress' });
    if (built.kind !== 'cluster') throw new Error('expected a cluster construction');
    expect(built.nodes).toEqual([
      { host: 'h1', port: 6379 },
      { host: 'h2', port: 6379 },
    ]);
    expect(built.options).toMatchObject({ enableOfflineQueue: false, lazyConnect: false });
    expect(built.options.redisOptions).toMatchObject({ password: 'pw', connectionName: 'ingress', maxRetriesPerRequest: 1 });
    expect(built.options.redisOptions).not.toHaveProperty('enableOfflineQueue');
  });

  it('applies per-caller overrides last', () => {
    const built = redisConstructionFor(parseRedisUrl('redis://h'), { name: 'x', overrides: { enableOfflineQueue: true } });
    expect(built.options).toMatchObject({ enableOfflineQueue: true });
  });

  it('reconnects with doubling back-off, capped at 2 s and jittered down to half', () => {
    const delay = DEFAULT_REDIS_OPTIONS.retryStrategy;
    for (let attempt = 0; attempt < 40; attempt++) {
      const ceiling = Math.min(2000, 50 * 2 ** attempt);
      const ms = delay(attempt);
      expect(ms).toBeGreaterThanOrEqual(ceiling / 2);
      expect(ms).toBeLessThanOrEqual(ceiling);
    }
  });
});
