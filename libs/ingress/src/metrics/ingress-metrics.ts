import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Handshake outcomes: a bounded label set (STYLE 13). */
export type HandshakeOutcome = 'completed' | 'rejected' | 'timeout' | 'invalid_key' | 'protocol_error' | 'aborted';

/**
 * Event outcomes: the answer given (STYLE 13, bounded). `stored`/`duplicate` were acked; the others
 * were nacked with the DESIGN §6 code in brackets.
 */
export type EventOutcome =
  | 'stored'
  | 'duplicate'
  | 'envelope_invalid' // 1
  | 'decrypt_failed' // 2
  | 'invalid' // 3
  | 'not_registered' // 4
  | 'unavailable' // 5
  | 'conflict'; // 6

/** The `type` label of events whose `msg_type` is not a known one (keeps the label set bounded). */
export const UNKNOWN_EVENT_TYPE_LABEL = 'unknown';

/**
 * Ack latency buckets (seconds): a healthy append answers in well under a millisecond locally;
 * the top buckets show a store stall (the 5 s append timeout).
 */
const ACK_LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * The ingress's Prometheus metrics (prom-client), registered on the app's own registry (served on
 * `OPS_PORT` `/metrics`, DESIGN §3/§8). Names follow `<ns>_<name>_<unit>_total` (STYLE 13).
 */
export class IngressMetrics {
  /** Open PES connections. */
  readonly connections: Gauge;
  /** Connections accepted / refused at the limit. */
  readonly connectionsTotal: Counter<'outcome'>;
  /** Handshakes by outcome. */
  readonly handshakesTotal: Counter<'outcome'>;
  /** Events by (bounded) type and outcome. */
  readonly eventsTotal: Counter<'type' | 'outcome'>;
  /** Time from reading an event's frame to writing its answer. */
  readonly ackLatency: Histogram<'answer'>;
  /** Connections closed by the ingress, by error code (or `peer` / `shutdown`). */
  readonly closesTotal: Counter<'reason'>;
  /** Times a connection stopped reading because its in-flight window was full. */
  readonly backpressurePausesTotal: Counter;

  /** @param registry the app's registry (never the global default one: tests build many apps) */
  constructor(registry: Registry) {
    const registers = [registry];
    this.connections = new Gauge({ name: 'poslink_ingress_connections', help: 'Open PES connections', registers });
    this.connectionsTotal = new Counter({
      name: 'poslink_ingress_connections_total',
      help: 'PES connections by outcome (accepted, refused at the connection limit)',
      labelNames: ['outcome'],
      registers,
    });
    this.handshakesTotal = new Counter({
      name: 'poslink_ingress_handshakes_total',
      help: 'PES handshakes by outcome',
      labelNames: ['outcome'],
      registers,
    });
    this.eventsTotal = new Counter({
      name: 'poslink_ingress_events_total',
      help: 'PES events by type (known types, else "unknown") and outcome',
      labelNames: ['type', 'outcome'],
      registers,
    });
    this.ackLatency = new Histogram({
      name: 'poslink_ingress_ack_latency_seconds',
      help: 'Time from reading a PES event to writing its ack or nack',
      labelNames: ['answer'],
      buckets: ACK_LATENCY_BUCKETS,
      registers,
    });
    this.closesTotal = new Counter({
      name: 'poslink_ingress_closes_total',
      help: 'PES connections closed, by reason (an ERR_INGRESS_ code, "peer" or "shutdown")',
      labelNames: ['reason'],
      registers,
    });
    this.backpressurePausesTotal = new Counter({
      name: 'poslink_ingress_backpressure_pauses_total',
      help: 'Times a PES connection paused reading because its in-flight window was full',
      registers,
    });
  }
}
