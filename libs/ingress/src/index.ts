/**
 * `@pos-link/ingress` — the event-stream-ingress's behaviour (DESIGN §6): its config, root module
 * and app factory. `apps/event-stream-ingress` only builds and listens.
 */
export { IngressConfig, PES_CIPHERS, PES_OAEP_HASHES } from './ingress-config';
export { INGRESS_CONFIG } from './ingress.tokens';
export { IngressModule } from './ingress.module';
export { INGRESS_APP_NAME, createIngressApp, type IngressAppOptions } from './ingress-app.factory';

// PES listener (DESIGN §6): the transport strategy, its session state machine, the event store seam.
export { PesTransport, type PesTransportOptions } from './transport/pes-transport';
export {
  createPesTransport,
  createPesEventLog,
  type PesIngressOptions,
  type PesEventLogOptions,
} from './transport/create-pes-transport';
export { PesSession } from './session/pes-session';
export {
  PesSessionState,
  type PesSessionDeps,
  type PesSessionIo,
  type PesSessionSettings,
} from './session/pes-session-types';
export {
  PES_CLOSE_DRAIN_MS_DEFAULT,
  PES_HANDSHAKE_TIMEOUT_MS_DEFAULT,
  PES_IDLE_TIMEOUT_MS_DEFAULT,
  PES_INGRESS_SOURCE_DEFAULT,
  PES_MAX_CONNECTIONS_DEFAULT,
  PES_MAX_IN_FLIGHT_DEFAULT,
} from './session/pes-limits';
export type { PesAppendOutcome, PesEventLog, PesEventRecord } from './store/pes-event-log';
export { RedisPesEventLog, PES_APPEND_TIMEOUT_MS_DEFAULT, type RedisPesEventLogOptions } from './store/redis-event-log';
export {
  MemoryPesEventLog,
  MEMORY_EVENT_LOG_MAX_ENTRIES_DEFAULT,
  type MemoryPesEventLogOptions,
  type PesStoredEntry,
} from './store/memory-event-log';
export { pesRedisKeys, type PesRedisKeys } from './store/redis-keys';
export { IngressMetrics, type EventOutcome, type HandshakeOutcome } from './metrics/ingress-metrics';
export type { IngressLogger } from './metrics/ingress-logger';

// Errors: the one registry and wire-answer mapping (STYLE 4, 5).
export {
  INGRESS_ERRORS,
  IngressError,
  PesStoreUnavailableError,
  ingressWireAnswer,
  isIngressError,
  type IngressErrorCode,
  type IngressWireAnswer,
} from './errors/ingress-errors';
