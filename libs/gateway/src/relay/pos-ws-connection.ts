/**
 * One POS's WebSocket to one terminal (`docs/specs/relay.md`): every message, both ways, is the ALE
 * envelope of DESIGN §4 around one SCI document. A message is verified and decrypted by the ALE core
 * (the path's site: a key of another site fails), relayed (`TerminalRelay.request`) and its `<RESPONSE>`
 * sealed back with the key the client last used while it may encrypt, else the site's current key
 * (DESIGN §4). Messages are handled independently — a `SECONDARYPORT` status may be answered while a
 * payment is still outstanding — so answers can come in another order than requests (as on SCA itself).
 *
 * Failures close the socket with the ALE WebSocket's codes (`wsCloseOf`): 1008 for any ALE failure, 1007
 * not an envelope, 1003 binary, 1009 too large, 1013 slow consumer. The POS's disconnect ends its session
 * ownership on every replica.
 */
import { aleAad, aleEncrypt, encodeAleIv, generateAleIv, isWellFormedUtf8 } from '@pos-link/crypto';
import type { CachedSite } from '@pos-link/keyring';
import { buildAleWsEnvelope, isProtocolError, parseAleWsEnvelope, type AleWsEnvelope } from '@pos-link/protocol';
import type { RawData, WebSocket } from 'ws';
import type { AleInput, VerifiedAle } from '../ale/ale-verifier';
import type { AleAddress } from '../ale/site-resolver';
import { isGatewayError } from '../errors/gateway-error';
import type { GatewayErrorCode, WsCode } from '../errors/gateway-error-codes';
import { wsCloseOf } from '../errors/wire-answers';
import { encryptionKeyFor } from '../ws/connection/encryption-key';
import { synthesizedAnswer, type RelayAnswer } from './relay-answer';
import type { TerminalRelay } from './terminal-relay';
import type { PosWsAccepted } from './pos-ws-upgrade';

/** ws' error code for a message over `maxPayload` (it closes with 1009 itself). */
const WS_TOO_LARGE = 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';

/** What the endpoint's connections share. */
export interface PosWsContext {
  /** The ALE core's message verification. */
  readonly verifier: { open(address: Extract<AleAddress, { kind: 'ale' }>, input: AleInput): Promise<VerifiedAle> };
  /** The cached sites (encryption keys). */
  readonly keys: { site(siteId: string): CachedSite | undefined };
  /** The relay. */
  readonly relay: TerminalRelay;
  /** Time source (ms). */
  readonly clock: () => number;
  /** Bytes a socket may have queued before it is a slow consumer (1013). */
  readonly sendQueueMaxBytes: number;
  /** Called once the socket has closed. */
  closed(connection: PosWsConnection): void;
  /** An unexpected exception on the message path (a bug): logged with its stack, the socket closes 1011. */
  internalError(error: unknown): void;
}

/** A POS relay WebSocket. */
export class PosWsConnection {
  /** The client id the relay knows this POS by (unique across replicas). */
  readonly clientId: string;
  readonly #socket: WebSocket;
  readonly #accepted: PosWsAccepted;
  readonly #ctx: PosWsContext;
  readonly #source: string;
  readonly #address: Extract<AleAddress, { kind: 'ale' }>;
  #fingerprint: string;
  #alive = true;
  #closing = false;

  /**
   * @param socket the upgraded socket
   * @param accepted the checked upgrade
   * @param clientId unique id of this POS connection
   * @param source the client's address
   * @param ctx what connections share
   */
  constructor(socket: WebSocket, accepted: PosWsAccepted, clientId: string, source: string, ctx: PosWsContext) {
    this.clientId = clientId;
    this.#socket = socket;
    this.#accepted = accepted;
    this.#ctx = ctx;
    this.#source = source;
    this.#fingerprint = accepted.fingerprint;
    this.#address = { kind: 'ale', prefixSiteId: accepted.siteId, refreshSiteId: accepted.siteId, siteId: accepted.siteId };
    socket.on('message', (data, isBinary) => this.#onMessage(data, isBinary));
    socket.on('pong', () => {
      this.#alive = true;
    });
    socket.on('error', (error: Error & { code?: string }) => {
      if (error.code === WS_TOO_LARGE) this.#closing = true; // ws closes with 1009 itself
    });
    socket.once('close', () => {
      this.#closing = true;
      ctx.relay.releaseClient(clientId);
      ctx.closed(this);
    });
  }

  /** Ping sweep: terminates a peer that did not answer the previous ping (dead-peer eviction). */
  ping(): void {
    if (!this.#alive) {
      this.#closing = true;
      this.#socket.terminate();
      return;
    }
    this.#alive = false;
    this.#socket.ping();
  }

  /** Closes with a WebSocket code (shutdown: 1001). */
  close(code: WsCode): void {
    this.#fail(code);
  }

  #onMessage(data: RawData, isBinary: boolean): void {
    if (this.#closing) return;
    this.#alive = true;
    if (isBinary) {
      this.#fail('ERR_GATEWAY_WS_BINARY_FRAME');
      return;
    }
    let envelope: AleWsEnvelope;
    try {
      envelope = parseAleWsEnvelope((data as Buffer).toString('utf8'));
    } catch (error) {
      if (!isProtocolError(error)) throw error;
      this.#fail('ERR_GATEWAY_WS_NOT_AN_ENVELOPE');
      return;
    }
    this.#handle(envelope).catch((error: unknown) => {
      if (isGatewayError(error)) {
        this.#fail(error.code);
        return;
      }
      this.#ctx.internalError(error);
      this.#fail('ERR_GATEWAY_INTERNAL');
    });
  }

  async #handle(envelope: AleWsEnvelope): Promise<void> {
    const verified = await this.#ctx.verifier.open(this.#address, {
      prefixSiteId: this.#accepted.siteId,
      credentials: { fingerprint: envelope.fingerprint, iv: envelope.iv, timestamp: envelope.ts, alg: this.#accepted.suite },
      ciphertext: envelope.message,
      declaresJson: false,
      hasAuthorization: this.#accepted.hasAuthorization,
      source: this.#source,
    });
    this.#fingerprint = verified.fingerprint;
    const answer: RelayAnswer = isWellFormedUtf8(verified.plaintext)
      ? await this.#ctx.relay.request({
          siteId: this.#accepted.siteId,
          pinpadId: this.#accepted.pinpadId,
          clientId: this.clientId,
          xml: verified.plaintext.toString('utf8'),
        })
      : synthesizedAnswer('REQUEST_INVALID');
    this.#send(answer.xml);
  }

  #send(xml: string): void {
    if (this.#closing) return;
    const key = encryptionKeyFor(this.#ctx.keys.site(this.#accepted.siteId), this.#ctx.clock(), this.#fingerprint);
    if (key === undefined) {
      this.#fail('ERR_GATEWAY_WS_NO_ENCRYPTION_KEY');
      return;
    }
    if (this.#socket.bufferedAmount > this.#ctx.sendQueueMaxBytes) {
      this.#fail('ERR_GATEWAY_WS_SLOW_CONSUMER');
      return;
    }
    const suite = this.#accepted.suite;
    const iv = generateAleIv(suite);
    const fingerprint = key.key.fingerprint;
    const message = aleEncrypt(suite, key.material, iv, Buffer.from(xml, 'utf8'), aleAad(fingerprint));
    this.#socket.send(buildAleWsEnvelope({ iv: encodeAleIv(iv), fingerprint, message }));
  }

  #fail(code: GatewayErrorCode): void {
    if (this.#closing) return;
    this.#closing = true;
    const close = wsCloseOf(code);
    if (close === undefined) this.#socket.terminate();
    else this.#socket.close(close.code, close.reason);
  }
}
