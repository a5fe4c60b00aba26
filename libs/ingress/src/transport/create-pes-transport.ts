import type { Cluster, Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { PES_KNOWN_EVENT_TYPES } from '@pos-link/protocol';
import type { OaepHash, PesCipherName } from '@pos-link/crypto';
import { SILENT_INGRESS_LOGGER, type IngressLogger } from '../metrics/ingress-logger';
import { IngressMetrics } from '../metrics/ingress-metrics';
import { IngressTelemetry } from '../metrics/ingress-telemetry';
import {
  PES_HANDSHAKE_TIMEOUT_MS_DEFAULT,
  PES_INGRESS_SOURCE_DEFAULT,
  PES_MAX_IN_FLIGHT_DEFAULT,
} from '../session/pes-limits';
import { MemoryPesEventLog } from '../store/memory-event-log';
import type { PesEventLog } from '../store/pes-event-log';
import { RedisPesEventLog } from '../store/redis-event-log';
import { PesTransport } from './pes-transport';

/**
 * The credentials object of DESIGN §6 step 2 (UTF-8 of `{"key_id":…,"secret_key":…}`), serialized once
 * per listener and sealed into every `register_client`; never logged. Internal to this lib.
 */
export function serializeIntegratorCredentials(keyId: string, secretKey: string): Buffer {
  return Buffer.from(JSON.stringify({ key_id: keyId, secret_key: secretKey }), 'utf8');
}

/** Plain inputs of {@link createPesTransport} (the DESIGN §8 variables, already validated). */
export interface PesIngressOptions {
  /** `PES_PORT` (0 = a free port). */
  readonly port: number;
  readonly host?: string;
  /** `INTEGRATOR_KEY_ID` / `INTEGRATOR_SECRET_KEY`: sent in every `register_client`, never logged. */
  readonly integratorKeyId: string;
  readonly integratorSecretKey: string;
  /** `PES_OAEP_HASH`, default `sha256`. */
  readonly oaepHash?: OaepHash;
  /** `PES_CIPHER`, default `aes-256-gcm`. */
  readonly cipher?: PesCipherName;
  /** `PES_MAX_FRAME_BYTES`, default 1 MiB. */
  readonly maxFrameBytes?: number;
  /** Where events go ({@link createPesEventLog}). */
  readonly eventLog: PesEventLog;
  /** The app's prom-client registry (served on `OPS_PORT`). */
  readonly registry: Registry;
  /** A pino logger (or any {@link IngressLogger}); default silent. */
  readonly logger?: IngressLogger;
  /** `source` of the envelopes the ingress sends; default `pos-link`. */
  readonly source?: string;
  readonly handshakeTimeoutMs?: number;
  readonly idleTimeoutMs?: number;
  readonly maxConnections?: number;
  readonly maxInFlight?: number;
  readonly closeDrainMs?: number;
}

/**
 * Builds the PES listener from plain inputs: session settings, metrics on `registry`, telemetry on
 * `logger`. The result is a Nest custom transport strategy; call `listen` yourself or hand it to
 * `NestFactory.createMicroservice(…, { strategy })`.
 *
 * @throws TypeError on empty integrator credentials or invalid limits
 */
export function createPesTransport(options: PesIngressOptions): PesTransport {
  const { integratorKeyId, integratorSecretKey } = options;
  if (typeof integratorKeyId !== 'string' || integratorKeyId === '') throw new TypeError('integratorKeyId must be a non-empty string');
  if (typeof integratorSecretKey !== 'string' || integratorSecretKey === '') {
    throw new TypeError('integratorSecretKey must be a non-empty string');
  }
  const maxInFlight = options.maxInFlight ?? PES_MAX_IN_FLIGHT_DEFAULT;
  const handshakeTimeoutMs = options.handshakeTimeoutMs ?? PES_HANDSHAKE_TIMEOUT_MS_DEFAULT;
  if (!Number.isSafeInteger(maxInFlight) || maxInFlight < 1) throw new TypeError('maxInFlight must be a positive integer');
  if (!Number.isSafeInteger(handshakeTimeoutMs) || handshakeTimeoutMs < 1) {
    throw new TypeError('handshakeTimeoutMs must be a positive integer');
  }
  const telemetry = new IngressTelemetry(
    options.logger ?? SILENT_INGRESS_LOGGER,
    new IngressMetrics(options.registry),
    PES_KNOWN_EVENT_TYPES,
  );
  return new PesTransport({
    port: options.port,
    host: options.host,
    eventLog: options.eventLog,
    telemetry,
    maxFrameBytes: options.maxFrameBytes,
    idleTimeoutMs: options.idleTimeoutMs,
    maxConnections: options.maxConnections,
    closeDrainMs: options.closeDrainMs,
    settings: {
      cipher: options.cipher ?? 'aes-256-gcm',
      oaepHash: options.oaepHash ?? 'sha256',
      credentials: serializeIntegratorCredentials(integratorKeyId, integratorSecretKey),
      source: options.source ?? PES_INGRESS_SOURCE_DEFAULT,
      maxInFlight,
      handshakeTimeoutMs,
    },
  });
}

/** Inputs of {@link createPesEventLog}. */
export interface PesEventLogOptions {
  /** A Redis client (distributed mode); absent = in-memory (standalone mode, DESIGN §1). */
  readonly redis?: Redis | Cluster;
  /** `REDIS_PREFIX`. */
  readonly prefix: string;
  /** `SITE_ID`. */
  readonly siteId: string;
  /** `PES_DEDUPE_TTL_S`. */
  readonly dedupeTtlSeconds: number;
}

/** The event log for the mode: {@link RedisPesEventLog} with a client, else {@link MemoryPesEventLog}. */
export function createPesEventLog(options: PesEventLogOptions): PesEventLog {
  if (options.redis === undefined) return new MemoryPesEventLog({ dedupeTtlSeconds: options.dedupeTtlSeconds });
  return new RedisPesEventLog({
    redis: options.redis,
    prefix: options.prefix,
    siteId: options.siteId,
    dedupeTtlSeconds: options.dedupeTtlSeconds,
  });
}
