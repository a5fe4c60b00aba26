import { isProtocolError } from '../errors';
import { SCI_SEED_RESPONSE, SCI_SEED_TRANSACTION } from '../testing';
import { sciCommandKind, sciCommandOf } from './command';
import { parseSciDocument } from './parse';

function transaction(functionType: string, command: string): string {
  return `<TRANSACTION><FUNCTION_TYPE>${functionType}</FUNCTION_TYPE><COMMAND>${command}</COMMAND></TRANSACTION>`;
}

describe('sciCommandOf', () => {
  it('reads FUNCTION_TYPE and COMMAND of the seed 002 TRANSACTION', () => {
    expect(sciCommandOf(parseSciDocument(SCI_SEED_TRANSACTION))).toEqual({ functionType: 'SESSION', command: 'START' });
  });

  it('upper-cases both', () => {
    expect(sciCommandOf(parseSciDocument(transaction('payment', 'capture')))).toEqual({ functionType: 'PAYMENT', command: 'CAPTURE' });
  });

  it.each([
    ['a RESPONSE', SCI_SEED_RESPONSE],
    ['no COMMAND', '<TRANSACTION><FUNCTION_TYPE>SESSION</FUNCTION_TYPE></TRANSACTION>'],
    ['an empty FUNCTION_TYPE', transaction(' ', 'START')],
  ])('refuses %s with ERR_SCI_COMMAND_MISSING', (_name, xml) => {
    const doc = parseSciDocument(xml);
    expect(() => sciCommandOf(doc)).toThrow(expect.objectContaining({ code: 'ERR_SCI_COMMAND_MISSING' }));
    try {
      sciCommandOf(doc);
    } catch (error) {
      expect(isProtocolError(error, 'ERR_SCI_COMMAND_MISSING')).toBe(true);
    }
  });
});

describe('sciCommandKind', () => {
  it.each([
    ['SESSION', 'START', 'session-start'],
    ['SESSION', 'FINISH', 'session-finish'],
    ['SECONDARYPORT', 'CANCEL', 'secondary'],
    ['SECONDARYPORT', 'STATUS', 'secondary'],
    ['PAYMENT', 'CAPTURE', 'primary'],
    ['ADMIN', 'GET_COUNTER', 'primary'],
  ])('%s/%s is %s', (functionType, command, kind) => {
    expect(sciCommandKind(sciCommandOf(parseSciDocument(transaction(functionType, command))))).toBe(kind);
  });
});
