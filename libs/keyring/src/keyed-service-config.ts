import { WRAP_SECRET_MIN_CHARS } from '@pos-link/crypto';
import { EnvVar, IsIntInRange, ServiceConfig } from '@pos-link/platform';
import { IsString, MinLength } from 'class-validator';
import { DEFAULT_GRACE_MS, DEFAULT_SKEW_MS } from './validity';

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
  @MinLength(WRAP_SECRET_MIN_CHARS) // DESIGN §8: what deriveWrapKey accepts
  keyWrapSecret!: string;

  /** `KEY_SKEW_MS`. */
  @EnvVar({ name: 'KEY_SKEW_MS', kind: 'integer', doc: 'A key may decrypt this long before its valid_after (DESIGN §2).' })
  @IsIntInRange(0)
  keySkewMs = DEFAULT_SKEW_MS;

  /** `KEY_GRACE_MS`. */
  @EnvVar({
    name: 'KEY_GRACE_MS',
    kind: 'integer',
    doc: 'A key may decrypt this long after its valid_until; key-sync drops a key the Portal no longer lists once valid_until + grace has passed (DESIGN §2).',
  })
  @IsIntInRange(0)
  keyGraceMs = DEFAULT_GRACE_MS;
}
