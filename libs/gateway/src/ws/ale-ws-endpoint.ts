import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type ServerOptions, type WebSocket } from 'ws';
import { isGatewayError } from '../errors/gateway-error';
import type { GatewayErrorCode } from '../errors/gateway-error-codes';
import { upgradeRefusalOf } from '../errors/wire-answers';
import { rejectUpgrade } from '../upgrade/reject-upgrade';
import type { UpgradeHandler } from '../upgrade/upgrade-router';
import type { SiteEventBus } from './bus/site-event-bus';
import { AleWsConnection, type AleWsConnectionInit, type WsConnectionContext } from './connection/ale-ws-connection';
import type { PesEventFeed } from './pes/pes-event-feed';
import { SiteHub } from './site-hub';
import { checkUpgrade, type UpgradeCheckCore } from './upgrade-check';
import { ALE_WS_CLOSE_TIMEOUT_MS, ALE_WS_DRAIN_MS, ALE_WS_HEARTBEAT_TEXT, ALE_WS_HUB_READY_WAIT_MS } from './ws-limits';
import { aleWsTarget } from './ws-path';
import type { WsCloseCause, WsTelemetry } from './ws-telemetry';

/** The endpoint's settings (from `GatewayConfig`, DESIGN §4/§8). */
export interface AleWsSettings {
  /** `ALE_WS_MAX_PAYLOAD_BYTES`. */
  readonly maxPayloadBytes: number;
  /** `ALE_WS_SEND_QUEUE_MAX_BYTES`. */
  readonly sendQueueMaxBytes: number;
  /** `ALE_WS_MAX_CONNECTIONS_PER_IP`; 0 = no limit. */
  readonly maxConnectionsPerIp: number;
  /** `ALE_WS_PING_MS`. */
  readonly pingMs: number;
  /** `ALE_WS_HEARTBEAT_MS`. */
  readonly heartbeatMs: number;
  /** `ALE_WS_PERMESSAGE_DEFLATE`. */
  readonly perMessageDeflate: boolean;
  /** `UPSTREAM_WS_URL` (with `{site}`); undefined = no kitchen bridge. */
  readonly upstreamWsUrl: string | undefined;
  /** At shutdown, how long sockets may flush before the 1001 close (default {@link ALE_WS_DRAIN_MS}). */
  readonly drainMs?: number;
}

/** Options of {@link AleWsEndpoint}. */
export interface AleWsEndpointOptions {
  /** The ALE core for upgrades and messages (the HTTP hook's instances). */
  readonly core: UpgradeCheckCore & WsConnectionContext['verifier'];
  /** The cached sites (encryption keys). */
  readonly keys: WsConnectionContext['keys'];
  /** The event bus. */
  readonly bus: SiteEventBus;
  /** The PES stream reader. */
  readonly feed: PesEventFeed;
  /** Logs and metrics. */
  readonly telemetry: WsTelemetry;
  /** Settings. */
  readonly settings: AleWsSettings;
}

/** Refusal before the upgrade while shutting down: 503, the request may be retried on another replica. */
const SHUTTING_DOWN_BODY = JSON.stringify({ error: 'shutting_down' });

/**
 * The ALE WebSocket endpoint (DESIGN §4; docs/specs/gateway-ws.md): an `UpgradeHandler` for `/ws` and
 * `/sites/{id}/ws` on the gateway's own HTTP server, built on a `ws` `WebSocketServer({ noServer: true })`
 * rather than `@nestjs/websockets` — the gateway decides every upgrade itself (ALE checks, per-IP limit,
 * exact JSON refusals) and the message path is plain code with no gateway decorators, interceptors or
 * per-message allocations of the framework (DESIGN §7 hot path). It owns the connections, one `SiteHub` per
 * connected site, the heartbeat (`isAlive?` every `ALE_WS_HEARTBEAT_MS`) and the ping sweep (dead-peer
 * eviction), and drains them all at shutdown (1001).
 */
export class AleWsEndpoint implements UpgradeHandler {
  /** {@inheritDoc UpgradeHandler.name} */
  readonly name = 'ale-ws';
  readonly #options: AleWsEndpointOptions;
  readonly #wss: WebSocketServer;
  readonly #ctx: WsConnectionContext;
  readonly #connections = new Set<AleWsConnection>();
  readonly #perIp = new Map<string, number>();
  readonly #hubs = new Map<string, { readonly hub: SiteHub; refs: number }>();
  readonly #idleWaiters = new Set<() => void>();
  readonly #heartbeat = Buffer.from(ALE_WS_HEARTBEAT_TEXT, 'utf8');
  #heartbeatTimer: NodeJS.Timeout | undefined;
  #pingTimer: NodeJS.Timeout | undefined;
  #closing: Promise<void> | undefined;

  /** @param options core, keys, bus, feed, telemetry and settings */
  constructor(options: AleWsEndpointOptions) {
    const { settings } = options;
    for (const name of ['maxPayloadBytes', 'sendQueueMaxBytes', 'pingMs', 'heartbeatMs'] as const) {
      if (!Number.isSafeInteger(settings[name]) || settings[name] < 1) throw new TypeError(`AleWsEndpoint: ${name} must be a positive integer`);
    }
    if (!Number.isSafeInteger(settings.maxConnectionsPerIp) || settings.maxConnectionsPerIp < 0) {
      throw new TypeError('AleWsEndpoint: maxConnectionsPerIp must be an integer >= 0');
    }
    this.#options = options;
    // `closeTimeout` (ws ≥ 8.18) is missing from @types/ws: a peer that does not answer our close frame
    // is destroyed after ALE_WS_CLOSE_TIMEOUT_MS instead of ws' 30 s.
    const serverOptions: ServerOptions & { readonly closeTimeout: number } = {
      noServer: true,
      clientTracking: false, // the endpoint tracks its connections itself (one Set, no second copy)
      maxPayload: settings.maxPayloadBytes,
      perMessageDeflate: settings.perMessageDeflate,
      closeTimeout: ALE_WS_CLOSE_TIMEOUT_MS,
    };
    this.#wss = new WebSocketServer(serverOptions);
    this.#ctx = {
      verifier: options.core,
      keys: options.keys,
      feed: options.feed,
      clock: options.core.clock,
      sendQueueMaxBytes: settings.sendQueueMaxBytes,
      telemetry: options.telemetry,
      toKitchen: (siteId, plaintext) => this.#hubs.get(siteId)?.hub.toKitchen(plaintext),
      closed: (connection, cause, peerCode) => this.#onClosed(connection, cause, peerCode),
    };
  }

  /** Open connections on this replica. */
  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Sites with connections on this replica. */
  get siteCount(): number {
    return this.#hubs.size;
  }

  /** Starts the heartbeat and the ping sweep (one timer each for every connection). Idempotent. */
  start(): void {
    if (this.#heartbeatTimer !== undefined || this.#closing !== undefined) return;
    const { heartbeatMs, pingMs } = this.#options.settings;
    this.#heartbeatTimer = setInterval(() => {
      for (const connection of this.#connections) connection.send(this.#heartbeat);
    }, heartbeatMs);
    this.#pingTimer = setInterval(() => {
      for (const connection of this.#connections) connection.ping();
    }, pingMs);
    this.#heartbeatTimer.unref();
    this.#pingTimer.unref();
  }

  /** {@inheritDoc UpgradeHandler.matches} */
  matches(req: IncomingMessage): boolean {
    return aleWsTarget(req) !== undefined;
  }

  /** {@inheritDoc UpgradeHandler.handle} */
  handle(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.#closing !== undefined) {
      rejectUpgrade(socket, 503, SHUTTING_DOWN_BODY);
      return;
    }
    const source = req.socket.remoteAddress ?? 'unknown';
    const limit = this.#options.settings.maxConnectionsPerIp;
    if (limit > 0 && (this.#perIp.get(source) ?? 0) >= limit) {
      this.#refuse(socket, 'ERR_GATEWAY_WS_TOO_MANY_CONNECTIONS');
      return;
    }
    // The address's slot is held from now on (pending upgrades count too) until the socket is gone.
    this.#perIp.set(source, (this.#perIp.get(source) ?? 0) + 1);
    let accepted = false;
    let released = false;
    const release = (): void => {
      if (released || accepted) return;
      released = true;
      this.#releaseIp(source);
    };
    socket.once('close', release);
    checkUpgrade(this.#options.core, req, source)
      .then(
        (init) => this.#upgrade(req, socket, head, init, () => (accepted = true), release),
        (error: unknown) => {
          const code = codeOf(error);
          if (code === 'ERR_GATEWAY_INTERNAL') this.#options.telemetry.internalError(error);
          this.#refuse(socket, code);
          release();
        },
      )
      .catch((error: unknown) => {
        // A bug while completing the upgrade: never an unhandled rejection, never a half-open socket.
        this.#options.telemetry.internalError(error);
        socket.destroy();
        release();
      });
  }

  /**
   * Drains and closes every connection (DESIGN §7): no new upgrades; each socket may flush for
   * `drainMs`, then gets close 1001; sockets that do not answer are destroyed after the close timeout.
   * Then the site hubs stop (kitchen bridges close, bus subscriptions end). Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #upgrade(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    init: AleWsConnectionInit,
    markAccepted: () => void,
    release: () => void,
  ): Promise<void> {
    const entry = this.#acquireHub(init.siteId);
    // Complete the upgrade once the site's bus subscription holds (bounded), so an event published after
    // the client saw its 101 cannot be missed.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([entry.hub.ready(), new Promise<void>((resolve) => (timer = setTimeout(resolve, ALE_WS_HUB_READY_WAIT_MS)))]);
    clearTimeout(timer);
    if (socket.destroyed || this.#closing !== undefined) {
      this.#releaseHub(init.siteId);
      if (!socket.destroyed) rejectUpgrade(socket, 503, SHUTTING_DOWN_BODY);
      release();
      return;
    }
    let done = false;
    socket.once('close', () => {
      if (!done) this.#releaseHub(init.siteId); // ws refused the handshake itself (bad key/version)
    });
    this.#wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      done = true;
      markAccepted();
      const connection = new AleWsConnection(ws, init, this.#ctx);
      this.#connections.add(connection);
      entry.hub.clients.add(connection);
      this.#options.telemetry.accepted();
    });
  }

  #refuse(socket: Duplex, code: GatewayErrorCode): void {
    const refusal = upgradeRefusalOf(code);
    this.#options.telemetry.refused(code, refusal.status);
    rejectUpgrade(socket, refusal.status, refusal.body);
  }

  #onClosed(connection: AleWsConnection, cause: WsCloseCause, peerCode: number): void {
    if (!this.#connections.delete(connection)) return;
    this.#hubs.get(connection.siteId)?.hub.clients.delete(connection);
    this.#releaseHub(connection.siteId);
    this.#releaseIp(connection.address);
    this.#options.telemetry.closed(connection.siteId, cause, peerCode);
    if (this.#connections.size === 0) for (const wake of [...this.#idleWaiters]) wake();
  }

  #acquireHub(siteId: string): { readonly hub: SiteHub; refs: number } {
    let entry = this.#hubs.get(siteId);
    if (entry === undefined) {
      const { bus, telemetry, settings } = this.#options;
      entry = { hub: new SiteHub(siteId, { bus, telemetry, upstreamWsUrl: settings.upstreamWsUrl, pingMs: settings.pingMs }), refs: 0 };
      this.#hubs.set(siteId, entry);
    }
    entry.refs += 1;
    return entry;
  }

  #releaseHub(siteId: string): void {
    const entry = this.#hubs.get(siteId);
    if (entry === undefined) return;
    entry.refs -= 1;
    if (entry.refs > 0) return;
    this.#hubs.delete(siteId);
    void entry.hub.stop();
  }

  #releaseIp(source: string): void {
    const count = (this.#perIp.get(source) ?? 1) - 1;
    if (count <= 0) this.#perIp.delete(source);
    else this.#perIp.set(source, count);
  }

  async #close(): Promise<void> {
    const started = Date.now();
    const count = this.#connections.size;
    clearInterval(this.#heartbeatTimer);
    clearInterval(this.#pingTimer);
    const drainUntil = started + (this.#options.settings.drainMs ?? ALE_WS_DRAIN_MS);
    while (Date.now() < drainUntil && [...this.#connections].some((c) => !c.isIdle)) {
      await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
    }
    for (const connection of this.#connections) connection.close('ERR_GATEWAY_WS_SHUTTING_DOWN');
    if (this.#connections.size > 0) {
      await new Promise<void>((resolve) => {
        // ws destroys a socket whose peer does not answer the close within its closeTimeout; this is the backstop.
        const timer = setTimeout(() => {
          for (const connection of this.#connections) connection.terminate();
          resolve();
        }, ALE_WS_CLOSE_TIMEOUT_MS + DRAIN_POLL_MS);
        this.#idleWaiters.add(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    const hubs = [...this.#hubs.values()].map((entry) => entry.hub);
    this.#hubs.clear();
    await Promise.all(hubs.map((hub) => hub.stop()));
    this.#wss.close();
    this.#options.telemetry.drained(count, Date.now() - started);
  }
}

/** How often shutdown looks whether every socket has flushed (a bounded wait, not a readiness signal). */
const DRAIN_POLL_MS = 20;

function codeOf(error: unknown): GatewayErrorCode {
  if (isGatewayError(error)) return error.code;
  return 'ERR_GATEWAY_INTERNAL';
}
