/**
 * The terminal relay's typed telemetry (STYLE 13): each method logs one `Relay<Noun><Verb>[Error]` event
 * and updates its metrics. Fields are bounded and never hold SCI documents (they carry card data),
 * certificates or key material: site and pinpad ids, connection ids, codes, counts.
 */
import type { Logger } from 'pino';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { RelayCode } from '../errors/gateway-error-codes';
import type { SynthesizedName } from './synthesized-responses';

/** Why a terminal connection ended (a bounded label set). */
export type TerminalCloseReason = 'closed' | 'evicted' | 'replaced' | 'shutdown';

/** Why a terminal's message was not relayed (a bounded label set). */
export type DiscardReason = 'unmatched' | 'late' | 'invalid' | 'binary';

/** Where a request was served. */
export type RelayRoute = 'local' | 'remote';

/** What identifies a terminal in logs. */
export interface TerminalRef {
  readonly siteId: string;
  readonly pinpadId: string;
  readonly connId: string;
}

/**
 * Request durations (seconds): relaying costs well under a millisecond; the terminal's own answer
 * time dominates (seconds for a card payment), and the top buckets show timeouts.
 */
const DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25, 1, 5, 15, 60, 180];

/** Logs and metrics of the relay, registered on the app's own registry. */
export class RelayTelemetry {
  readonly #log: Logger;
  readonly #terminals: Gauge;
  readonly #connections: Counter<'outcome'>;
  readonly #closes: Counter<'reason'>;
  readonly #requests: Counter<'outcome' | 'route'>;
  readonly #duration: Histogram<'outcome'>;
  readonly #discarded: Counter<'reason'>;

  /**
   * @param logger the app's logger
   * @param registry the app's metrics registry (never the global one: tests build several gateways)
   */
  constructor(logger: Logger, registry: Registry) {
    this.#log = logger;
    const registers = [registry];
    this.#terminals = new Gauge({ name: 'poslink_relay_terminals', help: 'Payment terminals connected to this replica', registers });
    this.#connections = new Counter({
      name: 'poslink_relay_terminal_handshakes_total',
      help: 'Terminal handshakes: "accepted", "tls_failed" or the ERR_GATEWAY_TERMINAL_ code that refused them',
      labelNames: ['outcome'],
      registers,
    });
    this.#closes = new Counter({
      name: 'poslink_relay_terminal_closes_total',
      help: 'Terminal connections ended, by reason (closed, evicted, replaced, shutdown)',
      labelNames: ['reason'],
      registers,
    });
    this.#requests = new Counter({
      name: 'poslink_relay_requests_total',
      help: 'POS requests answered: "device" or the synthesized answer (lower case), by route (local, remote)',
      labelNames: ['outcome', 'route'],
      registers,
    });
    this.#duration = new Histogram({
      name: 'poslink_relay_request_duration_seconds',
      help: 'Time from a POS request reaching the relay to its answer',
      labelNames: ['outcome'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.#discarded = new Counter({
      name: 'poslink_relay_discarded_messages_total',
      help: 'Terminal messages not relayed: unmatched, late (after a timeout), invalid, binary',
      labelNames: ['reason'],
      registers,
    });
  }

  /** RelayTerminalConnected. */
  terminalConnected(t: TerminalRef, remote: string | undefined, tls: boolean): void {
    this.#terminals.inc();
    this.#connections.inc({ outcome: 'accepted' });
    this.#log.info({ event: 'RelayTerminalConnected', ...t, remote, tls }, 'payment terminal connected');
  }

  /** RelayTerminalRefusedError: a handshake refused before the upgrade. */
  terminalRefused(code: RelayCode, remote: string | undefined, pinpadId: string | undefined): void {
    this.#connections.inc({ outcome: code });
    this.#log.warn({ event: 'RelayTerminalRefusedError', code, remote, pinpadId }, 'payment terminal refused');
  }

  /** RelayTerminalTlsFailedError: a TLS handshake on `TERMINAL_PORT` failed (`code`: OpenSSL's, e.g. no client certificate). */
  terminalTlsFailed(remote: string | undefined, code: string | undefined): void {
    this.#connections.inc({ outcome: 'tls_failed' });
    this.#log.warn({ event: 'RelayTerminalTlsFailedError', remote, code }, 'terminal TLS handshake failed');
  }

  /** RelayTerminalDisconnected: the connection ended; `pending` requests were answered DEVICE_OFFLINE. */
  terminalDisconnected(t: TerminalRef, reason: TerminalCloseReason, pending: number): void {
    this.#terminals.dec();
    this.#closes.inc({ reason });
    const level = reason === 'evicted' ? 'warn' : 'info';
    this.#log[level]({ event: 'RelayTerminalDisconnected', ...t, reason, pending }, 'payment terminal disconnected');
  }

  /** RelayRequestAnswered (metrics only: the hot path logs nothing per request, DESIGN §7). */
  requestAnswered(synthesized: SynthesizedName | undefined, route: RelayRoute, startedAt: number): void {
    const outcome = synthesized === undefined ? 'device' : synthesized.toLowerCase();
    this.#requests.inc({ outcome, route });
    this.#duration.observe({ outcome }, (performance.now() - startedAt) / 1000);
  }

  /** RelayMessageDiscarded: a terminal message that answers no outstanding request. */
  messageDiscarded(t: TerminalRef, reason: DiscardReason): void {
    this.#discarded.inc({ reason });
    this.#log.warn({ event: 'RelayMessageDiscarded', ...t, reason }, 'terminal message not relayed');
  }

  /** RelaySessionExpired: an owned session saw no request for `RELAY_SESSION_IDLE_MS`. */
  sessionExpired(t: TerminalRef, clientId: string): void {
    this.#log.info({ event: 'RelaySessionExpired', ...t, clientId }, 'terminal session released after idle timeout');
  }

  /** RelayRegistryError: the device registry (Redis) failed; `op` names the operation. */
  registryFailed(op: string, error: unknown): void {
    this.#log.warn({ event: 'RelayRegistryError', op, reason: error instanceof Error ? error.message : String(error) }, 'terminal registry failed');
  }

  /** RelayPosRefused (debug): a POS relay upgrade refused (`code`: the ALE core's, the WebSocket's or the relay's). */
  posRefused(code: string): void {
    this.#log.debug({ event: 'RelayPosRefused', code }, 'POS relay upgrade refused');
  }

  /** RelayPosRequestError: an unexpected exception on a POS relay route (a bug), with its stack. */
  posInternalError(error: unknown): void {
    this.#log.error({ event: 'RelayPosRequestError', err: error }, 'unexpected error on a POS relay route');
  }

  /** RelayStartError: the relay's bus subscription failed (Redis unreachable); retried after `retryInMs`. */
  startFailed(error: unknown, retryInMs: number): void {
    this.#log.warn({ event: 'RelayStartError', retryInMs, reason: error instanceof Error ? error.message : String(error) }, 'relay channel not subscribed; retrying');
  }

  /** RelayBusError: a message between replicas could not be sent or read. */
  busFailed(op: string, error: unknown): void {
    const code = (error as { code?: unknown } | null)?.code;
    this.#log.warn(
      { event: 'RelayBusError', op, code: typeof code === 'string' ? code : undefined, reason: error instanceof Error ? error.message : String(error) },
      'relay bus failed',
    );
  }
}
