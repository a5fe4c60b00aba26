/**
 * The POS's WebSocket endpoint to terminals, `/sites/{siteId}/terminals/{pinpadId}/ws`
 * (`docs/specs/relay.md`): checks each upgrade before upgrading (`checkPosWsUpgrade`; refusals are the
 * ALE WebSocket's HTTP answers, `upgradeRefusalOf`, or the relay's, `relayRefusalOf`), then serves the
 * connection (`PosWsConnection`). Registered on the gateway's `UpgradeRouter`.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { isGatewayError } from '../errors/gateway-error';
import { isRelayCode } from '../errors/gateway-error-codes';
import { relayRefusalOf, upgradeRefusalOf } from '../errors/wire-answers';
import { rejectUpgrade } from '../upgrade/reject-upgrade';
import type { UpgradeHandler } from '../upgrade/upgrade-router';
import type { UpgradeCheckCore } from '../ws/upgrade-check';
import { PosWsConnection, type PosWsContext } from './pos-ws-connection';
import { checkPosWsUpgrade, isPosWsPath } from './pos-ws-upgrade';

/** Path-matched, so it may go before the ALE WebSocket's generic `/sites/{id}/ws`; terminals (`sci`) go first. */
export const POS_WS_UPGRADE_PRIORITY = 50;

/**
 * Frame limit, in multiples of `RELAY_MAX_XML_BYTES`: an envelope carries base64 (4/3) of the ciphertext
 * plus ≈ 100 bytes of JSON, so 3× lets a document somewhat over the cap arrive and be answered 59024
 * (REQUEST_TOO_LARGE) instead of closing the socket; beyond it ws closes with 1009.
 */
const FRAME_LIMIT_FACTOR = 3;

/** Options of {@link PosWsEndpoint}. */
export interface PosWsEndpointOptions {
  /** The ALE core's upgrade pieces (address, key selection, budget, suites). */
  readonly core: UpgradeCheckCore;
  /** What connections share (the `closed` hook is the endpoint's). */
  readonly context: Omit<PosWsContext, 'closed'>;
  /** `RELAY_MAX_XML_BYTES`. */
  readonly maxXmlBytes: number;
  /** Ping period (dead-peer eviction within two periods). */
  readonly pingMs: number;
  /** Prefix of client ids (the replica id: ids stay unique across replicas). */
  readonly clientIdPrefix: string;
  /** Logs a refused upgrade (bounded fields: the code). */
  readonly refused: (code: string) => void;
}

/** Accepts POS relay WebSockets. */
export class PosWsEndpoint {
  readonly #o: PosWsEndpointOptions;
  readonly #wss: WebSocketServer;
  readonly #connections = new Set<PosWsConnection>();
  readonly #context: PosWsContext;
  readonly #sweep: NodeJS.Timeout;
  #sequence = 0;

  /** @param options see {@link PosWsEndpointOptions} */
  constructor(options: PosWsEndpointOptions) {
    this.#o = options;
    this.#wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: options.maxXmlBytes * FRAME_LIMIT_FACTOR,
    });
    this.#context = { ...options.context, closed: (connection) => this.#connections.delete(connection) };
    this.#sweep = setInterval(() => this.#connections.forEach((c) => c.ping()), options.pingMs);
    this.#sweep.unref();
  }

  /** Open connections. */
  get size(): number {
    return this.#connections.size;
  }

  /** The handler for the public port's `UpgradeRouter`. */
  upgradeHandler(): UpgradeHandler {
    return {
      name: 'relay-pos-ws',
      priority: POS_WS_UPGRADE_PRIORITY,
      matches: (req) => isPosWsPath(req),
      handle: (req, socket, head) => this.handle(req, socket, head),
    };
  }

  /** Checks and upgrades (or refuses) one POS handshake. */
  handle(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const source = req.socket.remoteAddress ?? '';
    checkPosWsUpgrade(this.#o.core, req, source).then(
      (accepted) => {
        this.#wss.handleUpgrade(req, socket, head, (ws) => {
          const clientId = `ws:${this.#o.clientIdPrefix}:${++this.#sequence}`;
          this.#connections.add(new PosWsConnection(ws, accepted, clientId, source, this.#context));
        });
      },
      (error: unknown) => {
        let refusal: { status: number; body: string };
        if (isGatewayError(error)) refusal = isRelayCode(error.code) ? relayRefusalOf(error.code) : upgradeRefusalOf(error.code);
        else {
          this.#o.context.internalError(error);
          refusal = upgradeRefusalOf('ERR_GATEWAY_INTERNAL');
        }
        this.#o.refused(isGatewayError(error) ? error.code : 'ERR_GATEWAY_INTERNAL');
        rejectUpgrade(socket, refusal.status, refusal.body);
      },
    ).catch((error: unknown) => {
      // A bug while completing the upgrade: never an unhandled rejection, never a half-open socket.
      this.#o.context.internalError(error);
      socket.destroy();
    });
  }

  /** Closes every connection with 1001 (shutdown) and stops the ping sweep. */
  close(): void {
    clearInterval(this.#sweep);
    for (const connection of this.#connections) connection.close('ERR_GATEWAY_WS_SHUTTING_DOWN');
  }
}
