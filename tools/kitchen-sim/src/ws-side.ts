/**
 * The kitchen's WebSocket side (DESIGN §4): the gateway's bridge connects as a client, one connection per
 * site, to `UPSTREAM_WS_URL` (e.g. `ws://kitchen/ws/{site}`). The simulator sends the plaintext `isAlive?`
 * heartbeat to each connection, emits kitchen events on demand or on a schedule, records what the POS
 * side sent and can drop every connection (reconnect tests).
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { KITCHEN_HEARTBEAT_TEXT, KITCHEN_MAX_BODY_BYTES, type ResolvedKitchenSimOptions } from './options';
import { BoundedLog, type RecordedWsMessage } from './records';
import { scheduledEvent } from './kitchen-events';
import { wsSite } from './site-path';

/** A POS-side WebSocket connection to the kitchen. */
export interface KitchenConnection {
  /** Connection id, from 1. */
  readonly id: number;
  /** The site it connected for, or null. */
  readonly site: string | null;
  /** The upgrade request's path and query. */
  readonly url: string;
  /** The upgrade request's headers. */
  readonly headers: IncomingHttpHeaders;
  /** When it connected, ISO-8601 UTC. */
  readonly connectedAt: string;
}

/** Called for each connection, message and disconnect (the simulator re-emits them as events). */
export interface WsSideListener {
  connection(connection: KitchenConnection): void;
  message(message: RecordedWsMessage): void;
  disconnect(connection: KitchenConnection): void;
}

interface Live {
  readonly info: KitchenConnection;
  readonly socket: WebSocket;
}

/** With ws's default `binaryType` ('nodebuffer') every message arrives as one Buffer. */
function toText(data: RawData): string {
  return (data as Buffer).toString('utf8');
}

/** The WebSocket half of the simulator, attached to its HTTP server's `upgrade` event. */
export class KitchenWsSide {
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: KITCHEN_MAX_BODY_BYTES, perMessageDeflate: false });
  readonly #live = new Set<Live>();
  readonly #log: BoundedLog<RecordedWsMessage>;
  readonly #listener: WsSideListener;
  readonly #timers: NodeJS.Timeout[] = [];
  #nextId = 1;
  #seq = 0;
  #scheduled = 0;
  #echo: boolean;

  /** @param options resolved simulator options @param listener receives connections and messages */
  constructor(options: ResolvedKitchenSimOptions, listener: WsSideListener) {
    this.#log = new BoundedLog(options.maxRecorded);
    this.#listener = listener;
    this.#echo = options.wsEcho;
    if (options.heartbeatMs > 0) {
      this.#timers.push(setInterval(() => this.#broadcast(() => KITCHEN_HEARTBEAT_TEXT), options.heartbeatMs));
    }
    if (options.eventIntervalMs > 0) {
      this.#timers.push(setInterval(() => this.#emitScheduled(), options.eventIntervalMs));
    }
  }

  /** Handles an HTTP upgrade: accepts `/ws/{site}`, `/sites/{site}/ws` and `/ws`; anything else is 404. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://kitchen-sim');
    const site = wsSite(url.pathname, url.searchParams, req.headers);
    if (site === undefined) {
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws, req, site));
  }

  #accept(socket: WebSocket, req: IncomingMessage, site: string | null): void {
    const info: KitchenConnection = {
      id: this.#nextId++,
      site,
      url: req.url ?? '/',
      headers: req.headers,
      connectedAt: new Date().toISOString(),
    };
    const live: Live = { info, socket };
    this.#live.add(live);
    socket.on('message', (data, isBinary) => {
      const text = toText(data);
      const record: RecordedWsMessage = {
        seq: ++this.#seq,
        connectionId: info.id,
        site,
        data: text,
        binary: isBinary,
        time: new Date().toISOString(),
      };
      this.#log.push(record);
      this.#listener.message(record);
      if (this.#echo && socket.readyState === WebSocket.OPEN) socket.send(text);
    });
    socket.on('close', () => {
      this.#live.delete(live);
      this.#listener.disconnect(info);
    });
    socket.on('error', () => socket.terminate()); // a broken peer only ends its own connection
    this.#listener.connection(info);
  }

  #broadcast(frame: (live: Live) => string, site?: string): number {
    let delivered = 0;
    for (const live of this.#live) {
      if (site !== undefined && live.info.site !== site) continue;
      if (live.socket.readyState !== WebSocket.OPEN) continue;
      live.socket.send(frame(live));
      delivered += 1;
    }
    return delivered;
  }

  #emitScheduled(): void {
    const n = this.#scheduled++;
    const bySite = new Map<string | null, string>(); // one event per site, the same for all its connections
    this.#broadcast((live) => {
      let text = bySite.get(live.info.site);
      if (text === undefined) {
        text = JSON.stringify(scheduledEvent(n, live.info.site ?? undefined));
        bySite.set(live.info.site, text);
      }
      return text;
    });
  }

  /**
   * Sends a kitchen event to every connection of `site` (`'*'` = every connection): an object as JSON,
   * a string as is.
   * @returns how many connections it was sent to
   */
  emit(site: string, event: object | string): number {
    if (typeof site !== 'string') throw new TypeError('site must be a string ("*" for every connection)');
    if (typeof event !== 'string' && (event === null || typeof event !== 'object')) throw new TypeError('event must be an object or a string');
    const text = typeof event === 'string' ? event : JSON.stringify(event);
    return this.#broadcast(() => text, site === '*' ? undefined : site);
  }

  /** The messages received (oldest first, bounded). */
  received(): RecordedWsMessage[] {
    return this.#log.list();
  }

  /** Forgets the received messages. */
  clear(): void {
    this.#log.clear();
  }

  /** The open connections. */
  connections(): KitchenConnection[] {
    return [...this.#live].map((l) => l.info);
  }

  /**
   * Drops connections abruptly (TCP reset, no close frame), like a crashed kitchen.
   * @param site only this site's connections; default all
   * @returns how many were dropped
   */
  drop(site?: string): number {
    let dropped = 0;
    for (const live of [...this.#live]) {
      if (site !== undefined && live.info.site !== site) continue;
      live.socket.terminate();
      dropped += 1;
    }
    return dropped;
  }

  /** Turns echoing of received messages on or off. */
  setEcho(enabled: boolean): void {
    if (typeof enabled !== 'boolean') throw new TypeError('enabled must be a boolean');
    this.#echo = enabled;
  }

  /** Stops the timers and drops every connection. */
  close(): void {
    for (const timer of this.#timers) clearInterval(timer);
    this.drop();
    this.#wss.close();
  }
}
