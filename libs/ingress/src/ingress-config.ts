import { IsIn, IsString, Matches, MinLength } from 'class-validator';
import { EnvVar, IsIntInRange, IsPort } from '@pos-link/platform';
import { KeyedServiceConfig } from '@pos-link/keyring';

/** PES RSA-OAEP hashes (DESIGN §6): SHA-256 by default, SHA-1 by configuration. */
export const PES_OAEP_HASHES = ['sha256', 'sha1'] as const;

/** PES session ciphers (DESIGN §6): AES-256-GCM, or the compat suite AES-256-CBC (no negotiation). */
export const PES_CIPHERS = ['aes-256-gcm', 'aes-256-cbc'] as const;

/**
 * The event-stream-ingress's configuration (DESIGN §6, §8): every variable, its default and its
 * rule, read once at boot by `loadConfig(IngressConfig)`.
 */
export class IngressConfig extends KeyedServiceConfig {
  /** `OPS_PORT`, default 9082 (DESIGN §8). */
  override opsPort = 9082;

  /** `PES_HOST`. */
  @EnvVar({ name: 'PES_HOST', doc: 'Address the PES TCP listener binds to.' })
  @IsString()
  @MinLength(1)
  pesHost = '0.0.0.0';

  /** `PES_PORT`. */
  @EnvVar({ name: 'PES_PORT', kind: 'integer', doc: 'The TCP port POS terminals connect to (seed 003).' })
  @IsPort()
  pesPort = 5555;

  /** `SITE_ID`. */
  @EnvVar({ name: 'SITE_ID', kind: 'string', doc: 'The site whose events this listener receives (its Redis stream).' })
  @IsString()
  @Matches(/^[^\s{}/]+$/, { message: 'must not contain whitespace, braces or slashes' })
  siteId!: string;

  /** `INTEGRATOR_KEY_ID`. */
  @EnvVar({ name: 'INTEGRATOR_KEY_ID', kind: 'string', doc: 'The integrator key id sent in register_client.' })
  @IsString()
  @MinLength(1)
  integratorKeyId!: string;

  /** `INTEGRATOR_SECRET_KEY`. */
  @EnvVar({ name: 'INTEGRATOR_SECRET_KEY', kind: 'string', secret: true, doc: 'The integrator secret key sent in register_client.' })
  @IsString()
  @MinLength(1)
  integratorSecretKey!: string;

  /** `PES_OAEP_HASH`. */
  @EnvVar({ name: 'PES_OAEP_HASH', kind: 'string', doc: 'RSA-OAEP hash (and MGF1 hash) of the DEK in register_client: sha256 or sha1.' })
  @IsIn(PES_OAEP_HASHES)
  pesOaepHash: (typeof PES_OAEP_HASHES)[number] = 'sha256';

  /** `PES_CIPHER`. */
  @EnvVar({ name: 'PES_CIPHER', kind: 'string', doc: 'Session cipher: aes-256-gcm, or the compat suite aes-256-cbc (no negotiation).' })
  @IsIn(PES_CIPHERS)
  pesCipher: (typeof PES_CIPHERS)[number] = 'aes-256-gcm';

  /** `PES_MAX_FRAME_BYTES`. */
  @EnvVar({
    name: 'PES_MAX_FRAME_BYTES',
    kind: 'integer',
    doc: 'Largest declared frame length; larger (or zero) closes the connection before any allocation.',
  })
  @IsIntInRange(1)
  pesMaxFrameBytes = 1_048_576;

  /** `PES_DEDUPE_TTL_S`. */
  @EnvVar({ name: 'PES_DEDUPE_TTL_S', kind: 'integer', doc: 'How long a stored msg_id is remembered per site, so a resend is acked without a second entry.' })
  @IsIntInRange(1)
  pesDedupeTtlS = 86_400;

  /** `PES_HANDSHAKE_TIMEOUT_MS`. */
  @EnvVar({ name: 'PES_HANDSHAKE_TIMEOUT_MS', kind: 'integer', doc: 'Deadline from connect to the POS ack of register_client (DESIGN §6).' })
  @IsIntInRange(1)
  pesHandshakeTimeoutMs = 10_000;

  /** `PES_IDLE_TIMEOUT_MS`. */
  @EnvVar({ name: 'PES_IDLE_TIMEOUT_MS', kind: 'integer', doc: 'A connection silent this long is closed (DESIGN §6).' })
  @IsIntInRange(1)
  pesIdleTimeoutMs = 300_000;

  /** `PES_MAX_CONNECTIONS`. */
  @EnvVar({ name: 'PES_MAX_CONNECTIONS', kind: 'integer', doc: 'Most concurrent PES connections per replica (DESIGN §6).' })
  @IsIntInRange(1)
  pesMaxConnections = 10_000;

  /** `PES_MAX_IN_FLIGHT`. */
  @EnvVar({
    name: 'PES_MAX_IN_FLIGHT',
    kind: 'integer',
    doc: 'Events per connection awaiting their store write; reading pauses at this many (backpressure, DESIGN §6).',
  })
  @IsIntInRange(1)
  pesMaxInFlight = 64;
}
