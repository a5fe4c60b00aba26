/**
 * Error registry of `@pos-link/protocol` (STYLE 4): the ONE place where every code is listed.
 *
 * Two families: `TypeError` for programmer misuse (encoding an invalid envelope, bad options), and
 * {@link ProtocolError} with a stable string `code` for untrusted wire input that is refused. Codes are
 * never reused once retired; the README's error table mirrors {@link PROTOCOL_ERROR_CODES}.
 *
 * Messages are fixed per code and never echo the offending input (it may be large, binary or hostile).
 * How a code is answered on the wire (close the socket, nack code N, HTTP 400 errorCode 1 …) is decided
 * by the consuming feature lib in its one error-mapping table (STYLE 5), not here.
 */

/** code → description; the description is also the error's `message`. */
export const PROTOCOL_ERROR_CODES = Object.freeze({
  // PES framing (DESIGN §6, seed 003): connection-fatal.
  ERR_PES_FRAME_EMPTY: 'PES frame declares a length of zero',
  ERR_PES_FRAME_TOO_LARGE: 'PES frame declares a length over the frame cap',
  // PES envelope (DESIGN §6).
  ERR_PES_NOT_JSON: 'PES frame body is not a UTF-8 JSON object',
  ERR_PES_NO_MSG_ID: 'PES envelope has no string msg_id',
  ERR_PES_ENVELOPE_INVALID: 'PES envelope has missing or ill-typed fields',
  // ALE (DESIGN §3/§4, seed 000).
  ERR_ALE_TIMESTAMP_INVALID: 'ALE timestamp is not a decimal number of milliseconds',
  ERR_ALE_WS_ENVELOPE_INVALID: 'ALE WebSocket message is not a JSON envelope {iv, fingerprint, message[, ts]}',
  // SCI XML (DESIGN §5, seed 002).
  ERR_SCI_TOO_LARGE: 'SCI document is over the size cap',
  ERR_SCI_DTD_FORBIDDEN: 'SCI document contains a DOCTYPE or other markup declaration',
  ERR_SCI_XML_INVALID: 'SCI document is not well-formed XML',
  ERR_SCI_ROOT_INVALID: 'SCI document root is not TRANSACTION or RESPONSE',
  ERR_SCI_FIELD_DUPLICATE: 'SCI document repeats a child element',
  ERR_SCI_COMMAND_MISSING: 'SCI document is not a TRANSACTION with FUNCTION_TYPE and COMMAND',
} as const);

/** Every code a {@link ProtocolError} can carry. */
export type ProtocolErrorCode = keyof typeof PROTOCOL_ERROR_CODES;

/** Failure caused by untrusted wire input; branch on `code`, never on `message`. */
export class ProtocolError extends Error {
  /** Stable, documented identifier of the failure. */
  readonly code: ProtocolErrorCode;

  /** @param code a registered code; the message is the registry's fixed description */
  constructor(code: ProtocolErrorCode) {
    super(PROTOCOL_ERROR_CODES[code]);
    this.name = 'ProtocolError';
    this.code = code;
  }
}

/**
 * `ERR_PES_ENVELOPE_INVALID` with what a nack needs (DESIGN §6: responses echo `msg_id` and
 * `msg_type`, nack code 1). `msgId` is always a string here: an envelope without one is
 * `ERR_PES_NO_MSG_ID` instead, which cannot be answered.
 */
export class PesEnvelopeError extends ProtocolError {
  /** The envelope's `msg_id`, to echo in the nack. */
  readonly msgId: string;
  /** The envelope's `msg_type` when it was a string, else `undefined`. */
  readonly msgType: string | undefined;
  /** Which fields failed, as `"<field>: <constraint>"` (bounded, never field values). */
  readonly violations: readonly string[];

  /** @internal built by `parsePesFrame` */
  constructor(msgId: string, msgType: string | undefined, violations: readonly string[]) {
    super('ERR_PES_ENVELOPE_INVALID');
    this.name = 'PesEnvelopeError';
    this.msgId = msgId;
    this.msgType = msgType;
    this.violations = Object.freeze([...violations]);
  }
}

/** True when `value` is a {@link ProtocolError}, optionally with the given `code`. */
export function isProtocolError(value: unknown, code?: ProtocolErrorCode): value is ProtocolError {
  return value instanceof ProtocolError && (code === undefined || value.code === code);
}
