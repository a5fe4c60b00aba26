import { aleAad, aleEncrypt, encodeAleIv, isWellFormedUtf8, type AleSuiteName } from '@pos-link/crypto';
import type { CachedSite } from '@pos-link/keyring';
import { buildAleWsEnvelope, parseAleWsEnvelope } from '@pos-link/protocol';
import type { RawData, WebSocket } from 'ws';
import type { AleInput, VerifiedAle } from '../../ale/ale-verifier';
import type { AleAddress } from '../../ale/site-resolver';
import { isGatewayError } from '../../errors/gateway-error';
import type { GatewayErrorCode } from '../../errors/gateway-error-codes';
import { wsCloseOf } from '../../errors/wire-answers';
import { parsePesControl, pesErrorText, pesEventText, pesSubscribedText, pesUnsubscribedText, type PesControlMessage } from '../pes/pes-control';
import type { PesEventFeed, PesFeedEntry } from '../pes/pes-event-feed';
import { PesSubscription } from '../pes/pes-subscription';
import type { WsCloseCause, WsTelemetry } from '../ws-telemetry';
import { coalesceWrites } from '../write-coalescing';
import { encryptionKeyFor } from './encryption-key';
import { nextIv } from './iv-source';

/** IV lengths of the suites (DESIGN §3 table). */
const GCM_IV_BYTES = 12;
const CBC_IV_BYTES = 16;

/** ws' error code for a message over `maxPayload` (it closes with 1009 itself). */
const WS_TOO_LARGE = 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';

/**
 * Messages waiting for the one being verified (an unknown fingerprint may wait `ALE_REFRESH_WAIT_MS` for a
 * key refresh): past this the socket stops reading, so a client cannot queue without bound (TCP pushes back).
 */
const INBOUND_PAUSE_AT = 16;

/** What every connection of one endpoint shares (one object, so a connection holds one reference). */
export interface WsConnectionContext {
  /** The ALE core: verifies and decrypts a message (DESIGN §3 rules, errors by `ERR_GATEWAY_…` code). */
  readonly verifier: { open(address: Extract<AleAddress, { kind: 'ale' }>, input: AleInput): Promise<VerifiedAle> };
  /** The cached sites (encryption keys). */
  readonly keys: { site(siteId: string): CachedSite | undefined };
  /** The PES stream reader for subscriptions. */
  readonly feed: PesEventFeed;
  /** Time source (ms). */
  readonly clock: () => number;
  /** `ALE_WS_SEND_QUEUE_MAX_BYTES`. */
  readonly sendQueueMaxBytes: number;
  /** Logs and metrics. */
  readonly telemetry: WsTelemetry;
  /** Delivers a POS message (plaintext, well-formed UTF-8) towards the site's kitchen. */
  toKitchen(siteId: string, plaintext: Buffer): void;
  /** The connection has closed (after its `close` event). */
  closed(connection: AleWsConnection, cause: WsCloseCause, peerCode: number): void;
}

/** How a connection was accepted. */
export interface AleWsConnectionInit {
  /** The site (from the path or the upgrade's key). */
  readonly siteId: string;
  /** The suite named at the upgrade (`sec-alg`) or the default; undefined for a site with `encryption: false`. */
  readonly suite: AleSuiteName | undefined;
  /** The upgrade's fingerprint (the client's key until it sends with another). */
  readonly fingerprint: string | undefined;
  /** The source address (failure budget, per-IP limit). */
  readonly address: string;
}

/**
 * One POS client's ALE WebSocket (DESIGN §4; docs/specs/gateway-ws.md): decrypts its messages in order
 * through the ALE core, forwards them to the kitchen or handles the subscribe/resume messages, and seals
 * everything sent to it with the key it last used while that key may encrypt, else the site's current one.
 * Sends are bounded by `ALE_WS_SEND_QUEUE_MAX_BYTES` of queued bytes (1013 beyond). Every failure closes
 * with the code `wsCloseOf` names; nothing here throws to the socket.
 */
export class AleWsConnection {
  /** The client's site. */
  readonly siteId: string;
  /** The source address. */
  readonly address: string;
  readonly #ctx: WsConnectionContext;
  readonly #socket: WebSocket;
  readonly #suite: AleSuiteName | undefined;
  readonly #aleAddress: Extract<AleAddress, { kind: 'ale' }>;
  #fingerprint: string | undefined;
  #aad: Buffer | undefined;
  #alive = true;
  #cause: GatewayErrorCode | undefined;
  #closing = false;
  #busy = false;
  #queue: Buffer[] | undefined;
  #subscription: PesSubscription | undefined;

  /**
   * @param socket the upgraded socket
   * @param init site, suite, fingerprint, address
   * @param ctx what the endpoint's connections share
   */
  constructor(socket: WebSocket, init: AleWsConnectionInit, ctx: WsConnectionContext) {
    this.#socket = socket;
    this.#ctx = ctx;
    this.siteId = init.siteId;
    this.address = init.address;
    this.#suite = init.suite;
    this.#fingerprint = init.fingerprint;
    this.#aad = init.fingerprint === undefined ? undefined : aleAad(init.fingerprint);
    this.#aleAddress = { kind: 'ale', prefixSiteId: init.siteId, refreshSiteId: init.siteId, siteId: init.siteId };
    socket.on('message', this.#onMessage);
    socket.on('pong', this.#onPong);
    socket.on('error', this.#onError);
    socket.once('close', this.#onClose);
  }

  /** Whether the connection still takes messages. */
  get isOpen(): boolean {
    return !this.#closing;
  }

  /** Whether nothing is queued either way: no message being verified, no bytes waiting for the socket. */
  get isIdle(): boolean {
    return !this.#busy && this.#socket.bufferedAmount === 0;
  }

  /**
   * Seals and sends one plaintext message (a kitchen event, the heartbeat, a control answer).
   * @param onWritten called once the frame is handed to the OS (or the socket is gone)
   * @returns false when nothing was sent (closing, no key, queue full — the last two close the connection)
   */
  send(plaintext: Buffer, onWritten?: () => void): boolean {
    if (this.#closing) return false;
    let frame: string | Buffer = plaintext;
    const suite = this.#suite;
    if (suite !== undefined) {
      const key = encryptionKeyFor(this.#ctx.keys.site(this.siteId), this.#ctx.clock(), this.#fingerprint);
      if (key === undefined) {
        this.close('ERR_GATEWAY_WS_NO_ENCRYPTION_KEY');
        return false;
      }
      const fingerprint = key.key.fingerprint;
      const iv = nextIv(suite === 'aes-256-gcm' ? GCM_IV_BYTES : CBC_IV_BYTES);
      const message = aleEncrypt(suite, key.material, iv, plaintext, this.#aadFor(fingerprint));
      frame = buildAleWsEnvelope({ iv: encodeAleIv(iv), fingerprint, message });
    }
    if (this.#socket.bufferedAmount + frame.length > this.#ctx.sendQueueMaxBytes) {
      this.close('ERR_GATEWAY_WS_SLOW_CONSUMER');
      return false;
    }
    coalesceWrites(this.#socket);
    this.#socket.send(frame, { binary: false }, onWritten === undefined ? undefined : () => onWritten());
    this.#ctx.telemetry.outbound();
    return true;
  }

  /** {@link send} for text. */
  sendText(text: string): boolean {
    return this.send(Buffer.from(text, 'utf8'));
  }

  /** One ping round (dead-peer eviction): terminates a peer that did not answer the previous ping. */
  ping(): void {
    if (this.#closing) return;
    if (!this.#alive) {
      this.close('ERR_GATEWAY_WS_DEAD_PEER');
      return;
    }
    this.#alive = false;
    this.#socket.ping();
  }

  /**
   * Closes with the code's close (`wsCloseOf`), or terminates when it has none. Idempotent: the first
   * cause wins.
   */
  close(cause: GatewayErrorCode): void {
    if (this.#closing) return;
    this.#closing = true;
    this.#cause = cause;
    this.#ctx.telemetry.closing(cause);
    this.#queue = undefined;
    void this.#stopSubscription();
    const close = wsCloseOf(cause);
    if (close === undefined) this.#socket.terminate();
    else this.#socket.close(close.code, close.reason); // ws destroys it after its closeTimeout
  }

  /** Ends the socket at once (shutdown past its drain budget). */
  terminate(): void {
    this.#closing = true;
    this.#socket.terminate();
  }

  #aadFor(fingerprint: string): Buffer {
    if (this.#aad === undefined || fingerprint !== this.#fingerprint) return aleAad(fingerprint);
    return this.#aad;
  }

  readonly #onMessage = (data: RawData, isBinary: boolean): void => {
    if (isBinary) {
      this.close('ERR_GATEWAY_WS_BINARY_FRAME');
      return;
    }
    if (this.#closing) return;
    // With ws' default binaryType ('nodebuffer') a message is one Buffer.
    const bytes = data as Buffer;
    if (this.#busy) {
      const queue = (this.#queue ??= []);
      queue.push(bytes);
      if (queue.length >= INBOUND_PAUSE_AT) this.#socket.pause();
      return;
    }
    void this.#drain(bytes);
  };

  /** Handles messages strictly in arrival order: a verification may wait (key refresh), later ones queue behind it. */
  async #drain(first: Buffer): Promise<void> {
    this.#busy = true;
    let next: Buffer | undefined = first;
    while (next !== undefined && !this.#closing) {
      await this.#handle(next);
      next = this.#queue?.shift();
    }
    this.#busy = false;
    if (this.#socket.isPaused && !this.#closing) this.#socket.resume();
  }

  async #handle(bytes: Buffer): Promise<void> {
    try {
      const plaintext = this.#suite === undefined ? bytes : await this.#open(bytes);
      if (plaintext === undefined || this.#closing) return;
      const control = parsePesControl(plaintext);
      if (control !== undefined) {
        this.#ctx.telemetry.inbound('control');
        await this.#control(control);
        return;
      }
      this.#ctx.telemetry.inbound('forwarded');
      this.#ctx.toKitchen(this.siteId, plaintext);
    } catch (error) {
      this.#ctx.telemetry.internalError(error);
      this.close('ERR_GATEWAY_INTERNAL');
    }
  }

  /** Envelope → verified plaintext, or undefined after closing the connection with the failure's code. */
  async #open(bytes: Buffer): Promise<Buffer | undefined> {
    let envelope;
    try {
      envelope = parseAleWsEnvelope(bytes.toString('utf8'));
    } catch {
      this.#refuse('ERR_GATEWAY_WS_NOT_AN_ENVELOPE');
      return undefined;
    }
    let verified: VerifiedAle;
    try {
      verified = await this.#ctx.verifier.open(this.#aleAddress, {
        prefixSiteId: this.siteId,
        credentials: { fingerprint: envelope.fingerprint, iv: envelope.iv, timestamp: envelope.ts, alg: this.#suite },
        ciphertext: envelope.message,
        declaresJson: false,
        hasAuthorization: true, // authorization is an HTTP request field; the upgrade checked it
        source: this.address,
      });
    } catch (error) {
      if (!isGatewayError(error)) throw error;
      this.#refuse(error.code);
      return undefined;
    }
    // Kitchen messages are text frames: a plaintext that is not UTF-8 cannot be one (one answer, DESIGN §4).
    if (!isWellFormedUtf8(verified.plaintext)) {
      this.#refuse('ERR_GATEWAY_PLAINTEXT_INVALID');
      return undefined;
    }
    if (verified.fingerprint !== this.#fingerprint) {
      this.#fingerprint = verified.fingerprint; // the client switched keys: answers follow it (DESIGN §4)
      this.#aad = aleAad(verified.fingerprint);
    }
    return verified.plaintext;
  }

  #refuse(code: GatewayErrorCode): void {
    this.#ctx.telemetry.inbound('refused');
    this.close(code);
  }

  async #control(control: PesControlMessage): Promise<void> {
    if (control.op === 'invalid') {
      this.sendText(pesErrorText('invalid_request'));
      return;
    }
    await this.#stopSubscription();
    if (control.op === 'unsubscribe') {
      this.sendText(pesUnsubscribedText());
      return;
    }
    const subscription = new PesSubscription({
      feed: this.#ctx.feed,
      siteId: this.siteId,
      from: control.from,
      deliver: this.#deliver,
      onStarted: (fromId) => this.sendText(pesSubscribedText(fromId)),
    });
    this.#subscription = subscription;
    subscription.start().catch((error: unknown) => {
      if (this.#subscription !== subscription) return;
      this.#subscription = undefined;
      this.#ctx.telemetry.feedError(this.siteId, error);
      this.sendText(pesErrorText('unavailable'));
    });
  }

  /** Sends a PES event; during a catch-up, waits for the socket when half the send queue is used. */
  readonly #deliver = (entry: PesFeedEntry): Promise<void> => {
    const plaintext = Buffer.from(pesEventText(entry), 'utf8');
    if (this.#socket.bufferedAmount < this.#ctx.sendQueueMaxBytes / 2) {
      this.send(plaintext);
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      if (!this.send(plaintext, resolve)) resolve();
    });
  };

  async #stopSubscription(): Promise<void> {
    const subscription = this.#subscription;
    this.#subscription = undefined;
    await subscription?.stop();
  }

  readonly #onPong = (): void => {
    this.#alive = true;
  };

  readonly #onError = (error: Error & { code?: string }): void => {
    // ws reports protocol violations here and closes by itself (1009 too large, 1007 bad UTF-8, 1002 …).
    if (error.code === WS_TOO_LARGE && this.#cause === undefined) {
      this.#ctx.telemetry.inbound('refused');
      this.#cause = 'ERR_GATEWAY_WS_MESSAGE_TOO_LARGE';
      this.#ctx.telemetry.closing(this.#cause);
    }
    this.#closing = true;
  };

  readonly #onClose = (code: number): void => {
    this.#closing = true;
    this.#queue = undefined;
    void this.#stopSubscription();
    if (this.#cause === undefined) this.#ctx.telemetry.closing('peer');
    this.#ctx.closed(this, this.#cause ?? 'peer', code);
  };
}
