import { Agent, request } from 'undici';
import { KeySyncError } from '../errors/key-sync-errors';

/**
 * A site object is a few KiB (seed 001's example is under 2 KiB). Anything past 1 MiB is a broken or hostile
 * Portal; it is refused before it is buffered further (DESIGN §7: fail closed, bounded memory).
 */
export const MAX_SITE_OBJECT_BYTES = 1_048_576;

/** Where the site objects come from: the Portal over HTTP(S) in production, anything alike in tests. */
export interface SiteObjectSource {
  /**
   * The parsed JSON body of `GET {PORTAL_URL}/sites/{siteId}` (not yet validated).
   * @throws KeySyncError `ERR_KEYSYNC_PORTAL_*` for every way the exchange can fail
   */
  fetchSite(siteId: string): Promise<unknown>;
  /** Aborts fetches in flight and releases the connections. */
  close(): Promise<void>;
}

/** Options of {@link PortalClient}. */
export interface PortalClientOptions {
  /** `PORTAL_URL`: the base URL, e.g. `https://portal.example.com/api` (a trailing `/` is ignored). */
  readonly baseUrl: string;
  /** `PORTAL_AUTH`: the exact `Authorization` header value (secret: never logged, never in an error). */
  readonly authorization: string;
  /** `KEYSYNC_PORTAL_TIMEOUT_MS`: the whole exchange (connect, headers, body) must finish within it. */
  readonly timeoutMs: number;
  /** Largest accepted body (default {@link MAX_SITE_OBJECT_BYTES}). */
  readonly maxBodyBytes?: number;
}

/**
 * The Portal's `GET /sites/{id}` (DESIGN §2, seed 001) over undici with its own connection pool. Every failure
 * becomes a {@link KeySyncError} whose code tells the outcome apart (status, unreachable, timeout, body);
 * messages carry the status or the transport error code, never the body or the credentials.
 */
export class PortalClient implements SiteObjectSource {
  readonly #baseUrl: string;
  readonly #authorization: string;
  readonly #timeoutMs: number;
  readonly #maxBodyBytes: number;
  readonly #agent: Agent;
  readonly #closing = new AbortController();

  /** @param options base URL, credentials and limits */
  constructor(options: PortalClientOptions) {
    if (typeof options.baseUrl !== 'string' || !URL.canParse(options.baseUrl)) throw new TypeError('baseUrl must be a URL');
    if (typeof options.authorization !== 'string' || options.authorization === '') {
      throw new TypeError('authorization must be a non-empty string');
    }
    if (!Number.isInteger(options.timeoutMs) || options.timeoutMs < 1) throw new TypeError('timeoutMs must be an integer >= 1');
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#authorization = options.authorization;
    this.#timeoutMs = options.timeoutMs;
    this.#maxBodyBytes = options.maxBodyBytes ?? MAX_SITE_OBJECT_BYTES;
    // undici's own timeouts back up the overall deadline (a connect that hangs, a body that trickles).
    this.#agent = new Agent({
      connect: { timeout: options.timeoutMs },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  }

  /** {@inheritDoc SiteObjectSource.fetchSite} */
  async fetchSite(siteId: string): Promise<unknown> {
    const deadline = AbortSignal.timeout(this.#timeoutMs);
    const signal = AbortSignal.any([deadline, this.#closing.signal]);
    const url = `${this.#baseUrl}/sites/${encodeURIComponent(siteId)}`;
    let text: string;
    try {
      const response = await request(url, {
        method: 'GET',
        dispatcher: this.#agent,
        signal,
        headers: { authorization: this.#authorization, accept: 'application/json', 'user-agent': 'pos-link-key-sync' },
      });
      if (response.statusCode !== 200) {
        await response.body.dump().catch(() => undefined);
        throw new KeySyncError('ERR_KEYSYNC_PORTAL_HTTP_STATUS', `site ${siteId}: HTTP ${response.statusCode}`);
      }
      text = await this.#readBody(response.body, siteId);
    } catch (error) {
      if (error instanceof KeySyncError) throw error;
      if (deadline.aborted || isUndiciTimeout(error)) {
        throw new KeySyncError('ERR_KEYSYNC_PORTAL_TIMEOUT', `site ${siteId}: no answer within ${this.#timeoutMs} ms`, { cause: error });
      }
      const reason = this.#closing.signal.aborted ? 'client closed' : transportCode(error);
      throw new KeySyncError('ERR_KEYSYNC_PORTAL_UNREACHABLE', `site ${siteId}: ${reason}`, { cause: error });
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // No cause and no excerpt: the parser's message quotes the body, which holds key values.
      throw new KeySyncError('ERR_KEYSYNC_PORTAL_BODY_INVALID', `site ${siteId}: ${Buffer.byteLength(text)} bytes`);
    }
  }

  /** {@inheritDoc SiteObjectSource.close} */
  async close(): Promise<void> {
    this.#closing.abort();
    await this.#agent.destroy().catch(() => undefined);
  }

  async #readBody(body: AsyncIterable<Buffer> & { destroy(): void }, siteId: string): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += chunk.length;
      if (size > this.#maxBodyBytes) {
        body.destroy();
        throw new KeySyncError('ERR_KEYSYNC_PORTAL_BODY_TOO_LARGE', `site ${siteId}: over ${this.#maxBodyBytes} bytes`);
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, size).toString('utf8');
  }
}

/** undici's own deadline errors (connect, headers, body). */
function isUndiciTimeout(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
}

/** A bounded description of a transport failure: its code (ECONNREFUSED, UND_ERR_SOCKET …), never a message. */
function transportCode(error: unknown): string {
  const code = (error as { code?: unknown; cause?: { code?: unknown } } | null)?.code ?? (error as { cause?: { code?: unknown } })?.cause?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? code : 'connection failed';
}
