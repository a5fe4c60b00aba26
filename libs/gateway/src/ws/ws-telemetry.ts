/**
 * The ALE WebSocket's typed telemetry (STYLE 13): each method logs one `GatewayWs<Noun><Verb>[Error]`
 * event and/or updates its metrics (`poslink_gateway_ws_…`). Labels are bounded (codes, outcomes) — never a
 * site id, fingerprint or address; log fields never carry plaintext, ciphertext or key material.
 */
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { GatewayErrorCode } from '../errors/gateway-error-codes';

/** The log events of the WebSocket endpoint. */
export const GATEWAY_WS_EVENTS = Object.freeze({
  /** The endpoint is registered on the upgrade router (info): its limits. */
  EndpointRegistered: 'GatewayWsEndpointRegistered',
  /** An upgrade was refused (debug): `code`, `status`. */
  UpgradeRefused: 'GatewayWsUpgradeRefused',
  /** A connection ended (debug): `siteId`, `code` (why the gateway closed it) or `peerCode`. */
  ConnectionClosed: 'GatewayWsConnectionClosed',
  /** A site's kitchen bridge connected (info): `siteId`. */
  KitchenBridgeConnected: 'GatewayWsKitchenBridgeConnected',
  /** A site's kitchen bridge failed or dropped; it reconnects (warn): `siteId`, `retryInMs`, `err`. */
  KitchenBridgeDownError: 'GatewayWsKitchenBridgeDownError',
  /** The event bus failed (warn): `err`. */
  BusError: 'GatewayWsBusError',
  /** The PES feed failed (warn): `siteId`, `err`. */
  FeedError: 'GatewayWsFeedError',
  /** An unexpected exception on the message path (error): `err`. */
  InternalError: 'GatewayWsInternalError',
  /** Shutdown: every socket drained and closed (info): `connections`, `durationMs`. */
  Drained: 'GatewayWsDrained',
} as const);

/** Why a connection ended: a code that closed it, or the peer. */
export type WsCloseCause = GatewayErrorCode | 'peer';

/** Outcomes of an incoming message. */
export const WS_MESSAGE_OUTCOMES = ['forwarded', 'control', 'refused'] as const;
/** One incoming message outcome. */
export type WsMessageOutcome = (typeof WS_MESSAGE_OUTCOMES)[number];

/** Logs and metrics of the WebSocket endpoint, on the app's own registry. */
export class WsTelemetry {
  readonly #log: Logger;
  readonly #connections: Gauge;
  readonly #upgrades: Counter<'outcome'>;
  readonly #closes: Counter<'cause'>;
  /**
   * Per-message counts as plain numbers, added to `poslink_gateway_ws_messages_total` when it is read
   * (prom-client `collect`, at every scrape): a labelled child's `inc()` hashes its labels on every call,
   * ≈ 0.5 µs per round trip in the gateway's profile under tools/bench/src/gateway-ws.bench.ts.
   */
  readonly #pending = { forwarded: 0, control: 0, refused: 0, sent: 0 };
  readonly #kitchenDropped: { inc(): void };
  readonly #kitchenReconnects: { inc(): void };
  readonly #busErrors: { inc(): void };

  /**
   * @param logger the app's logger
   * @param registry the app's metrics registry (never the global one: tests build several gateways)
   */
  constructor(logger: Logger, registry: Registry) {
    this.#log = logger;
    const registers = [registry];
    this.#connections = new Gauge({ name: 'poslink_gateway_ws_connections', help: 'Open ALE WebSocket connections on this replica.', registers });
    this.#upgrades = new Counter({
      name: 'poslink_gateway_ws_upgrades_total',
      help: 'ALE WebSocket upgrades: "accepted" or the ERR_GATEWAY_ code that refused them.',
      labelNames: ['outcome'],
      registers,
    });
    this.#closes = new Counter({
      name: 'poslink_gateway_ws_closes_total',
      help: 'ALE WebSocket connections ending, by cause ("peer" or the ERR_GATEWAY_ code the gateway closes with), counted when decided.',
      labelNames: ['cause'],
      registers,
    });
    const pending = this.#pending;
    // Registered on `registry`; its values come in through `collect` (no handle needed here).
    new Counter({
      name: 'poslink_gateway_ws_messages_total',
      help: 'ALE WebSocket messages by direction (in, out) and outcome.',
      labelNames: ['direction', 'outcome'],
      registers,
      collect(): void {
        for (const outcome of WS_MESSAGE_OUTCOMES) {
          // Always touched, so every series exists from the first scrape (as with eager `labels()` children).
          this.labels('in', outcome).inc(pending[outcome]);
          pending[outcome] = 0;
        }
        this.labels('out', 'sent').inc(pending.sent);
        pending.sent = 0;
      },
    });
    this.#kitchenDropped = new Counter({
      name: 'poslink_gateway_ws_kitchen_dropped_total',
      help: 'POS messages dropped because the kitchen bridge was down and its queue full, or the bus failed.',
      registers,
    });
    this.#kitchenReconnects = new Counter({
      name: 'poslink_gateway_ws_kitchen_reconnects_total',
      help: 'Kitchen WebSocket bridge connection failures (each followed by a reconnect).',
      registers,
    });
    this.#busErrors = new Counter({ name: 'poslink_gateway_ws_bus_errors_total', help: 'Event bus and PES feed failures.', registers });
  }

  /** The endpoint is registered. */
  registered(settings: Record<string, unknown>): void {
    this.#log.info({ event: GATEWAY_WS_EVENTS.EndpointRegistered, ...settings }, 'ALE WebSocket endpoint registered');
  }

  /** One accepted upgrade. */
  accepted(): void {
    this.#upgrades.labels('accepted').inc();
    this.#connections.inc();
  }

  /** One refused upgrade. */
  refused(code: GatewayErrorCode, status: number): void {
    this.#upgrades.labels(code).inc();
    this.#log.debug({ event: GATEWAY_WS_EVENTS.UpgradeRefused, code, status }, 'WebSocket upgrade refused');
  }

  /**
   * Why a connection is ending, counted when it is decided (for a gateway-initiated close that is when the
   * close frame is queued — a slow consumer may take the close timeout to go).
   */
  closing(cause: WsCloseCause): void {
    this.#closes.labels(cause).inc();
  }

  /** One connection ended. */
  closed(siteId: string, cause: WsCloseCause, peerCode: number): void {
    this.#connections.dec();
    this.#log.debug({ event: GATEWAY_WS_EVENTS.ConnectionClosed, siteId, cause, peerCode }, 'WebSocket connection closed');
  }

  /** One incoming message. */
  inbound(outcome: WsMessageOutcome): void {
    this.#pending[outcome] += 1;
  }

  /** One message sent to a client. */
  outbound(): void {
    this.#pending.sent += 1;
  }

  /** A kitchen bridge connected. */
  kitchenUp(siteId: string): void {
    this.#log.info({ event: GATEWAY_WS_EVENTS.KitchenBridgeConnected, siteId }, 'kitchen WebSocket bridge connected');
  }

  /** A kitchen bridge failed; it reconnects. */
  kitchenDown(siteId: string, err: unknown, retryInMs: number): void {
    this.#kitchenReconnects.inc();
    this.#log.warn({ event: GATEWAY_WS_EVENTS.KitchenBridgeDownError, siteId, retryInMs, err }, 'kitchen WebSocket bridge down');
  }

  /** A POS message could not reach the kitchen. */
  kitchenDropped(): void {
    this.#kitchenDropped.inc();
  }

  /** The bus failed. */
  busError(err: unknown): void {
    this.#busErrors.inc();
    this.#log.warn({ event: GATEWAY_WS_EVENTS.BusError, err }, 'event bus error');
  }

  /** The PES feed failed. */
  feedError(siteId: string | undefined, err: unknown): void {
    this.#busErrors.inc();
    this.#log.warn({ event: GATEWAY_WS_EVENTS.FeedError, siteId, err }, 'PES event feed error');
  }

  /** A bug on the message path. */
  internalError(err: unknown): void {
    this.#log.error({ event: GATEWAY_WS_EVENTS.InternalError, err }, 'unexpected error on the WebSocket path');
  }

  /** Shutdown finished. */
  drained(connections: number, durationMs: number): void {
    this.#log.info({ event: GATEWAY_WS_EVENTS.Drained, connections, durationMs }, 'WebSocket connections drained');
  }
}
