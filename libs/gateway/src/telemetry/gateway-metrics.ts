import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { GATEWAY_ERROR_CODES, type GatewayErrorCode } from '../errors/gateway-error-codes';
import { GATEWAY_OUTCOMES, type GatewayOutcome } from '../errors/wire-answers';

/**
 * Latency buckets (seconds): the hot path answers in well under a millisecond locally (DESIGN §7 targets
 * p99 < 10 ms at 50 connections); the top buckets cover `UPSTREAM_TIMEOUT_MS` (10 s by default).
 */
export const GATEWAY_LATENCY_BUCKETS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** `result` label values of the upstream histogram. */
export const UPSTREAM_RESULTS = ['ok', 'unavailable', 'timeout'] as const;
/** One upstream `result`. */
export type UpstreamResult = (typeof UPSTREAM_RESULTS)[number];

/** `result` label values of the key refresh counter. */
export const KEY_REFRESH_RESULTS = ['published', 'throttled', 'failed'] as const;

interface Bound {
  readonly requests: { inc(): void };
  readonly duration: { observe(seconds: number): void };
}

/**
 * The gateway's metrics (STYLE 13: `poslink_gateway_<name>_<unit>[_total]`, bounded labels only: outcomes,
 * error codes and results from fixed lists — never a site id, fingerprint or address). Served on the ops
 * port. Label children are bound once, so a request costs two map-free increments.
 */
export class GatewayMetrics {
  /** Requests by outcome (`GATEWAY_OUTCOMES`). */
  readonly requests: Counter<'outcome'>;
  /** Request duration by outcome, from the first byte handled to the answer written. */
  readonly requestDuration: Histogram<'outcome'>;
  /** Kitchen round trips by result. */
  readonly upstreamDuration: Histogram<'result'>;
  /** ALE refusals by cause (`ERR_GATEWAY_…` code; DESIGN §3 allows the cause in a bounded label here). */
  readonly refusals: Counter<'code'>;
  /** On-demand key refresh requests by result. */
  readonly keyRefreshes: Counter<'result'>;
  /** 1 once the key cache has loaded, else 0. */
  readonly keysLoaded: Gauge;
  readonly #bound = new Map<GatewayOutcome, Bound>();
  readonly #upstream = new Map<UpstreamResult, { observe(seconds: number): void }>();

  /** @param registry the app instance's registry */
  constructor(registry: Registry) {
    const registers = [registry];
    this.requests = new Counter({
      name: 'poslink_gateway_http_requests_total',
      help: 'ALE proxy requests by outcome.',
      labelNames: ['outcome'],
      registers,
    });
    this.requestDuration = new Histogram({
      name: 'poslink_gateway_http_request_duration_seconds',
      help: 'ALE proxy request duration by outcome.',
      labelNames: ['outcome'],
      buckets: GATEWAY_LATENCY_BUCKETS,
      registers,
    });
    this.upstreamDuration = new Histogram({
      name: 'poslink_gateway_upstream_duration_seconds',
      help: 'Kitchen round trips (request sent to answer read) by result.',
      labelNames: ['result'],
      buckets: GATEWAY_LATENCY_BUCKETS,
      registers,
    });
    this.refusals = new Counter({
      name: 'poslink_gateway_ale_refusals_total',
      help: 'Refused requests by ERR_GATEWAY_ code.',
      labelNames: ['code'],
      registers,
    });
    this.keyRefreshes = new Counter({
      name: 'poslink_gateway_key_refresh_requests_total',
      help: 'On-demand key refresh requests for unknown fingerprints, by result.',
      labelNames: ['result'],
      registers,
    });
    this.keysLoaded = new Gauge({ name: 'poslink_gateway_keys_loaded', help: '1 once the key cache has loaded.', registers });
    for (const outcome of GATEWAY_OUTCOMES) {
      const bound = { requests: this.requests.labels(outcome), duration: this.requestDuration.labels(outcome) };
      bound.requests.inc(0);
      this.#bound.set(outcome, bound);
    }
    for (const result of UPSTREAM_RESULTS) this.#upstream.set(result, this.upstreamDuration.labels(result));
    for (const result of KEY_REFRESH_RESULTS) this.keyRefreshes.labels(result).inc(0);
  }

  /** Counts one answered request. */
  request(outcome: GatewayOutcome, seconds: number): void {
    const bound = this.#bound.get(outcome) as Bound;
    bound.requests.inc();
    bound.duration.observe(seconds);
  }

  /** Counts one kitchen round trip. */
  upstream(result: UpstreamResult, seconds: number): void {
    this.#upstream.get(result)?.observe(seconds);
  }

  /** Counts one refusal by its code. */
  refusal(code: GatewayErrorCode): void {
    if (code in GATEWAY_ERROR_CODES) this.refusals.labels(code).inc();
  }
}
