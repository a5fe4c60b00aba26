import { buildSciXml, parseSciDocument } from '@pos-link/protocol';
import { SCI_SEED_RESPONSE, SCI_SEED_TRANSACTION } from '@pos-link/protocol/testing';
import { DEVICE_RESULT_CODES } from './sci-answers';
import { SciResponder } from './sci-responder';

const NOW = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
const idle = { now: NOW, busy: false };
const tx = (fields: Record<string, string>): string => buildSciXml('TRANSACTION', fields);
const fieldsOf = (xml: string): Readonly<Record<string, string>> => {
  const doc = parseSciDocument(xml);
  expect(doc.root).toBe('RESPONSE');
  return doc.fields;
};

describe('SciResponder', () => {
  it("answers seed 002's SESSION/START with seed 002's RESPONSE", () => {
    const answer = new SciResponder().respond(SCI_SEED_TRANSACTION, idle);
    expect(answer.command).toBe('SESSION/START');
    expect(parseSciDocument(answer.response)).toEqual(parseSciDocument(SCI_SEED_RESPONSE));
  });

  it('reports TRAINING_MODE ON when the request asks for it', () => {
    const answer = new SciResponder().respond(tx({ FUNCTION_TYPE: 'SESSION', COMMAND: 'START', TRAINING_MODE: '1' }), idle);
    expect(fieldsOf(answer.response)['TRAINING_MODE']).toBe('ON');
  });

  it('answers SESSION/FINISH with "Session Finished"', () => {
    expect(fieldsOf(new SciResponder().respond(tx({ FUNCTION_TYPE: 'SESSION', COMMAND: 'FINISH' }), idle).response)).toEqual({
      RESPONSE_TEXT: 'Session Finished',
      RESULT: 'OK',
      RESULT_CODE: '-1',
      TERMINATION_STATUS: 'SUCCESS',
    });
  });

  it('answers GET_COUNTER with 1 first, then the COUNTER of the last earlier request (seed 002)', () => {
    const r = new SciResponder();
    const getCounter = (counter?: string): string | undefined =>
      fieldsOf(r.respond(tx({ FUNCTION_TYPE: 'ADMIN', COMMAND: 'GET_COUNTER', ...(counter ? { COUNTER: counter } : {}) }), idle).response)['COUNTER'];
    expect(getCounter('7')).toBe('1'); // its own COUNTER is not "a last request" yet
    expect(getCounter()).toBe('7');
    r.respond(tx({ FUNCTION_TYPE: 'SESSION', COMMAND: 'START', COUNTER: '41' }), idle);
    r.respond(tx({ FUNCTION_TYPE: 'SESSION', COMMAND: 'FINISH', COUNTER: '42' }), idle);
    expect(getCounter()).toBe('42');
    r.respond(tx({ FUNCTION_TYPE: 'SESSION', COMMAND: 'FINISH', COUNTER: 'x' }), idle); // not a counter: ignored
    expect(getCounter()).toBe('42');
    expect(r.lastCounter).toBe('42');
  });

  it.each(['SALE', 'CAPTURE', 'AUTH', 'CREDIT'])('approves PAYMENT/%s with APPROVED_AMOUNT = TRANS_AMOUNT, RESULT_CODE 5', (command) => {
    const r = new SciResponder();
    const request = tx({ FUNCTION_TYPE: 'PAYMENT', COMMAND: command, TRANS_AMOUNT: '12.50', INVOICE: 'INV-9', COUNTER: '3' });
    expect(fieldsOf(r.respond(request, idle).response)).toEqual({
      RESPONSE_TEXT: 'APPROVED',
      RESULT: 'APPROVED',
      RESULT_CODE: '5',
      TERMINATION_STATUS: 'SUCCESS',
      COMMAND: command,
      TRANS_AMOUNT: '12.50',
      APPROVED_AMOUNT: '12.50',
      AUTH_CODE: 'SIM001',
      CTROUTD: '101',
      TROUTD: '500001',
      PAYMENT_TYPE: 'CREDIT',
      PAYMENT_MEDIA: 'VISA',
      ACCT_NUM: '400300******1119',
      CARD_ENTRY_MODE: 'Tapped',
      TRANS_DATE: '2026.01.02',
      TRANS_TIME: '03:04:05',
      INVOICE: 'INV-9',
      COUNTER: '3',
    });
    expect(fieldsOf(r.respond(request, idle).response)['CTROUTD']).toBe('102');
  });

  it.each([undefined, '', '-1', '1.234', '1e3', 'ten'])('refuses PAYMENT with TRANS_AMOUNT %j (59011)', (amount) => {
    const fields: Record<string, string> = { FUNCTION_TYPE: 'PAYMENT', COMMAND: 'SALE' };
    if (amount !== undefined) fields['TRANS_AMOUNT'] = amount;
    expect(fieldsOf(new SciResponder().respond(tx(fields), idle).response)).toEqual({
      RESPONSE_TEXT: 'Invalid TRANS_AMOUNT',
      RESULT: 'FAILED',
      RESULT_CODE: String(DEVICE_RESULT_CODES.FIELD_INVALID),
      TERMINATION_STATUS: 'FAILURE',
    });
  });

  it('answers SECONDARYPORT/STATUS with IDLE or BUSY', () => {
    const status = tx({ FUNCTION_TYPE: 'SECONDARYPORT', COMMAND: 'STATUS' });
    expect(fieldsOf(new SciResponder().respond(status, idle).response)['DEVICE_STATUS']).toBe('IDLE');
    expect(fieldsOf(new SciResponder().respond(status, { now: NOW, busy: true }).response)['DEVICE_STATUS']).toBe('BUSY');
  });

  it.each([
    ['an unknown command', tx({ FUNCTION_TYPE: 'PAYMENT', COMMAND: 'VOID' }), DEVICE_RESULT_CODES.UNSUPPORTED_COMMAND, 'PAYMENT/VOID'],
    ['not XML', 'hello', DEVICE_RESULT_CODES.REQUEST_INVALID, undefined],
    ['a RESPONSE', SCI_SEED_RESPONSE, DEVICE_RESULT_CODES.REQUEST_INVALID, undefined],
    ['a DOCTYPE', '<!DOCTYPE x><TRANSACTION/>', DEVICE_RESULT_CODES.REQUEST_INVALID, undefined],
  ])('answers %s with an error RESPONSE', (_name, xml, code, command) => {
    const answer = new SciResponder().respond(xml, idle);
    expect(answer.command).toBe(command);
    expect(fieldsOf(answer.response)).toMatchObject({ RESULT: 'FAILED', RESULT_CODE: String(code), TERMINATION_STATUS: 'FAILURE' });
  });
});
