/**
 * THE mapping from gateway error codes to wire answers (STYLE 5): HTTP status and exact body, the seed's
 * `errorCode` (so the WebSocket side can map the same codes to close codes), the metric outcome, and
 * whether the failure spends the source address's failure budget. Nothing else in the gateway decides a
 * status or writes an error body.
 */
import {
  ALE_ERROR_BODIES,
  ALE_ERROR_CONTENT_TYPE,
  ALE_ERROR_STATUS,
  GATEWAY_ERROR_BODIES,
  type AleErrorCode,
  type GatewayErrorBody,
} from '@pos-link/protocol';
import type { GatewayErrorCode } from './gateway-error-codes';

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

/** Every code's answer (DESIGN §3, `docs/specs/gateway-http.md` §4). */
export const WIRE_ANSWERS: Readonly<Record<Exclude<GatewayErrorCode, 'ERR_GATEWAY_KEYS_NOT_LOADED'>, WireAnswer>> = Object.freeze({
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
 * The answer for a code. `ERR_GATEWAY_KEYS_NOT_LOADED` is a readiness reason, never thrown on the request
 * path; should it be, it is answered like a bug.
 */
export function wireAnswerOf(code: GatewayErrorCode): WireAnswer {
  return code === 'ERR_GATEWAY_KEYS_NOT_LOADED' ? WIRE_ANSWERS.ERR_GATEWAY_INTERNAL : WIRE_ANSWERS[code];
}
