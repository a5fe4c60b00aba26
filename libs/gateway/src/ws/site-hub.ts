import { KitchenBridge } from './kitchen/kitchen-bridge';
import type { AleWsConnection } from './connection/ale-ws-connection';
import type { BusUnsubscribe, SiteEventBus } from './bus/site-event-bus';
import type { WsTelemetry } from './ws-telemetry';
import { ALE_WS_HEARTBEAT_TEXT } from './ws-limits';

const HEARTBEAT = Buffer.from(ALE_WS_HEARTBEAT_TEXT, 'utf8');

/** What every hub of one endpoint shares. */
export interface SiteHubContext {
  /** The event bus (Redis or memory). */
  readonly bus: SiteEventBus;
  /** `UPSTREAM_WS_URL` (with `{site}`), or undefined: no kitchen bridge. */
  readonly upstreamWsUrl: string | undefined;
  /** Ping period towards the kitchen (ms). */
  readonly pingMs: number;
  /** Logs and metrics. */
  readonly telemetry: WsTelemetry;
}

/**
 * Everything one site has on this replica (DESIGN §4 fan-out): its connected clients, ONE subscription
 * to the site's `to-pos` bus channel and ONE kitchen bridge, however many clients the site has. A
 * message from either is encrypted for each client separately (each may hold another key). Built when
 * the site's first client connects, stopped when its last one leaves.
 */
export class SiteHub {
  /** The site. */
  readonly siteId: string;
  /** The site's clients on this replica. */
  readonly clients = new Set<AleWsConnection>();
  readonly #ctx: SiteHubContext;
  readonly #bridge: KitchenBridge | undefined;
  readonly #ready: Promise<void>;
  #unsubscribe: BusUnsubscribe | undefined;
  #stopped = false;

  /** Subscribes to the bus and starts the bridge at once; {@link ready} tells when the subscription holds. */
  constructor(siteId: string, ctx: SiteHubContext) {
    this.siteId = siteId;
    this.#ctx = ctx;
    const url = ctx.upstreamWsUrl?.replaceAll('{site}', encodeURIComponent(siteId));
    this.#bridge =
      url === undefined
        ? undefined
        : new KitchenBridge({
            url,
            siteId,
            pingMs: ctx.pingMs,
            listener: {
              message: (text) => this.#fromKitchen(text),
              open: () => ctx.telemetry.kitchenUp(siteId),
              down: (error, retryInMs) => ctx.telemetry.kitchenDown(siteId, error, retryInMs),
              dropped: () => ctx.telemetry.kitchenDropped(),
            },
          });
    this.#bridge?.start();
    this.#ready = this.#subscribe();
  }

  /** Resolves once bus messages published from now on reach this hub (never rejects: a failure is logged). */
  ready(): Promise<void> {
    return this.#ready;
  }

  /** Encrypts `message` for every client of the site here and sends it. */
  broadcast(message: string | Buffer): void {
    const plaintext = typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
    for (const client of this.clients) client.send(plaintext);
  }

  /**
   * A POS message for the kitchen (DESIGN §4): over the site's bridge; with no bridge configured, on the
   * bus's `to-kitchen` channel for whatever kitchen-side service listens there.
   */
  toKitchen(plaintext: Buffer): void {
    if (this.#bridge !== undefined) {
      this.#bridge.send(plaintext);
      return;
    }
    this.#ctx.bus.publish(this.siteId, 'to-kitchen', plaintext.toString('utf8')).catch((error: unknown) => {
      this.#ctx.telemetry.kitchenDropped();
      this.#ctx.telemetry.busError(error);
    });
  }

  /** Unsubscribes and closes the bridge. Idempotent. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await this.#ready;
    const unsubscribe = this.#unsubscribe;
    this.#unsubscribe = undefined;
    await Promise.all([unsubscribe?.().catch((error: unknown) => this.#ctx.telemetry.busError(error)), this.#bridge?.stop()]);
  }

  async #subscribe(): Promise<void> {
    try {
      const unsubscribe = await this.#ctx.bus.subscribe(this.siteId, 'to-pos', (text) => this.broadcast(text));
      if (this.#stopped) await unsubscribe();
      else this.#unsubscribe = unsubscribe;
    } catch (error) {
      this.#ctx.telemetry.busError(error);
    }
  }

  #fromKitchen(message: Buffer): void {
    // The gateway sends every client its own encrypted heartbeat (DESIGN §4); the kitchen's is not relayed.
    if (message.equals(HEARTBEAT)) return;
    this.broadcast(message);
  }
}
