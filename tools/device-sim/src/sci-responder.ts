/**
 * The terminal's answers (seed 002; DESIGN §5): one `<TRANSACTION>` in, one `<RESPONSE>` out.
 *
 * | request | answer |
 * |---|---|
 * | `SESSION`/`START` | `Session Started`, OK, -1, SUCCESS, `TRAINING_MODE` ON/OFF (seed 002's example exactly) |
 * | `SESSION`/`FINISH` | `Session Finished`, OK, -1, SUCCESS |
 * | `ADMIN`/`GET_COUNTER` | OK, -1, SUCCESS, `COUNTER` = the last `COUNTER` of any earlier request, else 1 |
 * | `PAYMENT`/`SALE`,`CAPTURE`,`AUTH`,`CREDIT` | APPROVED, 5, `APPROVED_AMOUNT` = `TRANS_AMOUNT` |
 * | `SECONDARYPORT`/`STATUS` | OK, -1, `DEVICE_STATUS` BUSY while an answer is pending, else IDLE |
 * | anything else | FAILED, 59010; malformed amount 59011; not a TRANSACTION 59012 |
 */
import { isProtocolError, parseSciDocument, sciCommandOf, type SciDocument } from '@pos-link/protocol';
import { DEVICE_RESULT_CODES, approvedResponse, errorResponse, okResponse } from './sci-answers';

/** Payment commands the simulator approves. */
export const APPROVED_PAYMENT_COMMANDS = Object.freeze(['SALE', 'CAPTURE', 'AUTH', 'CREDIT'] as const);

/** A decimal amount with at most two decimals (SCA's `TRANS_AMOUNT`, e.g. `12.50`). */
const AMOUNT = /^\d{1,9}(\.\d{1,2})?$/;
/** SCA's `COUNTER` is a positive decimal number. */
const COUNTER = /^\d{1,18}$/;

/** One answer. */
export interface SciAnswer {
  /** The `<RESPONSE>` XML. */
  readonly response: string;
  /** `FUNCTION_TYPE/COMMAND` of the request, upper-cased; undefined when it had none. */
  readonly command: string | undefined;
}

/** Context of one request. */
export interface RespondContext {
  /** Now (payment date and time). */
  readonly now: Date;
  /** Whether another answer is still pending (for `SECONDARYPORT`/`STATUS`). */
  readonly busy: boolean;
}

/** The terminal's request/response logic and its state (the last COUNTER, the transaction sequence). */
export class SciResponder {
  #lastCounter: string | undefined;
  #seq = 0;

  /** The last `COUNTER` seen, if any. */
  get lastCounter(): string | undefined {
    return this.#lastCounter;
  }

  /** Answers one SCI document (never throws for bad input: the terminal answers every request). */
  respond(xml: string, context: RespondContext): SciAnswer {
    let doc: SciDocument;
    let command: string;
    try {
      doc = parseSciDocument(xml);
      const c = sciCommandOf(doc);
      command = `${c.functionType}/${c.command}`;
    } catch (error) {
      if (!isProtocolError(error)) throw error;
      return { response: errorResponse(DEVICE_RESULT_CODES.REQUEST_INVALID, 'Invalid request'), command: undefined };
    }
    // Seed 002: GET_COUNTER answers the COUNTER "sent in any last POS Request", so this request's own
    // COUNTER is recorded only after answering.
    const response = this.#answer(command, doc.fields, context);
    const counter = doc.fields['COUNTER'];
    if (counter !== undefined && COUNTER.test(counter)) this.#lastCounter = counter;
    return { response, command };
  }

  #answer(command: string, fields: Readonly<Record<string, string>>, context: RespondContext): string {
    switch (command) {
      case 'SESSION/START':
        return okResponse('Session Started', { TRAINING_MODE: fields['TRAINING_MODE'] === '1' ? 'ON' : 'OFF' });
      case 'SESSION/FINISH':
        return okResponse('Session Finished');
      case 'ADMIN/GET_COUNTER':
        return okResponse('Counter Retrieved', { COUNTER: this.#lastCounter ?? '1' });
      case 'SECONDARYPORT/STATUS':
        return okResponse('Device Status', { DEVICE_STATUS: context.busy ? 'BUSY' : 'IDLE' });
    }
    const [functionType, name = ''] = command.split('/');
    if (functionType === 'PAYMENT' && (APPROVED_PAYMENT_COMMANDS as readonly string[]).includes(name)) {
      const amount = fields['TRANS_AMOUNT'];
      if (amount === undefined || !AMOUNT.test(amount)) return errorResponse(DEVICE_RESULT_CODES.FIELD_INVALID, 'Invalid TRANS_AMOUNT');
      this.#seq += 1;
      return approvedResponse({
        command: name,
        amount,
        seq: this.#seq,
        paymentType: fields['PAYMENT_TYPE'] ?? 'CREDIT',
        invoice: fields['INVOICE'],
        counter: fields['COUNTER'],
        now: context.now,
      });
    }
    return errorResponse(DEVICE_RESULT_CODES.UNSUPPORTED_COMMAND, 'Unsupported command');
  }
}
