/**
 * The ONE registry of `@pos-link/ingress` error codes and the ONE place that maps each code to its wire
 * answer (STYLE 4 and 5, DESIGN §6). Nothing else in the ingress decides between "nack N" and "close":
 * the session looks the code up here.
 *
 * - `{ kind: 'nack', code: N }` — answer the frame with a `nack` whose encrypted `msg_data` is
 *   `{"code":N,"message":…}`; the connection stays (DESIGN §6 table, codes 1–6).
 * - `{ kind: 'close' }` — the frame cannot be answered: close the connection (DESIGN §6 list).
 *
 * A code is never reused once retired (mark it retired here instead). Messages are fixed per code and
 * never carry key material, credentials, plaintext or the offending input.
 */

import type { ProtocolErrorCode } from '@pos-link/protocol';

/** What the ingress does on the wire when an error with a given code happens. */
export type IngressWireAnswer =
  | { readonly kind: 'nack'; readonly code: 1 | 2 | 3 | 4 | 5 | 6 }
  | { readonly kind: 'close' };

interface IngressErrorSpec {
  /** Fixed description; also the error's `message` and the README's table text. */
  readonly message: string;
  readonly answer: IngressWireAnswer;
}

const CLOSE: IngressWireAnswer = Object.freeze({ kind: 'close' });
const nack = (code: 1 | 2 | 3 | 4 | 5 | 6): IngressWireAnswer => Object.freeze({ kind: 'nack', code });

/** code → description and wire answer. The README's error table mirrors this object. */
export const INGRESS_ERRORS = Object.freeze({
  // Framing (DESIGN §6: "a frame over the cap" is closed; zero is refused the same way).
  ERR_INGRESS_FRAME_TOO_LARGE: { message: 'Frame declares a length over PES_MAX_FRAME_BYTES', answer: CLOSE },
  ERR_INGRESS_FRAME_EMPTY: { message: 'Frame declares a length of zero', answer: CLOSE },
  // Envelope (DESIGN §6: "a frame that is not JSON or has no msg_id" is closed).
  ERR_INGRESS_FRAME_NOT_JSON: { message: 'Frame body is not a UTF-8 JSON object', answer: CLOSE },
  ERR_INGRESS_FRAME_NO_MSG_ID: { message: 'Envelope has no string msg_id', answer: CLOSE },
  ERR_INGRESS_FRAME_UNANSWERABLE: {
    message: 'Envelope msg_id or msg_type cannot be echoed (empty, over-long or not a string)',
    answer: CLOSE,
  },
  ERR_INGRESS_ENVELOPE_INVALID: { message: 'Envelope has missing or ill-typed fields', answer: nack(1) },
  // Handshake (DESIGN §6 steps 1–3).
  ERR_INGRESS_BEFORE_INIT: { message: 'Message before init_client', answer: CLOSE },
  ERR_INGRESS_RSA_KEY_INVALID: { message: 'init_client key is not a supported RSA public key', answer: CLOSE },
  ERR_INGRESS_RSA_KEY_TOO_SMALL: { message: 'init_client RSA modulus is shorter than 2048 bits', answer: CLOSE },
  ERR_INGRESS_REGISTER_REJECTED: { message: 'POS refused register_client (nack)', answer: CLOSE },
  ERR_INGRESS_REGISTER_ACK_INVALID: { message: 'register_client ack msg_data does not decrypt', answer: CLOSE },
  ERR_INGRESS_HANDSHAKE_TIMEOUT: { message: 'Handshake not completed within the deadline', answer: CLOSE },
  ERR_INGRESS_HANDSHAKE_REPEATED: { message: 'init_client on a connection that already has a key', answer: CLOSE },
  ERR_INGRESS_NOT_REGISTERED: { message: 'Event before the POS acked register_client', answer: nack(4) },
  // Events (DESIGN §6 table).
  ERR_INGRESS_DECRYPT_FAILED: { message: 'msg_data does not decrypt', answer: nack(2) },
  ERR_INGRESS_EVENT_INVALID: {
    message: 'Decrypted msg_data is not a JSON object, or a known event type fails validation',
    answer: nack(3),
  },
  ERR_INGRESS_STORE_UNAVAILABLE: { message: 'Event store unavailable; nothing was stored', answer: nack(5) },
  ERR_INGRESS_MSG_ID_CONFLICT: { message: 'msg_id already stored with different content', answer: nack(6) },
  // Connection limits (DESIGN §6 "Limits").
  ERR_INGRESS_IDLE_TIMEOUT: { message: 'No frame within the idle timeout', answer: CLOSE },
  ERR_INGRESS_TOO_MANY_CONNECTIONS: { message: 'Connection refused: the connection limit is reached', answer: CLOSE },
  ERR_INGRESS_SHUTTING_DOWN: { message: 'Ingress is shutting down', answer: CLOSE },
} satisfies Record<string, IngressErrorSpec>);

/** Every code an {@link IngressError} can carry. */
export type IngressErrorCode = keyof typeof INGRESS_ERRORS;

/** The wire answer for `code` (the one mapping; STYLE 5). */
export function ingressWireAnswer(code: IngressErrorCode): IngressWireAnswer {
  return INGRESS_ERRORS[code].answer;
}

/** The protocol lib's PES codes, as ingress codes (the protocol lib leaves the wire answer to us). */
const FROM_PROTOCOL: Partial<Record<ProtocolErrorCode, IngressErrorCode>> = Object.freeze({
  ERR_PES_FRAME_EMPTY: 'ERR_INGRESS_FRAME_EMPTY',
  ERR_PES_FRAME_TOO_LARGE: 'ERR_INGRESS_FRAME_TOO_LARGE',
  ERR_PES_NOT_JSON: 'ERR_INGRESS_FRAME_NOT_JSON',
  ERR_PES_NO_MSG_ID: 'ERR_INGRESS_FRAME_NO_MSG_ID',
  ERR_PES_ENVELOPE_INVALID: 'ERR_INGRESS_ENVELOPE_INVALID',
});

/**
 * The ingress code for a `ProtocolError` code met on a PES connection; a code the ingress does not
 * expect there (an ALE or SCI code) is treated as an unreadable frame.
 */
export function ingressCodeOfProtocolError(code: ProtocolErrorCode): IngressErrorCode {
  return FROM_PROTOCOL[code] ?? 'ERR_INGRESS_FRAME_NOT_JSON';
}

/**
 * A failure caused by untrusted input or an unavailable dependency; branch on `code`, never on
 * `message`. Programmer misuse throws `TypeError` instead (STYLE 4).
 */
export class IngressError extends Error {
  /** Stable, documented identifier of the failure. */
  readonly code: IngressErrorCode;

  /**
   * @param code a registered code; the message is the registry's fixed description
   * @param options standard `ErrorOptions` (`cause`, kept for logs; never sent on the wire)
   */
  constructor(code: IngressErrorCode, options?: ErrorOptions) {
    super(INGRESS_ERRORS[code].message, options);
    this.name = 'IngressError';
    this.code = code;
  }
}

/**
 * Thrown by a {@link PesEventLog} when its store cannot take the write (DESIGN §6 nack 5). The event was
 * NOT stored by this call (or, after a timeout, may have been: the dedupe key makes a resend safe).
 */
export class PesStoreUnavailableError extends IngressError {
  /** @param options `cause`: the driver's error, for logs */
  constructor(options?: ErrorOptions) {
    super('ERR_INGRESS_STORE_UNAVAILABLE', options);
    this.name = 'PesStoreUnavailableError';
  }
}

/** True when `value` is an {@link IngressError}, optionally with the given `code`. */
export function isIngressError(value: unknown, code?: IngressErrorCode): value is IngressError {
  return value instanceof IngressError && (code === undefined || value.code === code);
}
