import { IsString, MinLength } from 'class-validator';
import { EnvVar } from './env-var';
import { ServiceConfig } from './service-config';
import { IsIntInRange } from './validators';

/** DESIGN §8: the key-wrap secret must have at least 32 characters. */
export const MIN_WRAP_SECRET_CHARS = 32;

/** DESIGN §2: the default skew and grace around a key's validity window. */
export const DEFAULT_KEY_SKEW_MS = 60_000;
export const DEFAULT_KEY_GRACE_MS = 60_000;

/**
 * The variables of every service that handles Portal keys (key-sync, secure-gateway,
 * event-stream-ingress — DESIGN §8): the wrap secret and the validity skew and grace of DESIGN §2.
 * Declared once here so the three apps cannot drift apart on a rule they must share.
 */
export abstract class KeyedServiceConfig extends ServiceConfig {
  /** `KEY_WRAP_SECRET`. */
  @EnvVar({
    name: 'KEY_WRAP_SECRET',
    kind: 'string',
    secret: true,
    doc: 'Secret (at least 32 characters) from which the key that wraps key values at rest in Redis is derived.',
  })
  @IsString()
  @MinLength(MIN_WRAP_SECRET_CHARS)
  keyWrapSecret!: string;

  /** `KEY_SKEW_MS`. */
  @EnvVar({ name: 'KEY_SKEW_MS', kind: 'integer', doc: 'A key may decrypt this long before its valid_after (DESIGN §2).' })
  @IsIntInRange(0)
  keySkewMs = DEFAULT_KEY_SKEW_MS;

  /** `KEY_GRACE_MS`. */
  @EnvVar({
    name: 'KEY_GRACE_MS',
    kind: 'integer',
    doc: 'A key may decrypt this long after its valid_until; key-sync drops a key the Portal no longer lists once valid_until + grace has passed (DESIGN §2).',
  })
  @IsIntInRange(0)
  keyGraceMs = DEFAULT_KEY_GRACE_MS;
}
