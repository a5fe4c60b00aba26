/**
 * Every `<RESPONSE>` the relay writes itself instead of the terminal (DESIGN §5, `docs/protocols/sci.md`
 * §5): the ONE table of their `RESULT_CODE`s, texts and the HTTP status of the HTTP route (STYLE 5).
 *
 * Codes follow SCA's 59xxx style. 59002/59003 are the busy answers DESIGN §5 names; 59020–59026 are the
 * relay's own, apart from the device simulator's 59010–59012 (`DEVICE_RESULT_CODES`). A synthesized
 * answer always has `RESULT` FAILED and `TERMINATION_STATUS` FAILURE, so a POS that only reads those
 * fields treats it like any failed transaction.
 */
import { buildSciXml } from '@pos-link/protocol';

/** One synthesized answer. */
export interface SynthesizedResponse {
  /** `RESULT_CODE`. */
  readonly resultCode: number;
  /** `RESPONSE_TEXT`. */
  readonly text: string;
  /** HTTP status on `POST …/transaction` (the WebSocket route just sends the document). */
  readonly httpStatus: number;
  /** The exact `<RESPONSE>` document, built once. */
  readonly xml: string;
}

function synthesized(resultCode: number, text: string, httpStatus: number): SynthesizedResponse {
  const xml = buildSciXml('RESPONSE', { RESPONSE_TEXT: text, RESULT: 'FAILED', RESULT_CODE: resultCode, TERMINATION_STATUS: 'FAILURE' });
  return Object.freeze({ resultCode, text, httpStatus, xml });
}

/** The synthesized answers by name (frozen). */
export const SYNTHESIZED_RESPONSES = Object.freeze({
  /** A primary (or secondary) request of the device is still outstanding: one at a time per kind. */
  DEVICE_BUSY: synthesized(59002, 'DEVICE IS BUSY', 409),
  /** Another POS owns the device's session (`SESSION`/`START` … `FINISH`). */
  SESSION_OWNED: synthesized(59003, 'SESSION IN PROGRESS ON ANOTHER POS', 409),
  /** The terminal is not connected to any gateway replica, or its connection dropped mid-request. */
  DEVICE_OFFLINE: synthesized(59020, 'DEVICE OFFLINE', 503),
  /** The terminal did not answer within `RELAY_REQUEST_TIMEOUT_MS`. */
  DEVICE_TIMEOUT: synthesized(59021, 'DEVICE TIMEOUT', 504),
  /** Not a well-formed SCI `<TRANSACTION>` with `FUNCTION_TYPE` and `COMMAND`; never reaches the device. */
  REQUEST_INVALID: synthesized(59022, 'INVALID REQUEST', 400),
  /** The request contains a DOCTYPE or another markup declaration (entities); never reaches the device. */
  REQUEST_DTD_FORBIDDEN: synthesized(59023, 'DTD NOT ALLOWED', 400),
  /** The request is over `RELAY_MAX_XML_BYTES`; never reaches the device. */
  REQUEST_TOO_LARGE: synthesized(59024, 'REQUEST TOO LARGE', 413),
  /** The terminal answered with something that is not a well-formed `<RESPONSE>` (not relayed). */
  DEVICE_RESPONSE_INVALID: synthesized(59025, 'INVALID DEVICE RESPONSE', 502),
  /** The device registry or the channel to the replica holding the terminal (Redis) failed. */
  RELAY_UNAVAILABLE: synthesized(59026, 'RELAY UNAVAILABLE', 503),
});

/** A key of {@link SYNTHESIZED_RESPONSES}. */
export type SynthesizedName = keyof typeof SYNTHESIZED_RESPONSES;

/** Whether `name` is a key of {@link SYNTHESIZED_RESPONSES} (for messages read back from other replicas). */
export function isSynthesizedName(name: unknown): name is SynthesizedName {
  return typeof name === 'string' && Object.hasOwn(SYNTHESIZED_RESPONSES, name);
}
