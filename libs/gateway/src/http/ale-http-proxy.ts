import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { ALE_HEADERS } from '@pos-link/protocol';
import type { AleVerifier, VerifiedAle } from '../ale/ale-verifier';
import type { AleAddress } from '../ale/site-resolver';
import { splitSitePath } from '../ale/site-path';
import { GatewayError, isGatewayError } from '../errors/gateway-error';
import { WIRE_ERROR_CONTENT_TYPE, wireAnswerOf, type GatewayOutcome, type WireAnswer } from '../errors/wire-answers';
import { GATEWAY_EVENTS } from '../telemetry/gateway-events';
import type { GatewayMetrics } from '../telemetry/gateway-metrics';
import { ciphertextText } from './ciphertext-text';
import { headerCredentials, singleHeader } from './header-credentials';
import { answerHeaders, forwardRequestHeaders } from './forward-headers';
import { readBody } from './read-body';
import type { UpstreamAnswer, UpstreamClient } from './upstream-client';
import type { UpstreamTargets } from './upstream-target';

/** DESIGN §3: sealed answers are base64 text. */
const SEALED_CONTENT_TYPE = 'text/plain';

/** A request body declared as JSON (`application/json`, `application/problem+json`, …; parameters allowed). */
const JSON_CONTENT_TYPE = /^[^;]*[/+]json\s*(?:;|$)/i;

/** Replay-store failures are logged at most this often (every one is counted in the metrics). */
const REPLAY_STORE_LOG_INTERVAL_MS = 10_000;

/** Options of {@link AleHttpProxy}. */
export interface AleHttpProxyOptions {
  readonly verifier: AleVerifier;
  /** `UPSTREAM_URL` per site; undefined when unset (standalone without the simulator): every request is 502. */
  readonly targets: UpstreamTargets | undefined;
  readonly upstream: UpstreamClient;
  readonly metrics: GatewayMetrics;
  readonly logger: Logger;
  /** `ALE_MAX_BODY_BYTES`. */
  readonly maxBodyBytes: number;
}

/**
 * The ALE HTTP proxy (DESIGN §3, §7 hot path): raw bytes in with its own body cap, verify and decrypt,
 * forward the plaintext with the kitchen's pool, seal the answer, reply on the raw response. No framework
 * layer between; every failure is answered through `WIRE_ANSWERS`.
 */
export class AleHttpProxy {
  readonly #o: AleHttpProxyOptions;
  readonly #errorHeaders = new Map<WireAnswer, OutgoingHttpHeaders>();
  #lastReplayStoreLog = 0;

  /** @param options collaborators and limits */
  constructor(options: AleHttpProxyOptions) {
    this.#o = options;
  }

  /** Serves one request to completion. Never throws; the answer and its metrics are this method's. */
  handle(req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now();
    this.#serve(req, res).then(
      (outcome) => this.#o.metrics.request(outcome, (performance.now() - started) / 1000),
      (error: unknown) => this.#o.metrics.request(this.#fail(res, error), (performance.now() - started) / 1000),
    );
  }

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<GatewayOutcome> {
    const body = await readBody(req, this.#o.maxBodyBytes);
    if (body === undefined) return 'aborted';
    const { siteId: prefixSiteId, forwardPath } = splitSitePath(req.url ?? '/');
    const headers = req.headers;
    const fingerprint = singleHeader(headers[ALE_HEADERS.fingerprint]);
    const address = this.#o.verifier.address(prefixSiteId, fingerprint);
    if (address.kind === 'plaintext') {
      const answer = await this.#forward(req, address.siteId, forwardPath, forwardRequestHeaders(headers, address.siteId, false), body);
      res.writeHead(answer.status, answerHeaders(answer.headers, false));
      res.end(answer.body);
      return 'plaintext';
    }
    const verified = await this.#verify(req, address, headers, body);
    const answer = await this.#forward(req, verified.siteId, forwardPath, forwardRequestHeaders(headers, verified.siteId, true), verified.plaintext);
    this.#replySealed(res, verified, answer);
    return 'ok';
  }

  #verify(
    req: IncomingMessage,
    address: Extract<AleAddress, { kind: 'ale' }>,
    headers: IncomingHttpHeaders,
    body: Buffer,
  ): Promise<VerifiedAle> {
    const contentType = headers['content-type'];
    return this.#o.verifier.open(address, {
      prefixSiteId: address.prefixSiteId,
      credentials: headerCredentials(headers),
      ciphertext: ciphertextText(body),
      declaresJson: contentType !== undefined && JSON_CONTENT_TYPE.test(contentType),
      hasAuthorization: headers.authorization !== undefined,
      source: req.socket.remoteAddress ?? '',
    });
  }

  async #forward(
    req: IncomingMessage,
    siteId: string,
    forwardPath: string,
    headers: Record<string, string | string[]>,
    body: Buffer,
  ): Promise<UpstreamAnswer> {
    const targets = this.#o.targets;
    if (targets === undefined) throw new GatewayError('ERR_GATEWAY_UPSTREAM_UNAVAILABLE');
    const target = targets.target(siteId);
    const started = performance.now();
    try {
      const answer = await this.#o.upstream.send({
        origin: target.origin,
        path: target.basePath + forwardPath,
        method: req.method ?? 'GET',
        headers,
        body,
      });
      this.#o.metrics.upstream('ok', (performance.now() - started) / 1000);
      return answer;
    } catch (error) {
      const timedOut = isGatewayError(error, 'ERR_GATEWAY_UPSTREAM_TIMEOUT');
      this.#o.metrics.upstream(timedOut ? 'timeout' : 'unavailable', (performance.now() - started) / 1000);
      throw error;
    }
  }

  /**
   * DESIGN §3: the kitchen's status is kept; a non-empty body is sealed with the request's key and suite
   * and a fresh IV; an empty body stays empty.
   */
  #replySealed(res: ServerResponse, verified: VerifiedAle, answer: UpstreamAnswer): void {
    if (answer.body.length === 0) {
      res.writeHead(answer.status, answerHeaders(answer.headers, true));
      res.end();
      return;
    }
    const sealed = this.#o.verifier.seal(verified, answer.body);
    const headers = answerHeaders(answer.headers, true);
    headers['content-type'] = SEALED_CONTENT_TYPE;
    headers[ALE_HEADERS.fingerprint] = verified.fingerprint;
    headers[ALE_HEADERS.iv] = sealed.iv;
    headers[ALE_HEADERS.alg] = verified.suite;
    const contentType = answer.headers['content-type'];
    if (contentType !== undefined) headers[ALE_HEADERS.contentType] = contentType;
    res.writeHead(answer.status, headers);
    // base64 is ASCII, so latin1 writes the same bytes as utf8 without a UTF-8 encoding pass over the text
    // (and lets Node take the text's length as its content-length instead of measuring it).
    res.end(sealed.ciphertext, 'latin1');
  }

  /** The one error path: log, count, answer from `WIRE_ANSWERS`. Returns the outcome. */
  #fail(res: ServerResponse, error: unknown): GatewayOutcome {
    const failure = isGatewayError(error) ? error : new GatewayError('ERR_GATEWAY_INTERNAL', { cause: error });
    const answer = wireAnswerOf(failure.code);
    this.#log(failure);
    this.#o.metrics.refusal(failure.code);
    if (res.headersSent || res.destroyed) return answer.outcome;
    res.writeHead(answer.status, this.#headersOf(answer));
    res.end(answer.body);
    return answer.outcome;
  }

  #headersOf(answer: WireAnswer): OutgoingHttpHeaders {
    let headers = this.#errorHeaders.get(answer);
    if (headers === undefined) {
      headers = { 'content-type': WIRE_ERROR_CONTENT_TYPE, 'content-length': Buffer.byteLength(answer.body) };
      if (answer.closeConnection) headers['connection'] = 'close';
      this.#errorHeaders.set(answer, headers);
    }
    return headers;
  }

  #log(failure: GatewayError): void {
    const { logger } = this.#o;
    switch (failure.code) {
      case 'ERR_GATEWAY_INTERNAL':
        logger.error({ event: GATEWAY_EVENTS.ProxyRequestError, err: failure.cause ?? failure }, 'unexpected error on the ALE proxy path');
        return;
      case 'ERR_GATEWAY_REPLAY_STORE_UNAVAILABLE': {
        const now = Date.now();
        if (now - this.#lastReplayStoreLog < REPLAY_STORE_LOG_INTERVAL_MS) return;
        this.#lastReplayStoreLog = now;
        logger.warn({ event: GATEWAY_EVENTS.ReplayStoreError, err: failure.cause }, 'replay store unavailable: protected sites are refused');
        return;
      }
      case 'ERR_GATEWAY_UPSTREAM_UNAVAILABLE':
      case 'ERR_GATEWAY_UPSTREAM_TIMEOUT':
      case 'ERR_GATEWAY_UPSTREAM_RESPONSE_TOO_LARGE':
        logger.debug({ event: GATEWAY_EVENTS.UpstreamRequestError, code: failure.code, err: failure.cause }, 'kitchen request failed');
        return;
      default:
        logger.debug({ event: GATEWAY_EVENTS.RequestRefused, code: failure.code }, 'request refused');
    }
  }
}
