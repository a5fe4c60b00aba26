/**
 * PES nack codes (DESIGN §6 table). A nack's `msg_data` is the session-encrypted JSON
 * `{"code":N,"message":"…"}` (AAD with `nack`); every nack leaves the connection open — what cannot
 * be answered is closed instead (frame not JSON, no `msg_id`, handshake failures, oversize frame).
 */

/** A numeric nack code. */
export type PesNackCode = 1 | 2 | 3 | 4 | 5 | 6;

/** One row of {@link PES_NACK_CODES}. */
export interface PesNackCodeInfo {
  /** The wire code. */
  readonly code: PesNackCode;
  /** The text sent as `message` in the nack body. */
  readonly message: string;
  /** Whether the connection stays open after this nack (all of DESIGN §6's do). */
  readonly connectionStays: boolean;
  /** The nack body, pre-serialized: `{"code":N,"message":"…"}`. */
  readonly body: string;
}

function row(code: PesNackCode, message: string): PesNackCodeInfo {
  return Object.freeze({ code, message, connectionStays: true, body: JSON.stringify({ code, message }) });
}

/** The nack codes by name (frozen). */
export const PES_NACK_CODES = Object.freeze({
  /** 1: missing or ill-typed envelope fields. */
  ENVELOPE_INVALID: row(1, 'Envelope invalid'),
  /** 2: `msg_data` does not decrypt under the session key. */
  DECRYPT_FAILED: row(2, 'Unable to decrypt msg_data'),
  /** 3: decrypted `msg_data` is not a JSON object, or a known event type fails validation. */
  EVENT_INVALID: row(3, 'Event data invalid'),
  /** 4: an event arrived before the POS acked `register_client`. */
  NOT_REGISTERED: row(4, 'Client not registered'),
  /** 5: the store is unavailable; nothing was stored, resend later. */
  STORE_UNAVAILABLE: row(5, 'Store unavailable, resend later'),
  /** 6: this `msg_id` is already stored with different content. */
  MSG_ID_CONFLICT: row(6, 'msg_id already stored with different content'),
});

/** A name of {@link PES_NACK_CODES}. */
export type PesNackName = keyof typeof PES_NACK_CODES;

const BY_CODE: ReadonlyMap<number, PesNackCodeInfo> = new Map(
  Object.values(PES_NACK_CODES).map((info) => [info.code, info]),
);

/**
 * The nack body for `code`: `{"code":N,"message":"…"}` (to be encrypted as the nack's `msg_data`).
 * @throws TypeError for a code outside the table
 */
export function pesNackBody(code: PesNackCode): string {
  const info = BY_CODE.get(code);
  if (info === undefined) throw new TypeError(`unknown PES nack code ${String(code)}`);
  return info.body;
}
