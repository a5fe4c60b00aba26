/**
 * The ALE WebSocket's error codes (DESIGN §4) and the ONE table that maps every failure of a WebSocket
 * client — these codes and the ALE core's `ERR_GATEWAY_…` codes — to its wire answer: an HTTP refusal
 * before the upgrade, or a close code after it (STYLE 4/5). They extend the gateway's `ERR_GATEWAY_…`
 * namespace (`errors/gateway-error-codes.ts`) without reusing any of its codes, and live beside the
 * WebSocket endpoint because only its edges answer them (the relay does the same for its codes).
 *
 * Close reasons never tell the causes of a refused message apart (DESIGN §4: "never a hint why"): every
 * ALE failure of a message closes with 1008 `Unable to decrypt payload`.
 */
import { ALE_ERROR_BODIES, ALE_ERROR_STATUS, ALE_WS_CLOSE_CODES, type AleWsClose } from '@pos-link/protocol';
import type { GatewayErrorCode } from '../errors/gateway-error-codes';
import { wireAnswerOf } from '../errors/wire-answers';

/** code → fixed description (also the error's `message`). */
export const WS_ERROR_CODES = Object.freeze({
  /** A text message that is not a JSON envelope `{iv, fingerprint, message[, ts]}` (close 1007). */
  ERR_GATEWAY_WS_NOT_AN_ENVELOPE: 'Not an ALE envelope',
  /** A binary frame: ALE messages are JSON text (close 1003). */
  ERR_GATEWAY_WS_BINARY_FRAME: 'Binary frames are not accepted',
  /** A message over `ALE_WS_MAX_PAYLOAD_BYTES` (close 1009, sent by ws itself). */
  ERR_GATEWAY_WS_MESSAGE_TOO_LARGE: 'Message too large',
  /** The socket's queued bytes passed `ALE_WS_SEND_QUEUE_MAX_BYTES` (close 1013). */
  ERR_GATEWAY_WS_SLOW_CONSUMER: 'Slow consumer',
  /** No pong to the previous ping when the next was due (terminated, no close frame). */
  ERR_GATEWAY_WS_DEAD_PEER: 'No pong within the ping period',
  /** The site has no key that may encrypt now, so nothing can be sent to the client (close 1008). */
  ERR_GATEWAY_WS_NO_ENCRYPTION_KEY: 'No key may encrypt for this site now',
  /** The gateway is shutting down (close 1001 after draining). */
  ERR_GATEWAY_WS_SHUTTING_DOWN: 'Going away',
  /** An upgrade from an address that already holds `ALE_WS_MAX_CONNECTIONS_PER_IP` connections (HTTP 429). */
  ERR_GATEWAY_WS_TOO_MANY_CONNECTIONS: 'Too many connections from this address',
  /** An upgrade to `/ws` or `/sites/{id}/ws` whose site segment is not a valid site id (errorCode 1). */
  ERR_GATEWAY_WS_PATH_INVALID: 'The WebSocket path addresses no valid site',
} as const);

/** One WebSocket error code. */
export type WsErrorCode = keyof typeof WS_ERROR_CODES;

/** A WebSocket-side failure. Branch on `code`. */
export class WsError extends Error {
  /** The stable code. */
  readonly code: WsErrorCode;

  /**
   * @param code the registry code
   * @param options `cause`, for logs only
   */
  constructor(code: WsErrorCode, options?: { cause?: unknown }) {
    super(WS_ERROR_CODES[code], options);
    this.name = 'WsError';
    this.code = code;
  }
}

/** True when `error` is a {@link WsError} (with this `code`, when given). */
export function isWsError(error: unknown, code?: WsErrorCode): error is WsError {
  return error instanceof WsError && (code === undefined || error.code === code);
}

/** An HTTP refusal of an upgrade: status and exact JSON body. */
export interface UpgradeRefusal {
  readonly status: number;
  readonly body: string;
}

/** 1011: a bug or a failing dependency on the message path — the client may reconnect. */
const INTERNAL: AleWsClose = Object.freeze({ code: 1011, reason: 'Internal error' });

/** 1008 for a site without an encryption key (a policy condition, like errorCode 3 on HTTP). */
const NO_ENCRYPTION_KEY: AleWsClose = Object.freeze({ code: 1008, reason: 'Security credential mismatch' });

/** Every WebSocket code's close (the ones answered before the upgrade have none). */
const WS_CLOSES: Readonly<Record<WsErrorCode, AleWsClose | undefined>> = Object.freeze({
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

/** `{"error":"too_many_connections"}` with 429, like the HTTP failure budget's 429. */
const TOO_MANY_CONNECTIONS: UpgradeRefusal = Object.freeze({ status: 429, body: JSON.stringify({ error: 'too_many_connections' }) });

function isWsCode(code: string): code is WsErrorCode {
  return Object.hasOwn(WS_ERROR_CODES, code);
}

/**
 * The close for a failure on an open connection: WebSocket codes by the table above; the ALE core's codes
 * by their errorCode — every errorCode 1/2/3 cause and the failure budget close 1008 `Unable to decrypt
 * payload` (one answer, DESIGN §4) — and anything else (replay store down, a bug) 1011.
 */
export function wsCloseOf(code: GatewayErrorCode | WsErrorCode): AleWsClose | undefined {
  if (isWsCode(code)) return WS_CLOSES[code];
  if (code === 'ERR_GATEWAY_FAILURE_BUDGET_EXCEEDED') return ALE_WS_CLOSE_CODES.DECRYPT_FAILED;
  return wireAnswerOf(code).aleErrorCode === undefined ? INTERNAL : ALE_WS_CLOSE_CODES.DECRYPT_FAILED;
}

/**
 * The HTTP answer for a refused upgrade: the ALE core's codes exactly as on HTTP (DESIGN §4: "the HTTP
 * 400 JSON error of §3 before upgrading"), an invalid `/sites/{id}/ws` segment as errorCode 1, too many
 * connections as 429.
 */
export function upgradeRefusalOf(code: GatewayErrorCode | WsErrorCode): UpgradeRefusal {
  if (code === 'ERR_GATEWAY_WS_TOO_MANY_CONNECTIONS') return TOO_MANY_CONNECTIONS;
  if (code === 'ERR_GATEWAY_WS_PATH_INVALID') return { status: ALE_ERROR_STATUS, body: ALE_ERROR_BODIES[1] };
  if (isWsCode(code)) return { status: 500, body: wireAnswerOf('ERR_GATEWAY_INTERNAL').body };
  const answer = wireAnswerOf(code);
  return { status: answer.status, body: answer.body };
}
