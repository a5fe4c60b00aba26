/**
 * The `<RESPONSE>` documents the simulated terminal sends (seed 002; DESIGN §5). Field names follow
 * Verifone SCA's SCI: `RESPONSE_TEXT`, `RESULT`, `RESULT_CODE`, `TERMINATION_STATUS`, and for payments
 * `TRANS_AMOUNT`, `APPROVED_AMOUNT`, `AUTH_CODE`, `CTROUTD`, `TROUTD`, `PAYMENT_TYPE`, `PAYMENT_MEDIA`,
 * `ACCT_NUM`, `CARD_ENTRY_MODE`, `TRANS_DATE`, `TRANS_TIME`, `INVOICE`, `COUNTER`.
 */
import { buildSciXml } from '@pos-link/protocol';

/**
 * `RESULT_CODE`s the simulator answers with. `-1` (success) is the seed's; `5` (approved) is SCA's.
 * The seeds give no error codes: the three 5901x codes are the simulator's own, in SCA's 59xxx style and
 * apart from the relay's busy answers (59002/59003, DESIGN §5).
 */
export const DEVICE_RESULT_CODES = Object.freeze({
  /** Success of a non-payment command (seed 002: `Session Started` has `RESULT_CODE` -1). */
  SUCCESS: -1,
  /** A payment was approved. */
  APPROVED: 5,
  /** FUNCTION_TYPE/COMMAND the simulator does not implement. */
  UNSUPPORTED_COMMAND: 59010,
  /** A required field is missing or malformed (e.g. `TRANS_AMOUNT`). */
  FIELD_INVALID: 59011,
  /** Not a well-formed SCI `<TRANSACTION>` with `FUNCTION_TYPE` and `COMMAND`. */
  REQUEST_INVALID: 59012,
} as const);

type Fields = Record<string, string | number>;

/** A successful non-payment answer (`RESULT` OK, `RESULT_CODE` -1, `TERMINATION_STATUS` SUCCESS). */
export function okResponse(text: string, extra: Fields = {}): string {
  return buildSciXml('RESPONSE', {
    RESPONSE_TEXT: text,
    RESULT: 'OK',
    RESULT_CODE: DEVICE_RESULT_CODES.SUCCESS,
    TERMINATION_STATUS: 'SUCCESS',
    ...extra,
  });
}

/** A failed command (`RESULT` FAILED, `TERMINATION_STATUS` FAILURE). */
export function errorResponse(code: number, text: string): string {
  return buildSciXml('RESPONSE', { RESPONSE_TEXT: text, RESULT: 'FAILED', RESULT_CODE: code, TERMINATION_STATUS: 'FAILURE' });
}

/** What an approved payment carries. */
export interface ApprovedPayment {
  readonly command: string;
  /** `TRANS_AMOUNT` exactly as requested; `APPROVED_AMOUNT` is the same text (the simulator approves in full). */
  readonly amount: string;
  /** Sequence number of the transaction on this terminal, from 1 (drives the reference numbers). */
  readonly seq: number;
  readonly paymentType: string;
  readonly invoice: string | undefined;
  readonly counter: string | undefined;
  readonly now: Date;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** An approving payment answer (`RESULT` APPROVED, `RESULT_CODE` 5). */
export function approvedResponse(p: ApprovedPayment): string {
  const d = p.now;
  const fields: Fields = {
    RESPONSE_TEXT: 'APPROVED',
    RESULT: 'APPROVED',
    RESULT_CODE: DEVICE_RESULT_CODES.APPROVED,
    TERMINATION_STATUS: 'SUCCESS',
    COMMAND: p.command,
    TRANS_AMOUNT: p.amount,
    APPROVED_AMOUNT: p.amount,
    AUTH_CODE: `SIM${pad(p.seq % 1000, 3)}`,
    CTROUTD: String(100 + p.seq),
    TROUTD: String(500_000 + p.seq),
    PAYMENT_TYPE: p.paymentType,
    PAYMENT_MEDIA: 'VISA',
    ACCT_NUM: '400300******1119', // a test card number, masked as terminals print it
    CARD_ENTRY_MODE: 'Tapped',
    TRANS_DATE: `${d.getUTCFullYear()}.${pad(d.getUTCMonth() + 1)}.${pad(d.getUTCDate())}`,
    TRANS_TIME: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`,
  };
  if (p.invoice !== undefined) fields['INVOICE'] = p.invoice;
  if (p.counter !== undefined) fields['COUNTER'] = p.counter;
  return buildSciXml('RESPONSE', fields);
}
