/**
 * THE mapping from gateway error codes to wire answers (STYLE 5), one section per surface:
 *
 * - HTTP (ALE core and proxy codes, DESIGN §3): status and exact body, the seed's `errorCode` (so the
 *   WebSocket side maps the same codes to close codes), the metric outcome, and whether the failure
 *   spends the source address's failure budget;
 * - WebSocket (DESIGN §4): the close of an open connection, or the HTTP refusal of an upgrade;
 * - terminal relay (DESIGN §5): the HTTP refusal of a terminal handshake or a POS relay request.
 *
 * Nothing else in the gateway decides a status, a close code or writes an error body. Close reasons never
 * tell the causes of a refused message apart (DESIGN §4: "never a hint why"): every ALE failure of a
 * message closes with 1008 `Unable to decrypt payload`.
 */
import {
  ALE_ERROR_BODIES,
  ALE_ERROR_CONTENT_TYPE,
  ALE_ERROR_STATUS,
  ALE_WS_CLOSE_CODES,
  GATEWAY_ERROR_BODIES,
  type AleErrorCode,
  type AleWsClose,
  type GatewayErrorBody,
} from '@pos-link/protocol';
import { isAleHttpCode, isWsCode, type AleHttpCode, type GatewayErrorCode, type RelayCode, type WsCode } from './gateway-error-codes';

// ─── HTTP: the ALE core's and the proxy's codes ─────────────────────────────────────────────────────

/**
 * The bounded set of `outcome` label values of the request metrics (STYLE 13): every answer falls in
 * exactly one.
 */
export const GATEWAY_OUTCOMES = [
  'ok',
  'plaintext',
  'error_code_1',
  'error_code_2',
  'error_code_3',
  'replay',
  'payload_too_large',
  'too_many_failures',
  'replay_store_unavailable',
  'upstream_unavailable',
  'upstream_timeout',
  'internal_error',
  'aborted',
] as const;

/** One `outcome` label value. */
export type GatewayOutcome = (typeof GATEWAY_OUTCOMES)[number];

/** What the gateway answers for one error code. */
export interface WireAnswer {
  /** HTTP status. */
  readonly status: number;
  /** Exact body (always JSON, `content-type: application/json`). */
  readonly body: string;
  /** The seed's errorCode for ALE failures (400 answers); undefined for the gateway's own failures. */
  readonly aleErrorCode: AleErrorCode | undefined;
  /** The metric outcome. */
  readonly outcome: GatewayOutcome;
  /** True for decryption failures (errorCode 2): they spend the source's `ALE_FAILURE_BUDGET`. */
  readonly spendsBudget: boolean;
  /** Close the connection after answering (the request body may not have been read). */
  readonly closeConnection: boolean;
}

/**
 * DESIGN §7 "fail closed, say why": when replay protection is on and the replay store cannot record the
 * pair, the request is refused rather than forwarded unprotected. Not among protocol's bodies (DESIGN §3
 * lists four), so defined here next to its code.
 */
const REPLAY_STORE_UNAVAILABLE: GatewayErrorBody = Object.freeze({
  status: 503,
  body: JSON.stringify({ error: 'replay_store_unavailable' }),
});

/** A bug on the request path: the client gets a bare 500, the log gets the stack. */
const INTERNAL_ERROR: GatewayErrorBody = Object.freeze({ status: 500, body: JSON.stringify({ error: 'internal_error' }) });

function ale(errorCode: AleErrorCode, outcome?: GatewayOutcome): WireAnswer {
  return Object.freeze({
    status: ALE_ERROR_STATUS,
    body: ALE_ERROR_BODIES[errorCode],
    aleErrorCode: errorCode,
    outcome: outcome ?? (`error_code_${errorCode}` as GatewayOutcome),
    spendsBudget: errorCode === 2,
    closeConnection: false,
  });
}

function own(answer: GatewayErrorBody, outcome: GatewayOutcome, closeConnection = false): WireAnswer {
  return Object.freeze({ status: answer.status, body: answer.body, aleErrorCode: undefined, outcome, spendsBudget: false, closeConnection });
}

/**
 * The codes that are never answered on the wire: a readiness reason, and a malformed message between
 * replicas (logged and dropped). Every other code has an answer below.
 */
export const UNANSWERED_CODES = Object.freeze(['ERR_GATEWAY_KEYS_NOT_LOADED', 'ERR_GATEWAY_RELAY_MESSAGE_INVALID'] as const);

type UnansweredCode = (typeof UNANSWERED_CODES)[number];

/** Every ALE core and HTTP code's answer (DESIGN §3, `docs/specs/gateway-http.md` §4). */
export const WIRE_ANSWERS: Readonly<Record<Exclude<AleHttpCode, UnansweredCode>, WireAnswer>> = Object.freeze({
  ERR_GATEWAY_SITE_UNADDRESSED: ale(1),
  ERR_GATEWAY_FINGERPRINT_MISSING: ale(1),
  ERR_GATEWAY_IV_MISSING: ale(1),
  ERR_GATEWAY_IV_INVALID: ale(1),
  ERR_GATEWAY_ALG_UNSUPPORTED: ale(1),
  ERR_GATEWAY_TIMESTAMP_INVALID: ale(1),
  ERR_GATEWAY_TIMESTAMP_MISSING: ale(1),
  ERR_GATEWAY_AUTHORIZATION_MISSING: ale(1),
  ERR_GATEWAY_BODY_MISSING: ale(1),
  ERR_GATEWAY_FINGERPRINT_UNKNOWN: ale(2),
  ERR_GATEWAY_DECRYPT_FAILED: ale(2),
  ERR_GATEWAY_PLAINTEXT_INVALID: ale(2),
  ERR_GATEWAY_TIMESTAMP_OUT_OF_WINDOW: ale(2, 'replay'),
  ERR_GATEWAY_REPLAYED: ale(2, 'replay'),
  ERR_GATEWAY_KEY_NOT_VALID: ale(3),
  ERR_GATEWAY_SITE_MISMATCH: ale(3),
  // The body may still be streaming in: answer, then close rather than read megabytes to keep the socket.
  ERR_GATEWAY_BODY_TOO_LARGE: own(GATEWAY_ERROR_BODIES.payload_too_large, 'payload_too_large', true),
  ERR_GATEWAY_FAILURE_BUDGET_EXCEEDED: own(GATEWAY_ERROR_BODIES.too_many_failures, 'too_many_failures'),
  ERR_GATEWAY_REPLAY_STORE_UNAVAILABLE: own(REPLAY_STORE_UNAVAILABLE, 'replay_store_unavailable'),
  ERR_GATEWAY_UPSTREAM_UNAVAILABLE: own(GATEWAY_ERROR_BODIES.upstream_unavailable, 'upstream_unavailable'),
  ERR_GATEWAY_UPSTREAM_TIMEOUT: own(GATEWAY_ERROR_BODIES.upstream_timeout, 'upstream_timeout'),
  ERR_GATEWAY_UPSTREAM_RESPONSE_TOO_LARGE: own(GATEWAY_ERROR_BODIES.upstream_unavailable, 'upstream_unavailable'),
  ERR_GATEWAY_INTERNAL: own(INTERNAL_ERROR, 'internal_error', true),
});

/** Content type of every error answer. */
export const WIRE_ERROR_CONTENT_TYPE = ALE_ERROR_CONTENT_TYPE;

/**
 * The HTTP answer for a code. `ERR_GATEWAY_KEYS_NOT_LOADED` is a readiness reason, and the WebSocket's and
 * the relay's codes have their own answers below: none is thrown on an HTTP request path the ALE core
 * serves; should one be, it is answered like a bug.
 */
export function wireAnswerOf(code: GatewayErrorCode): WireAnswer {
  return isAleHttpCode(code) && code !== 'ERR_GATEWAY_KEYS_NOT_LOADED' ? WIRE_ANSWERS[code] : WIRE_ANSWERS.ERR_GATEWAY_INTERNAL;
}

// ─── WebSocket: closes after the upgrade, HTTP refusals before it ───────────────────────────────────

/** An HTTP refusal of an upgrade (or of a relay request): status and exact JSON body. */
export interface UpgradeRefusal {
  /** HTTP status of the refusal (a refused handshake is never upgraded). */
  readonly status: number;
  /** Exact JSON body. */
  readonly body: string;
}

/** 1011: a bug or a failing dependency on the message path — the client may reconnect. */
const WS_INTERNAL: AleWsClose = Object.freeze({ code: 1011, reason: 'Internal error' });

/** 1008 for a site without an encryption key (a policy condition, like errorCode 3 on HTTP). */
const NO_ENCRYPTION_KEY: AleWsClose = Object.freeze({ code: 1008, reason: 'Security credential mismatch' });

/**
 * Every WebSocket code's close: `undefined` for a dead peer (terminated: it reads no close frame) and for
 * the codes refused before the upgrade (`WS_UPGRADE_REFUSALS`).
 */
export const WS_CLOSES: Readonly<Record<WsCode, AleWsClose | undefined>> = Object.freeze({
  ERR_GATEWAY_WS_NOT_AN_ENVELOPE: ALE_WS_CLOSE_CODES.NOT_AN_ENVELOPE,
  ERR_GATEWAY_WS_BINARY_FRAME: ALE_WS_CLOSE_CODES.BINARY_FRAME,
  ERR_GATEWAY_WS_MESSAGE_TOO_LARGE: ALE_WS_CLOSE_CODES.TOO_LARGE,
  ERR_GATEWAY_WS_SLOW_CONSUMER: ALE_WS_CLOSE_CODES.SLOW_CONSUMER,
  ERR_GATEWAY_WS_DEAD_PEER: undefined, // terminated: a dead peer reads no close frame
  ERR_GATEWAY_WS_NO_ENCRYPTION_KEY: NO_ENCRYPTION_KEY,
  ERR_GATEWAY_WS_SHUTTING_DOWN: ALE_WS_CLOSE_CODES.GOING_AWAY,
  ERR_GATEWAY_WS_TOO_MANY_CONNECTIONS: undefined,
  ERR_GATEWAY_WS_PATH_INVALID: undefined,
});

/**
 * The WebSocket codes refused before the upgrade: too many connections as 429
 * `{"error":"too_many_connections"}` (like the HTTP failure budget's 429), an invalid `/sites/{id}/ws`
 * segment as errorCode 1.
 */
export const WS_UPGRADE_REFUSALS: Readonly<Record<'ERR_GATEWAY_WS_TOO_MANY_CONNECTIONS' | 'ERR_GATEWAY_WS_PATH_INVALID', UpgradeRefusal>> =
  Object.freeze({
    ERR_GATEWAY_WS_TOO_MANY_CONNECTIONS: Object.freeze({ status: 429, body: JSON.stringify({ error: 'too_many_connections' }) }),
    ERR_GATEWAY_WS_PATH_INVALID: Object.freeze({ status: ALE_ERROR_STATUS, body: ALE_ERROR_BODIES[1] }),
  });

/**
 * The close for a failure on an open connection: WebSocket codes by `WS_CLOSES`; the ALE core's codes by
 * their errorCode — every errorCode 1/2/3 cause and the failure budget close 1008 `Unable to decrypt
 * payload` (one answer, DESIGN §4) — and anything else (replay store down, a bug) 1011.
 */
export function wsCloseOf(code: GatewayErrorCode): AleWsClose | undefined {
  if (isWsCode(code)) return WS_CLOSES[code];
  if (code === 'ERR_GATEWAY_FAILURE_BUDGET_EXCEEDED') return ALE_WS_CLOSE_CODES.DECRYPT_FAILED;
  return wireAnswerOf(code).aleErrorCode === undefined ? WS_INTERNAL : ALE_WS_CLOSE_CODES.DECRYPT_FAILED;
}

/**
 * The HTTP answer for a refused upgrade: the ALE core's codes exactly as on HTTP (DESIGN §4: "the HTTP
 * 400 JSON error of §3 before upgrading"), the WebSocket's by `WS_UPGRADE_REFUSALS`, any other code as a
 * bug (500). The relay's codes are answered by `relayRefusalOf`.
 */
export function upgradeRefusalOf(code: GatewayErrorCode): UpgradeRefusal {
  if (code === 'ERR_GATEWAY_WS_TOO_MANY_CONNECTIONS' || code === 'ERR_GATEWAY_WS_PATH_INVALID') return WS_UPGRADE_REFUSALS[code];
  const answer = wireAnswerOf(code);
  return { status: answer.status, body: answer.body };
}

// ─── terminal relay: refused terminal handshakes and POS relay requests ─────────────────────────────

/** How a refused terminal handshake or POS relay request is answered (the same shape as an upgrade refusal). */
export type RelayRefusal = UpgradeRefusal;

function refusal(status: number, error: string): RelayRefusal {
  return Object.freeze({ status, body: JSON.stringify({ error }) });
}

/**
 * The answer of each relay code that is answered on the wire: a refused terminal handshake (400
 * malformed, 401 without a valid certificate, 403 identity or mapping not allowed, 404 wrong path) or a
 * refused POS request (404 for a pinpad id that cannot exist, 403 for a site without ALE). ALE failures of
 * POS requests are the ALE core's (`WIRE_ANSWERS`), answered exactly as on the proxy.
 */
export const RELAY_REFUSALS: Readonly<Record<Exclude<RelayCode, UnansweredCode>, RelayRefusal>> = Object.freeze({
  ERR_GATEWAY_TERMINAL_PINPAD_ID_INVALID: refusal(400, 'pinpad_id_invalid'),
  ERR_GATEWAY_TERMINAL_PATH_UNKNOWN: refusal(404, 'not_found'),
  ERR_GATEWAY_TERMINAL_TLS_REQUIRED: refusal(403, 'terminal_tls_required'),
  ERR_GATEWAY_TERMINAL_CERT_INVALID: refusal(401, 'client_certificate_required'),
  ERR_GATEWAY_TERMINAL_IDENTITY_MISMATCH: refusal(403, 'terminal_identity_mismatch'),
  ERR_GATEWAY_TERMINAL_SITE_CONFLICT: refusal(403, 'terminal_site_conflict'),
  ERR_GATEWAY_TERMINAL_UNMAPPED: refusal(403, 'terminal_unmapped'),
  ERR_GATEWAY_RELAY_PINPAD_ID_INVALID: refusal(404, 'not_found'),
  ERR_GATEWAY_RELAY_ALE_REQUIRED: refusal(403, 'ale_required'),
});

/** A message between replicas is never answered; should its code reach an edge, it is a bug (500). */
const RELAY_INTERNAL = refusal(500, 'internal_error');

/** The answer for a relay refusal with `code`. */
export function relayRefusalOf(code: RelayCode): RelayRefusal {
  return code === 'ERR_GATEWAY_RELAY_MESSAGE_INVALID' ? RELAY_INTERNAL : RELAY_REFUSALS[code];
}
