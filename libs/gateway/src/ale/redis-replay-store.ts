import type { RedisClient, RedisKeys } from '@pos-link/platform';
import { GatewayError } from '../errors/gateway-error';
import type { ReplayStore } from './replay-store';

/** Fingerprints safe to use verbatim in a key part (no braces, which would change the Cluster hash slot). */
const PLAIN_FINGERPRINT = /^[A-Za-z0-9._~-]+$/;

/**
 * The Redis {@link ReplayStore}: one `SET <key> 1 PX <window> NX` per accepted request, under the site's
 * hash tag (DESIGN §2/§3): `<prefix>:{site:<id>}:ale-replay:<fingerprint>:<iv base64url>`. A fingerprint
 * with other characters is written `b64.<base64url>`. Any Redis failure (down, offline queue off) is
 * `ERR_GATEWAY_REPLAY_STORE_UNAVAILABLE`: the caller refuses the request (fail closed).
 */
export class RedisReplayStore implements ReplayStore {
  readonly #redis: RedisClient;
  readonly #keys: RedisKeys;

  /**
   * @param redis the app's command connection (not owned)
   * @param keys the app's key builder (`REDIS_PREFIX`)
   */
  constructor(redis: RedisClient, keys: RedisKeys) {
    this.#redis = redis;
    this.#keys = keys;
  }

  /** The Redis key of a pair (exported for tests and the layout docs). */
  keyOf(siteId: string, fingerprint: string, iv: Buffer): string {
    const fp = PLAIN_FINGERPRINT.test(fingerprint) ? fingerprint : `b64.${Buffer.from(fingerprint).toString('base64url')}`;
    return this.#keys.site(siteId, 'ale-replay', fp, iv.toString('base64url'));
  }

  /** {@inheritDoc ReplayStore.claim} */
  async claim(siteId: string, fingerprint: string, iv: Buffer, ttlMs: number): Promise<boolean> {
    let reply: string | null;
    try {
      reply = await this.#redis.set(this.keyOf(siteId, fingerprint, iv), '1', 'PX', ttlMs, 'NX');
    } catch (error) {
      throw new GatewayError('ERR_GATEWAY_REPLAY_STORE_UNAVAILABLE', { cause: error });
    }
    return reply === 'OK';
  }
}
