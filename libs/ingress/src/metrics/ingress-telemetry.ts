import type { IngressErrorCode } from '../errors/ingress-errors';
import type { IngressLogger } from './ingress-logger';
import { UNKNOWN_EVENT_TYPE_LABEL, type EventOutcome, type HandshakeOutcome, type IngressMetrics } from './ingress-metrics';

/** Violations logged per rejected event: enough to diagnose, bounded for a 1,000-item payload. */
const MAX_LOGGED_VIOLATIONS = 10;

/**
 * The ingress's typed telemetry events, the ONE events file of the service (STYLE 13): each method
 * logs one `<Area><Noun><Verb>[Error]` event and updates its metrics. Fields are bounded and never
 * hold key material, credentials or event data: connection id, remote address, `msg_id`, `msg_type`,
 * codes.
 */
export class IngressTelemetry {
  readonly #log: IngressLogger;
  readonly #metrics: IngressMetrics;
  readonly #knownTypes: ReadonlySet<string>;

  /**
   * @param knownTypes event types that get their own `type` label; others count as
   *   {@link UNKNOWN_EVENT_TYPE_LABEL}, so a POS cannot grow the label set
   */
  constructor(log: IngressLogger, metrics: IngressMetrics, knownTypes: Iterable<string>) {
    this.#log = log;
    this.#metrics = metrics;
    this.#knownTypes = new Set(knownTypes);
  }

  /**
   * IngressConnectionAccepted. `remote` is asked for only when debug is logged: reading a socket's peer
   * address is a `getpeername` system call, and this runs once per connection (DESIGN §7: ingress CPU per
   * handshake).
   */
  connectionAccepted(conn: string, remote: () => string): void {
    this.#metrics.connections.inc();
    this.#metrics.connectionsTotal.inc({ outcome: 'accepted' });
    if (this.#log.isLevelEnabled?.('debug') === false) return;
    this.#log.debug({ event: 'IngressConnectionAccepted', conn, remote: remote() }, 'PES connection accepted');
  }

  /** IngressConnectionRefusedError: over the connection limit. */
  connectionRefused(remote: string, limit: number): void {
    this.#metrics.connectionsTotal.inc({ outcome: 'refused' });
    this.#metrics.closesTotal.inc({ reason: 'ERR_INGRESS_TOO_MANY_CONNECTIONS' });
    this.#log.warn({ event: 'IngressConnectionRefusedError', remote, limit }, 'PES connection refused: limit reached');
  }

  /** IngressConnectionClosed: `reason` is an error code, `peer` or `shutdown`. */
  connectionClosed(conn: string, reason: IngressErrorCode | 'peer' | 'shutdown', detail?: string): void {
    this.#metrics.connections.dec();
    this.#metrics.closesTotal.inc({ reason });
    const level = reason === 'peer' || reason === 'shutdown' ? 'debug' : 'info';
    this.#log[level]({ event: 'IngressConnectionClosed', conn, reason, detail }, 'PES connection closed');
  }

  /** IngressHandshakeCompleted */
  handshakeCompleted(conn: string, source: string): void {
    this.#metrics.handshakesTotal.inc({ outcome: 'completed' });
    this.#log.info({ event: 'IngressHandshakeCompleted', conn, source }, 'PES handshake completed');
  }

  /**
   * IngressHandshakeFailedError. `posCode` is the code of a POS `nack` (a number it chose; the POS's
   * message text is not logged: it is untrusted and unbounded).
   */
  handshakeFailed(conn: string, outcome: Exclude<HandshakeOutcome, 'completed'>, code: IngressErrorCode | 'peer', posCode?: number): void {
    this.#metrics.handshakesTotal.inc({ outcome });
    this.#log.warn({ event: 'IngressHandshakeFailedError', conn, outcome, code, posCode }, 'PES handshake failed');
  }

  /** IngressEventAnswered: one event answered; `latencyMs` from frame read to answer written. */
  eventAnswered(msgType: string, outcome: EventOutcome, latencyMs: number): void {
    const type = this.#knownTypes.has(msgType) ? msgType : UNKNOWN_EVENT_TYPE_LABEL;
    this.#metrics.eventsTotal.inc({ type, outcome });
    const answer = outcome === 'stored' || outcome === 'duplicate' ? 'ack' : 'nack';
    this.#metrics.ackLatency.observe({ answer }, latencyMs / 1000);
  }

  /** IngressEventUnknownType: stored like a known type, flagged (DESIGN §6: counted and logged, not refused). */
  eventUnknownType(conn: string, msgId: string, msgType: string): void {
    this.#log.info({ event: 'IngressEventUnknownType', conn, msgId, msgType }, 'PES event of unknown type stored');
  }

  /** IngressEventRejectedError: a nack; `violations` name fields/constraints, never values. */
  eventRejected(conn: string, msgId: string, msgType: string, code: IngressErrorCode, violations?: readonly string[]): void {
    const logged = violations?.slice(0, MAX_LOGGED_VIOLATIONS);
    this.#log.info({ event: 'IngressEventRejectedError', conn, msgId, msgType, code, violations: logged }, 'PES event nacked');
  }

  /** IngressStoreUnavailableError: the append failed; the event was nacked with code 5. */
  storeUnavailable(conn: string, msgId: string, cause: unknown): void {
    const detail = cause instanceof Error ? cause.message : String(cause);
    this.#log.warn({ event: 'IngressStoreUnavailableError', conn, msgId, detail }, 'PES event store unavailable');
  }

  /** IngressBackpressurePaused: the connection's in-flight window is full; reading paused. */
  backpressurePaused(conn: string, inFlight: number): void {
    this.#metrics.backpressurePausesTotal.inc();
    this.#log.debug({ event: 'IngressBackpressurePaused', conn, inFlight }, 'PES connection paused (in-flight window full)');
  }
}
