/**
 * `AleWsClient`: the POS side of the ALE WebSocket (DESIGN §4, seed 000). The upgrade carries
 * `sec-fingerprint` and a well-formed `sec-iv` (as headers, or as query parameters like a browser);
 * every message both ways is the envelope `{"iv","fingerprint","message"[, "ts"]}`.
 */
import { EventEmitter } from 'node:events';
import { isAleSuiteName, type AleSuiteName } from '@pos-link/crypto';
import { buildAleWsEnvelope, isProtocolError, parseAleWsEnvelope, type AleWsEnvelope } from '@pos-link/protocol';
import WebSocket, { type ClientOptions, type RawData } from 'ws';
import { parseUrl } from './ale-client';
import { AleClientKeys, type AleKeyValues } from './client-keys';
import { AleClientError, isAleClientError } from './errors';
import { DEFAULT_ALE_SUITE, encryptAle } from './one-shot';
import { openAnswer } from './read-answer';

/** Default bound of {@link AleWsClient.nextMessage}. */
export const DEFAULT_NEXT_MESSAGE_MS = 5000;

/** Options of {@link AleWsClient}. */
export interface AleWsClientOptions {
  /** The gateway's base URL, e.g. `ws://gw:8080` (`wss://` for TLS). */
  readonly url: string;
  /** The endpoint path; default `/ws` (DESIGN §4). */
  readonly path?: string;
  /** Fingerprint of the key to encrypt with. */
  readonly fingerprint: string;
  /** That key's Portal value (a secret: never logged). */
  readonly keyValue: string;
  /** More keys held (rotation), fingerprint → value. */
  readonly keys?: AleKeyValues;
  /** Suite, named at the upgrade (`sec-alg`); default `aes-256-gcm`. */
  readonly suite?: AleSuiteName;
  /** Address the site explicitly: `/sites/{siteId}/ws`. */
  readonly siteId?: string;
  /** Put `ts` (now) in every envelope, bound into the AAD. */
  readonly timestamp?: boolean;
  /** Where the upgrade's security fields go: `headers` (default) or `query` (as browsers must). */
  readonly credentialsIn?: 'headers' | 'query';
  /** `authorization` header on the upgrade. */
  readonly authorization?: string;
  /** Extra upgrade headers. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Options passed to `ws` (TLS settings, `maxPayload`, …). */
  readonly ws?: ClientOptions;
  /** Clock for `ts`; default `Date.now`. */
  readonly now?: () => number;
}

/** What a decrypted message came with. */
export interface AleWsMessageInfo {
  /** The plaintext bytes. */
  readonly bytes: Buffer;
  /** The envelope as received. */
  readonly envelope: AleWsEnvelope;
}

/** Events of an {@link AleWsClient}. */
export type AleWsClientEvents = {
  /** A message decrypted: its plaintext as text (e.g. the heartbeat `isAlive?`, a kitchen event). */
  message: [text: string, info: AleWsMessageInfo];
  /** A message that could not be read (not an envelope, unknown fingerprint, does not decrypt). */
  invalid: [error: AleClientError];
  /** The connection closed. */
  close: [code: number, reason: string];
};

/** With ws's default `binaryType` ('nodebuffer') every message arrives as one Buffer. */
function toText(data: RawData): string {
  return (data as Buffer).toString('utf8');
}

/** An ALE WebSocket connection to the gateway. Use {@link AleWsClient.connect}. */
export class AleWsClient {
  readonly #events = new EventEmitter<AleWsClientEvents>();
  readonly #keys: AleClientKeys;
  readonly #suite: AleSuiteName;
  readonly #options: AleWsClientOptions;
  #fingerprint: string;
  #socket: WebSocket | undefined;

  /** @throws TypeError for missing or malformed options */
  constructor(options: AleWsClientOptions) {
    if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
    this.#suite = options.suite ?? DEFAULT_ALE_SUITE;
    if (!isAleSuiteName(this.#suite)) throw new TypeError('suite must be aes-256-gcm or aes-256-cbc');
    this.#keys = new AleClientKeys(options.keys);
    this.#keys.add(options.fingerprint, options.keyValue);
    this.#fingerprint = options.fingerprint;
    this.#options = options;
  }

  /**
   * Connects and resolves once open.
   * @throws AleClientError `ERR_ALE_CLIENT_UPGRADE_REFUSED` with the gateway's `status` and JSON `body`
   *   (e.g. `{"errorCode":2,"message":"Unable to decrypt payload"}`) when it answers the upgrade with an error
   */
  static async connect(options: AleWsClientOptions): Promise<AleWsClient> {
    const client = new AleWsClient(options);
    await client.open();
    return client;
  }

  /** The fingerprint messages are encrypted under. */
  get fingerprint(): string {
    return this.#fingerprint;
  }

  /** The underlying socket (e.g. to send a raw frame in a test); undefined before {@link open}. */
  get socket(): WebSocket | undefined {
    return this.#socket;
  }

  #upgradeUrl(upgradeFields: Record<string, string>): string {
    const url = parseUrl(this.#options.url, 'url');
    const site = this.#options.siteId === undefined ? '' : `/sites/${encodeURIComponent(this.#options.siteId)}`;
    url.pathname = `${url.pathname.replace(/\/$/, '')}${site}${this.#options.path ?? '/ws'}`;
    if (this.#options.credentialsIn === 'query') {
      for (const [name, value] of Object.entries(upgradeFields)) url.searchParams.set(name, value);
    }
    return url.toString();
  }

  /**
   * Opens the connection (once).
   * @throws AleClientError `ERR_ALE_CLIENT_UPGRADE_REFUSED` when the gateway answers the upgrade with an error
   */
  async open(): Promise<void> {
    if (this.#socket !== undefined) throw new TypeError('open() was already called');
    // The upgrade carries a fresh, well-formed IV like an HTTP request (DESIGN §4) — and a timestamp when
    // the client sends them, as replay protection requires one on requests; it seals nothing.
    const sealed = encryptAle({
      key: this.#keys.key(this.#fingerprint),
      fingerprint: this.#fingerprint,
      plaintext: '',
      suite: this.#suite,
      timestamp: this.#options.timestamp === true,
      now: this.#options.now,
    });
    const fields = { ...sealed.headers };
    const headers: Record<string, string> = { ...this.#options.headers };
    if (this.#options.authorization !== undefined) headers['authorization'] = this.#options.authorization;
    if (this.#options.credentialsIn !== 'query') Object.assign(headers, fields);
    const socket = new WebSocket(this.#upgradeUrl(fields), { ...this.#options.ws, headers: { ...this.#options.ws?.headers, ...headers } });
    this.#socket = socket;
    // Listen before 'open' resolves: a first frame can arrive in the same read as the 101 answer.
    socket.on('message', (data, isBinary) => this.#receive(data, isBinary));
    socket.on('close', (code, reason) => this.#events.emit('close', code, reason.toString('utf8')));
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('unexpected-response', (_req, res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          reject(new AleClientError('ERR_ALE_CLIENT_UPGRADE_REFUSED', { status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
          socket.terminate();
        });
        res.on('error', (cause) => reject(new AleClientError('ERR_ALE_CLIENT_UPGRADE_REFUSED', { status: res.statusCode, cause })));
      });
      socket.once('error', reject);
    });
    socket.on('error', () => undefined); // after open, a failure shows as 'close' (1006)
  }

  #receive(data: RawData, isBinary: boolean): void {
    try {
      if (isBinary) throw new AleClientError('ERR_ALE_CLIENT_MESSAGE_INVALID', { reason: 'binary frame' });
      let envelope: AleWsEnvelope;
      try {
        envelope = parseAleWsEnvelope(toText(data));
      } catch (cause) {
        if (isProtocolError(cause)) throw new AleClientError('ERR_ALE_CLIENT_MESSAGE_INVALID', { reason: 'not an envelope', cause });
        throw cause;
      }
      const fields = { fingerprint: envelope.fingerprint, iv: envelope.iv, alg: undefined, timestamp: envelope.ts };
      const bytes = openAnswer(this.#keys, fields, envelope.message, this.#suite);
      this.#events.emit('message', bytes.toString('utf8'), { bytes, envelope });
    } catch (error) {
      if (!isAleClientError(error)) throw error;
      this.#events.emit('invalid', error);
    }
  }

  /**
   * Encrypts and sends one message: text or bytes as is, anything else as JSON.
   * @throws TypeError when the connection is not open
   */
  send(plaintext: string | Buffer | object): void {
    const socket = this.#socket;
    if (socket === undefined || socket.readyState !== WebSocket.OPEN) throw new TypeError('the connection is not open');
    const bytes = typeof plaintext === 'string' || Buffer.isBuffer(plaintext) ? plaintext : JSON.stringify(plaintext);
    const sealed = encryptAle({
      key: this.#keys.key(this.#fingerprint),
      fingerprint: this.#fingerprint,
      plaintext: bytes,
      suite: this.#suite,
      timestamp: this.#options.timestamp === true,
      now: this.#options.now,
    });
    socket.send(buildAleWsEnvelope({ iv: sealed.iv, fingerprint: sealed.fingerprint, message: sealed.ciphertext, ts: sealed.timestamp }));
  }

  /** Sends under another key from now on (rotation, DESIGN §4); earlier keys stay held for reading. */
  switchKey(fingerprint: string, value: string): void {
    this.#keys.add(fingerprint, value);
    this.#fingerprint = fingerprint;
  }

  /** Adds a listener. */
  on<K extends keyof AleWsClientEvents>(event: K, listener: (...args: AleWsClientEvents[K]) => void): this {
    this.#events.on(event, listener as never);
    return this;
  }

  /** Adds a one-time listener. */
  once<K extends keyof AleWsClientEvents>(event: K, listener: (...args: AleWsClientEvents[K]) => void): this {
    this.#events.once(event, listener as never);
    return this;
  }

  /** Removes a listener. */
  off<K extends keyof AleWsClientEvents>(event: K, listener: (...args: AleWsClientEvents[K]) => void): this {
    this.#events.off(event, listener as never);
    return this;
  }

  /** Alias of {@link off} (for `events.once`). */
  removeListener<K extends keyof AleWsClientEvents>(event: K, listener: (...args: AleWsClientEvents[K]) => void): this {
    return this.off(event, listener);
  }

  /**
   * Resolves with the next decrypted message that satisfies `predicate` (e.g. skip the `isAlive?`
   * heartbeat); rejects with the first unreadable message, on close, or after `timeoutMs`.
   */
  nextMessage(predicate: (text: string) => boolean = () => true, timeoutMs: number = DEFAULT_NEXT_MESSAGE_MS): Promise<string> {
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#events.off('message', onMessage);
        this.#events.off('invalid', onInvalid);
        this.#events.off('close', onClose);
      };
      const onMessage = (text: string): void => {
        if (!predicate(text)) return;
        done();
        resolve(text);
      };
      const onInvalid = (error: AleClientError): void => {
        done();
        reject(error);
      };
      const onClose = (code: number, reason: string): void => {
        done();
        reject(new Error(`connection closed (${code} ${reason})`));
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no message within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#events.on('message', onMessage);
      this.#events.on('invalid', onInvalid);
      this.#events.on('close', onClose);
    });
  }

  /** Closes the connection and resolves once it is closed. */
  async close(code = 1000, reason = ''): Promise<void> {
    const socket = this.#socket;
    if (socket === undefined || socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.close(code, reason);
    });
  }
}

