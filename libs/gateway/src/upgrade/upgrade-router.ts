/**
 * The gateway's ONE `upgrade` listener: every WebSocket handshake that reaches the public HTTP server
 * (DESIGN §4 ALE WebSocket at `/ws` and `/sites/{id}/ws`, §5 payment terminals with
 * `Sec-WebSocket-Protocol: sci` at `/`) goes through this router, which hands it to the first
 * registered handler whose `matches(req)` is true. A request no handler claims is answered with a
 * plain HTTP JSON error and its socket destroyed — Node's default (an upgrade with no listener) would
 * silently drop it, and two `ws` servers each listening to `upgrade` would fight over the same socket.
 *
 * Registration API (for the relay, the ALE WebSocket and anything later):
 *
 * ```ts
 * const off = router.register({
 *   name: 'terminal-relay',                  // for logs/errors; unique per router
 *   priority: 10,                            // optional, higher is tried first (default 0)
 *   matches: (req) => offersSubprotocol(req, 'sci'),
 *   handle: (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => ...),
 * });
 * off(); // unregister (e.g. on module destroy)
 * ```
 *
 * Rules: `matches` must be synchronous, cheap and side-effect free (it may run for requests another
 * handler ends up taking); `handle` owns the socket from then on — it must either complete the upgrade
 * or answer and destroy it (`rejectUpgrade` does the latter). A `matches`/`handle` that throws is
 * answered 500 and the socket destroyed; the router also puts an 'error' listener on every upgrade
 * socket before dispatching (a reset during an async check destroys the socket instead of crashing),
 * so the process never crashes on a handshake.
 *
 * In the Nest app, `UpgradeModule` provides the router as the `UpgradeRouter` class token and attaches
 * it to the public HTTP server at bootstrap; inject it and `register` in `onModuleInit`.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { rejectUpgrade } from './reject-upgrade';

/** One kind of WebSocket endpoint on the gateway's public server. */
export interface UpgradeHandler {
  /** Short stable name (unique per router), e.g. `ale-ws`, `terminal-relay`. */
  readonly name: string;
  /** Higher is tried first; equal priorities keep registration order. Default 0. */
  readonly priority?: number;
  /** Whether this handler takes the request (path, subprotocol…). Synchronous, no side effects. */
  matches(req: IncomingMessage): boolean;
  /** Completes or refuses the upgrade; owns `socket` from this call on. */
  handle(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

/** Body of the answer to an upgrade no handler claims (no ALE profile applies: it is no ALE endpoint). */
export const UPGRADE_NOT_FOUND_BODY = Object.freeze({ error: 'not_found' });

/** Body of the answer when a handler throws synchronously during `matches`/`handle`. */
export const UPGRADE_FAILED_BODY = Object.freeze({ error: 'upgrade_failed' });

/** Dispatches `upgrade` requests of one HTTP server to registered handlers. See the file header. */
export class UpgradeRouter {
  #handlers: UpgradeHandler[] = [];
  #server: Server | undefined;
  readonly #listener = (req: IncomingMessage, socket: Duplex, head: Buffer): void => this.route(req, socket, head);

  /**
   * Adds a handler. Returns a function that removes it again.
   * @throws TypeError when the handler is malformed or its name is already registered
   */
  register(handler: UpgradeHandler): () => void {
    if (handler === null || typeof handler !== 'object') throw new TypeError('UpgradeRouter.register: handler must be an object');
    if (typeof handler.name !== 'string' || handler.name === '') throw new TypeError('UpgradeRouter.register: handler.name must be a non-empty string');
    if (typeof handler.matches !== 'function' || typeof handler.handle !== 'function') {
      throw new TypeError(`UpgradeRouter.register: handler ${handler.name} needs matches() and handle()`);
    }
    if (handler.priority !== undefined && !Number.isFinite(handler.priority)) {
      throw new TypeError(`UpgradeRouter.register: handler ${handler.name} has a non-finite priority`);
    }
    if (this.#handlers.some((h) => h.name === handler.name)) {
      throw new TypeError(`UpgradeRouter.register: a handler named ${handler.name} is already registered`);
    }
    // Stable sort: equal priorities keep registration order.
    this.#handlers = [...this.#handlers, handler].sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0));
    return () => {
      this.#handlers = this.#handlers.filter((h) => h !== handler);
    };
  }

  /** Names of the registered handlers, in the order they are tried. */
  handlerNames(): readonly string[] {
    return this.#handlers.map((h) => h.name);
  }

  /**
   * Becomes `server`'s `upgrade` listener. One server per router; attaching the same server twice is
   * a no-op.
   * @throws TypeError when already attached to another server
   */
  attach(server: Server): void {
    if (this.#server === server) return;
    if (this.#server !== undefined) throw new TypeError('UpgradeRouter.attach: already attached to another server');
    this.#server = server;
    server.on('upgrade', this.#listener);
  }

  /** Stops listening for upgrades (already upgraded sockets are the handlers' business). */
  detach(): void {
    this.#server?.off('upgrade', this.#listener);
    this.#server = undefined;
  }

  /** Dispatches one upgrade request (the `upgrade` listener; public for servers attached by hand). */
  route(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // Node leaves an upgrade socket with no 'error' listener: a reset while a handler is still deciding
    // (async ALE checks) would be an uncaught exception. This one stays for the socket's life; `ws`
    // adds its own once upgraded.
    socket.on('error', destroyOnError);
    let handler: UpgradeHandler | undefined;
    try {
      handler = this.#handlers.find((h) => h.matches(req));
    } catch {
      rejectUpgrade(socket, 500, UPGRADE_FAILED_BODY);
      return;
    }
    if (handler === undefined) {
      rejectUpgrade(socket, 404, UPGRADE_NOT_FOUND_BODY);
      return;
    }
    try {
      handler.handle(req, socket, head);
    } catch {
      rejectUpgrade(socket, 500, UPGRADE_FAILED_BODY);
    }
  }
}

/** The upgrade socket's guard listener: a failed socket is destroyed, never thrown. */
function destroyOnError(this: Duplex): void {
  this.destroy();
}
