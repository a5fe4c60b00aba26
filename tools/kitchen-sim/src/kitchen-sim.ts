/**
 * The kitchen simulator (DESIGN §1 `tools/kitchen-sim`): a stand-in for Enterprise Kitchen that the
 * gateway talks to in plaintext — REST (`POST /order`, `POST /alert`, anything else answered too) and a
 * WebSocket for kitchen events — with every request recorded and the answers configurable.
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN_PREFIX, handleAdmin } from './admin-routes';
import { BehaviourTable, type KitchenBehaviour } from './behaviours';
import { BodyTooLargeError, readBody, send, sendJson } from './http-io';
import { kitchenAnswer } from './kitchen-answer';
import { KITCHEN_MAX_BODY_BYTES, resolveKitchenSimOptions, type KitchenSimOptions } from './options';
import { BoundedLog, parseQuery, type RecordedRequest, type RecordedWsMessage } from './records';
import { splitSitePath } from './site-path';
import { KitchenWsSide, type KitchenConnection } from './ws-side';

/** Events of a {@link KitchenSim} (readiness signals for tests: no sleeps). */
export type KitchenSimEvents = {
  /** A kitchen request arrived (after its body was read, before it is answered). */
  request: [request: RecordedRequest];
  /** A POS-side WebSocket connected. */
  connection: [connection: KitchenConnection];
  /** A WebSocket message arrived. */
  message: [message: RecordedWsMessage];
  /** A WebSocket connection closed. */
  disconnect: [connection: KitchenConnection];
};

/** Default bound of {@link KitchenSim.waitFor}: generous for a loaded CI machine, short enough to fail a test. */
export const DEFAULT_WAIT_MS = 5000;

/** A running kitchen simulator. Build it with {@link startKitchenSim}. */
export class KitchenSim {
  /** REST base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** WebSocket base URL, e.g. `ws://127.0.0.1:41234`. */
  readonly wsUrl: string;
  /** The gateway's `UPSTREAM_URL` for this simulator: `{url}/sites/{site}`. */
  readonly upstreamUrl: string;
  /** The gateway's `UPSTREAM_WS_URL` for this simulator: `{wsUrl}/ws/{site}`. */
  readonly upstreamWsUrl: string;
  /** The bound port. */
  readonly port: number;

  readonly #server: Server;
  readonly #ws: KitchenWsSide;
  readonly #log: BoundedLog<RecordedRequest>;
  readonly #behaviours = new BehaviourTable();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #events: EventEmitter<KitchenSimEvents>;
  #seq = 0;

  /** @internal use {@link startKitchenSim} */
  constructor(
    server: Server,
    ws: KitchenWsSide,
    log: BoundedLog<RecordedRequest>,
    events: EventEmitter<KitchenSimEvents>,
    host: string,
  ) {
    this.#server = server;
    this.#events = events;
    this.#ws = ws;
    this.#log = log;
    this.port = (server.address() as AddressInfo).port;
    const authority = `${host.includes(':') ? `[${host}]` : host}:${this.port}`;
    this.url = `http://${authority}`;
    this.wsUrl = `ws://${authority}`;
    this.upstreamUrl = `${this.url}/sites/{site}`;
    this.upstreamWsUrl = `${this.wsUrl}/ws/{site}`;
  }

  /** @internal the HTTP request handler */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://kitchen-sim');
    if (url.pathname.startsWith(ADMIN_PREFIX)) return handleAdmin(this, url.pathname, req, res);
    let rawBody: Buffer;
    try {
      rawBody = await readBody(req, KITCHEN_MAX_BODY_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return sendJson(res, 413, { error: 'payload_too_large' });
      throw error;
    }
    const { site, siteSource, route } = splitSitePath(url.pathname, req.headers);
    const method = req.method ?? 'GET';
    const record: RecordedRequest = {
      seq: ++this.#seq,
      method,
      path: url.pathname,
      route,
      search: url.search.slice(1),
      query: parseQuery(url.search),
      site,
      siteSource,
      headers: req.headers,
      rawBody,
      body: rawBody.toString('utf8'),
      time: new Date().toISOString(),
    };
    this.#log.push(record);
    this.#events.emit('request', record);
    const behaviour = this.#behaviours.take({ route, method, site });
    if (behaviour?.hang === true) return; // never answered: closeAllConnections() ends it at close()
    const answer = kitchenAnswer(record, behaviour);
    const reply = (): void => send(res, answer.status, answer.body, answer.contentType, answer.headers);
    const latency = behaviour?.latencyMs ?? 0;
    if (latency === 0) return reply();
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      reply();
    }, latency);
    this.#timers.add(timer);
  }

  /** Every recorded request, oldest first (bounded by `maxRecorded`). */
  received(): RecordedRequest[] {
    return this.#log.list();
  }

  /** Every recorded WebSocket message from the POS side, oldest first. */
  receivedWs(): RecordedWsMessage[] {
    return this.#ws.received();
  }

  /** Forgets the recorded requests and WebSocket messages (behaviours stay). */
  clear(): void {
    this.#log.clear();
    this.#ws.clear();
  }

  /**
   * Configures how matching requests are answered (status, latency, body, content type, hang, empty);
   * replaces a behaviour with the same `path`/`method`/`site`.
   * @throws TypeError for a malformed behaviour
   */
  setBehaviour(behaviour: KitchenBehaviour): void {
    this.#behaviours.set(behaviour);
  }

  /** Removes every behaviour: the default echo answers again. */
  resetBehaviours(): void {
    this.#behaviours.reset();
  }

  /**
   * Sends a kitchen event (an object as JSON, a string as is) to every WebSocket connection of `site`
   * (`'*'` = all).
   * @returns how many connections it reached
   */
  emit(site: string, event: object | string): number {
    return this.#ws.emit(site, event);
  }

  /** Adds a listener for one of the simulator's events. */
  on<K extends keyof KitchenSimEvents>(event: K, listener: (...args: KitchenSimEvents[K]) => void): this {
    this.#events.on(event, listener as never);
    return this;
  }

  /** Adds a one-time listener (also makes `events.once(sim, 'connection')` work). */
  once<K extends keyof KitchenSimEvents>(event: K, listener: (...args: KitchenSimEvents[K]) => void): this {
    this.#events.once(event, listener as never);
    return this;
  }

  /** Removes a listener. */
  off<K extends keyof KitchenSimEvents>(event: K, listener: (...args: KitchenSimEvents[K]) => void): this {
    this.#events.off(event, listener as never);
    return this;
  }

  /** Alias of {@link off} (for `events.once`). */
  removeListener<K extends keyof KitchenSimEvents>(event: K, listener: (...args: KitchenSimEvents[K]) => void): this {
    return this.off(event, listener);
  }

  /**
   * Resolves with the next event of this kind that satisfies `predicate` — the readiness signal tests
   * wait on instead of sleeping.
   * @throws Error (rejects) after `timeoutMs` without one
   */
  waitFor<K extends keyof KitchenSimEvents>(
    event: K,
    predicate: (value: KitchenSimEvents[K][0]) => boolean = () => true,
    timeoutMs: number = DEFAULT_WAIT_MS,
  ): Promise<KitchenSimEvents[K][0]> {
    return new Promise((resolve, reject) => {
      const listener = (value: KitchenSimEvents[K][0]): void => {
        if (!predicate(value)) return;
        clearTimeout(timer);
        this.#events.off(event, listener as never);
        resolve(value);
      };
      const timer = setTimeout(() => {
        this.#events.off(event, listener as never);
        reject(new Error(`kitchen-sim: no matching "${event}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#events.on(event, listener as never);
    });
  }

  /** The open POS-side WebSocket connections. */
  connections(): KitchenConnection[] {
    return this.#ws.connections();
  }

  /**
   * Drops WebSocket connections abruptly (reconnect tests).
   * @param site only this site's; default all
   * @returns how many were dropped
   */
  dropConnections(site?: string): number {
    return this.#ws.drop(site);
  }

  /** Turns echoing of POS WebSocket messages back to their sender on or off. */
  setWsEcho(enabled: boolean): void {
    this.#ws.setEcho(enabled);
  }

  /** Stops timers, drops every connection (hung requests included) and closes the server. */
  async close(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#ws.close();
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Starts the kitchen simulator: REST and WebSocket on one port.
 * @throws TypeError for bad options; rejects when the port cannot be bound
 */
export async function startKitchenSim(options: KitchenSimOptions = {}): Promise<KitchenSim> {
  const resolved = resolveKitchenSimOptions(options);
  const events = new EventEmitter<KitchenSimEvents>();
  const server = createServer();
  const ws = new KitchenWsSide(resolved, {
    connection: (c) => events.emit('connection', c),
    message: (m) => events.emit('message', m),
    disconnect: (c) => events.emit('disconnect', c),
  });
  server.on('upgrade', (req, socket, head) => ws.handleUpgrade(req, socket, head));
  try {
    await listen(server, resolved.port, resolved.host);
  } catch (error) {
    ws.close();
    throw error;
  }
  const sim = new KitchenSim(server, ws, new BoundedLog(resolved.maxRecorded), events, resolved.host);
  // Attached in the same tick as `listen` resolved: no connection can be served before it.
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    sim.handle(req, res).catch((error: unknown) => {
      if (error instanceof TypeError) sendJson(res, 400, { error: 'bad_request', message: error.message });
      else if (!res.headersSent) sendJson(res, 500, { error: 'simulator_error' });
    });
  });
  return sim;
}
