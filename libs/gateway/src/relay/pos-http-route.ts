/**
 * The POS's HTTP route to a terminal (DESIGN §5, `docs/specs/relay.md`):
 *
 * `POST /sites/{siteId}/terminals/{pinpadId}/transaction` — the body is one `<TRANSACTION>`, ALE-encrypted
 * exactly like a request of DESIGN §3 with a key of `siteId` (a key of another site is errorCode 3); the
 * answer is the terminal's `<RESPONSE>` (or a synthesized one) sealed with the request's key, with the HTTP
 * status of `SYNTHESIZED_RESPONSES` (200 when the terminal answered, 503 offline, …) and
 * `sec-content-type: application/xml`.
 *
 * Raw request in, raw answer out, like the ALE proxy (DESIGN §7): the ALE core verifies and decrypts, the
 * relay relays. ALE failures are answered from `WIRE_ANSWERS`, the relay's own from `RELAY_REFUSALS`.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { isWellFormedUtf8 } from '@pos-link/crypto';
import { ALE_HEADERS } from '@pos-link/protocol';
import type { AleVerifier, VerifiedAle } from '../ale/ale-verifier';
import { GatewayError, isGatewayError } from '../errors/gateway-error';
import { isRelayCode } from '../errors/gateway-error-codes';
import { WIRE_ERROR_CONTENT_TYPE, relayRefusalOf, wireAnswerOf } from '../errors/wire-answers';
import { ciphertextText } from '../http/ciphertext-text';
import { headerCredentials, singleHeader } from '../http/header-credentials';
import { readBody } from '../http/read-body';
import type { GatewayMetrics } from '../telemetry/gateway-metrics';
import { synthesizedAnswer, type RelayAnswer } from './relay-answer';
import type { RelayTelemetry } from './relay-telemetry';
import type { TerminalRelay } from './terminal-relay';
import { isValidPinpadId } from './terminal-sites';

/** The route, in fastify's syntax. */
export const POS_HTTP_ROUTE = '/sites/:siteId/terminals/:pinpadId/transaction';

/** The plaintext content type of SCI documents (`sec-content-type` of every answer). */
export const SCI_CONTENT_TYPE = 'application/xml';

/**
 * Names the POS behind an HTTP request, so a session it opens (`SESSION`/`START`) stays its own across
 * requests; without it the source address names the POS. Within one site every POS holds the site's keys,
 * so this separates POS clients, it does not authenticate them.
 */
export const POS_ID_HEADER = 'x-pos-id';

/** DESIGN §3: sealed answers are base64 text. */
const SEALED_CONTENT_TYPE = 'text/plain';

/** A `x-pos-id` value: visible ASCII, bounded (it becomes part of an in-memory key). */
const POS_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;

/** Options of {@link PosHttpRoute}. */
export interface PosHttpRouteOptions {
  readonly verifier: AleVerifier;
  readonly relay: TerminalRelay;
  /** The gateway's request metrics (ALE refusals are counted with the proxy's). */
  readonly metrics: GatewayMetrics;
  /** Logs a bug on this route. */
  readonly telemetry: RelayTelemetry;
  /** `ALE_MAX_BODY_BYTES`. */
  readonly maxBodyBytes: number;
}

/** Serves `POST /sites/{siteId}/terminals/{pinpadId}/transaction`. */
export class PosHttpRoute {
  readonly #o: PosHttpRouteOptions;

  /** @param options collaborators and limits */
  constructor(options: PosHttpRouteOptions) {
    this.#o = options;
  }

  /**
   * Serves one request to completion on the raw request/response. Never throws.
   * @param siteId the route's site segment (as routed)
   * @param pinpadId the route's pinpad segment (decoded)
   */
  handle(req: IncomingMessage, res: ServerResponse, siteId: string, pinpadId: string): void {
    this.#serve(req, res, siteId, pinpadId).catch((error: unknown) => this.#fail(res, error));
  }

  async #serve(req: IncomingMessage, res: ServerResponse, siteId: string, pinpadId: string): Promise<void> {
    const body = await readBody(req, this.#o.maxBodyBytes);
    if (body === undefined) return; // the client went away
    const headers = req.headers;
    const verified = await this.#o.verifier.verify({
      prefixSiteId: siteId,
      credentials: headerCredentials(headers),
      ciphertext: ciphertextText(body),
      declaresJson: false,
      hasAuthorization: headers.authorization !== undefined,
      source: req.socket.remoteAddress ?? '',
    });
    if (!verified.encrypted) throw new GatewayError('ERR_GATEWAY_RELAY_ALE_REQUIRED');
    if (!isValidPinpadId(pinpadId)) throw new GatewayError('ERR_GATEWAY_RELAY_PINPAD_ID_INVALID');
    const answer = isWellFormedUtf8(verified.plaintext)
      ? await this.#o.relay.request({
          siteId: verified.siteId,
          pinpadId,
          clientId: httpClientId(verified.siteId, headers, req.socket.remoteAddress),
          xml: verified.plaintext.toString('utf8'),
        })
      : synthesizedAnswer('REQUEST_INVALID');
    this.#reply(res, verified, answer);
  }

  #reply(res: ServerResponse, verified: VerifiedAle, answer: RelayAnswer): void {
    if (res.destroyed) return;
    const sealed = this.#o.verifier.seal(verified, Buffer.from(answer.xml, 'utf8'));
    // A known length: no chunked framing for the POS to parse.
    res.writeHead(answer.httpStatus, {
      'content-type': SEALED_CONTENT_TYPE,
      'content-length': Buffer.byteLength(sealed.ciphertext),
      [ALE_HEADERS.fingerprint]: verified.fingerprint,
      [ALE_HEADERS.iv]: sealed.iv,
      [ALE_HEADERS.alg]: verified.suite,
      [ALE_HEADERS.contentType]: SCI_CONTENT_TYPE,
    });
    res.end(sealed.ciphertext);
  }

  #fail(res: ServerResponse, error: unknown): void {
    let status: number;
    let body: string;
    let close = false;
    if (isGatewayError(error) && isRelayCode(error.code)) {
      ({ status, body } = relayRefusalOf(error.code));
    } else {
      if (!isGatewayError(error)) this.#o.telemetry.posInternalError(error);
      const failure = isGatewayError(error) ? error : new GatewayError('ERR_GATEWAY_INTERNAL', { cause: error });
      this.#o.metrics.refusal(failure.code);
      const answer = wireAnswerOf(failure.code);
      ({ status, body } = answer);
      close = answer.closeConnection;
    }
    if (res.headersSent || res.destroyed) return;
    const headers: Record<string, string | number> = { 'content-type': WIRE_ERROR_CONTENT_TYPE, 'content-length': Buffer.byteLength(body) };
    if (close) headers['connection'] = 'close';
    res.writeHead(status, headers);
    res.end(body);
  }
}

/** The POS's id on the HTTP route: per site, `x-pos-id` or else the source address. */
export function httpClientId(siteId: string, headers: IncomingHttpHeaders, remote: string | undefined): string {
  const posId = singleHeader(headers[POS_ID_HEADER]);
  return `http:${siteId}:${posId !== undefined && POS_ID_PATTERN.test(posId) ? posId : `addr:${remote ?? ''}`}`;
}
