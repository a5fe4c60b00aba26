/**
 * `AleClient`: an HTTP client that speaks ALE to the secure gateway (DESIGN §3, seed 000) the way a POS
 * integrator would — every request encrypted (the empty body too), every encrypted answer decrypted,
 * plaintext error answers returned as they are.
 */
import { isAleSuiteName, type AleSuiteName } from '@pos-link/crypto';
import { ALE_HEADERS } from '@pos-link/protocol';
import { Agent, request, type Dispatcher } from 'undici';
import { AleClientKeys, type AleKeyValues } from './client-keys';
import { DEFAULT_ALE_SUITE, encryptAle } from './one-shot';
import { openAnswer } from './read-answer';

/** Options of {@link AleClient}. */
export interface AleClientOptions {
  /** The gateway's base URL, e.g. `http://gw:8080`. */
  readonly baseUrl: string;
  /** Fingerprint of the key to encrypt with. */
  readonly fingerprint: string;
  /** That key's Portal value (a secret: never logged). */
  readonly keyValue: string;
  /** More keys this client holds (rotation: answers may come under any of them), fingerprint → value. */
  readonly keys?: AleKeyValues;
  /** Suite; default `aes-256-gcm`. */
  readonly suite?: AleSuiteName;
  /** Address the site explicitly: every path is prefixed with `/sites/{siteId}` (DESIGN §3). */
  readonly siteId?: string;
  /** Send `sec-timestamp` (now) with every request, bound into the AAD (needed under replay protection). */
  readonly timestamp?: boolean;
  /** `authorization` header for every request (forwarded to the kitchen untouched). */
  readonly authorization?: string;
  /** A shared undici dispatcher (pool/agent); default a private keep-alive agent closed by `close()`. */
  readonly dispatcher?: Dispatcher;
  /** Clock for `sec-timestamp`; default `Date.now`. */
  readonly now?: () => number;
}

/** One request. */
export interface AleRequest {
  /** HTTP method; default `POST`. */
  readonly method?: string;
  /** Path and query, e.g. `/order?x=1` (the site prefix is added for you); default `/`. */
  readonly path?: string;
  /** The plaintext body: text or bytes as is, anything else as JSON; default empty. */
  readonly body?: string | Buffer | object;
  /** Content type of the plaintext (forwarded to the kitchen); default `application/json` when there is a body. */
  readonly contentType?: string;
  /** Extra headers (the `sec-*` ones are set by the client). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Send under this key instead of the current one (it must be held). */
  readonly fingerprint?: string;
}

/** One answer. */
export interface AleResponse {
  /** HTTP status (the kitchen's, or the gateway's own on its failures). */
  readonly status: number;
  /** Response headers. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The plaintext body: decrypted when the answer was encrypted, else as received. */
  readonly body: Buffer;
  /** `body` as UTF-8 text. */
  readonly text: string;
  /** The body exactly as received (base64 ciphertext when encrypted). */
  readonly raw: string;
  /** Whether the answer was encrypted. */
  readonly encrypted: boolean;
  /** The fingerprint an encrypted answer was sealed with. */
  readonly fingerprint: string | undefined;
  /** The plaintext's content type (`sec-content-type` when encrypted, else `content-type`). */
  readonly contentType: string | undefined;
}

/** A URL, or this realm's TypeError naming the option (Node's own comes from another realm under Jest). */
export function parseUrl(text: string, name: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new TypeError(`${name} must be an absolute URL`);
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Plaintext bytes and default content type of a request body. */
function plaintextOf(body: AleRequest['body']): { bytes: Buffer; contentType: string | undefined } {
  if (body === undefined) return { bytes: Buffer.alloc(0), contentType: undefined };
  if (Buffer.isBuffer(body)) return { bytes: body, contentType: 'application/octet-stream' };
  if (typeof body === 'string') return { bytes: Buffer.from(body, 'utf8'), contentType: 'application/json' };
  return { bytes: Buffer.from(JSON.stringify(body), 'utf8'), contentType: 'application/json' };
}

/** An ALE HTTP client for one site's keys. */
export class AleClient {
  readonly #base: URL;
  readonly #keys: AleClientKeys;
  readonly #suite: AleSuiteName;
  readonly #options: AleClientOptions;
  readonly #dispatcher: Dispatcher;
  readonly #ownDispatcher: boolean;
  #fingerprint: string;

  /** @throws TypeError for missing or malformed options */
  constructor(options: AleClientOptions) {
    if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
    this.#base = parseUrl(options.baseUrl, 'baseUrl');
    this.#suite = options.suite ?? DEFAULT_ALE_SUITE;
    if (!isAleSuiteName(this.#suite)) throw new TypeError('suite must be aes-256-gcm or aes-256-cbc');
    if (options.siteId !== undefined && (typeof options.siteId !== 'string' || options.siteId === '')) {
      throw new TypeError('siteId must be a non-empty string');
    }
    this.#keys = new AleClientKeys(options.keys);
    this.#keys.add(options.fingerprint, options.keyValue);
    this.#fingerprint = options.fingerprint;
    this.#options = options;
    this.#ownDispatcher = options.dispatcher === undefined;
    this.#dispatcher = options.dispatcher ?? new Agent();
  }

  /** The fingerprint requests are encrypted under. */
  get fingerprint(): string {
    return this.#fingerprint;
  }

  /** Switches to another key (rotation); the previous one stays held for answers. */
  switchKey(fingerprint: string, value: string): void {
    this.#keys.add(fingerprint, value);
    this.#fingerprint = fingerprint;
  }

  /**
   * Sends one request: encrypts the body (also an empty one), sets `sec-fingerprint`, `sec-iv`, `sec-alg`
   * (and `sec-timestamp`), and decrypts an encrypted answer.
   * @throws AleClientError for an encrypted answer it cannot read (`ERR_ALE_CLIENT_FINGERPRINT_UNKNOWN`,
   *   `ERR_ALE_CLIENT_MESSAGE_INVALID`, `ERR_ALE_CLIENT_DECRYPT_FAILED`); network errors as undici throws them
   */
  async request(req: AleRequest = {}): Promise<AleResponse> {
    const fingerprint = req.fingerprint ?? this.#fingerprint;
    const plaintext = plaintextOf(req.body);
    const sealed = encryptAle({
      key: this.#keys.key(fingerprint),
      fingerprint,
      plaintext: plaintext.bytes,
      suite: this.#suite,
      timestamp: this.#options.timestamp === true,
      now: this.#options.now,
    });
    const headers: Record<string, string> = {};
    const contentType = req.contentType ?? plaintext.contentType;
    if (contentType !== undefined) headers['content-type'] = contentType;
    if (this.#options.authorization !== undefined) headers['authorization'] = this.#options.authorization;
    for (const [name, value] of Object.entries(req.headers ?? {})) headers[name.toLowerCase()] = value;
    Object.assign(headers, sealed.headers); // the sec-* headers are the client's, never the caller's
    const res = await request(this.#url(req.path ?? '/'), {
      method: (req.method ?? 'POST').toUpperCase() as Dispatcher.HttpMethod,
      headers,
      body: sealed.ciphertext,
      dispatcher: this.#dispatcher,
    });
    const rawBytes = Buffer.from(await res.body.arrayBuffer());
    return this.#readAnswer(res.statusCode, res.headers, rawBytes);
  }

  #url(path: string): URL {
    if (typeof path !== 'string' || !path.startsWith('/')) throw new TypeError('path must start with "/"');
    const prefix = this.#options.siteId === undefined ? '' : `/sites/${encodeURIComponent(this.#options.siteId)}`;
    const basePath = this.#base.pathname.replace(/\/$/, '');
    return new URL(`${basePath}${prefix}${path}`, this.#base);
  }

  #readAnswer(status: number, headers: AleResponse['headers'], raw: Buffer): AleResponse {
    const fingerprint = single(headers[ALE_HEADERS.fingerprint]);
    const iv = single(headers[ALE_HEADERS.iv]);
    // DESIGN §3: an empty kitchen body stays empty (no sec-* headers needed to read it).
    const encrypted = raw.length > 0 && (fingerprint !== undefined || iv !== undefined);
    const rawText = raw.toString('utf8');
    const body = encrypted ? openAnswer(this.#keys, { fingerprint, iv, alg: single(headers[ALE_HEADERS.alg]) }, rawText, this.#suite) : raw;
    return {
      status,
      headers,
      body,
      text: body.toString('utf8'),
      raw: rawText,
      encrypted,
      fingerprint: encrypted ? fingerprint : undefined,
      contentType: single(encrypted ? headers[ALE_HEADERS.contentType] : headers['content-type']),
    };
  }

  /** Releases the private connection pool (a shared `dispatcher` is left open). */
  async close(): Promise<void> {
    if (this.#ownDispatcher) await this.#dispatcher.close();
  }
}
