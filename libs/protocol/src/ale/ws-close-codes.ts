/**
 * WebSocket close codes of the ALE channel (DESIGN §4), with the reason text sent (≤ 123 bytes, as
 * RFC 6455 allows in a close frame).
 */

/** One close: code and reason. */
export interface AleWsClose {
  /** RFC 6455 close code. */
  readonly code: number;
  /** Close reason text. */
  readonly reason: string;
}

function close(code: number, reason: string): AleWsClose {
  return Object.freeze({ code, reason });
}

/** Why the gateway closes an ALE WebSocket (frozen). */
export const ALE_WS_CLOSE_CODES = Object.freeze({
  /** A message did not decrypt (policy violation); the reason is the seed's errorCode 2 text. */
  DECRYPT_FAILED: close(1008, 'Unable to decrypt payload'),
  /** A text message that is not a JSON envelope {iv, fingerprint, message[, ts]} (invalid payload data). */
  NOT_AN_ENVELOPE: close(1007, 'Not an ALE envelope'),
  /** A binary frame: ALE messages are JSON text (unsupported data). */
  BINARY_FRAME: close(1003, 'Binary frames are not accepted'),
  /** A message over `maxPayload` (message too big). */
  TOO_LARGE: close(1009, 'Message too large'),
  /** The bounded send queue overflowed (try again later). */
  SLOW_CONSUMER: close(1013, 'Slow consumer'),
  /** The gateway is shutting down. */
  GOING_AWAY: close(1001, 'Going away'),
});

/** A key of {@link ALE_WS_CLOSE_CODES}. */
export type AleWsCloseName = keyof typeof ALE_WS_CLOSE_CODES;
