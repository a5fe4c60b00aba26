import { parseSciDocument } from '@pos-link/protocol';
import { matchResponse } from './match-response';

const answer = (fields: string): ReturnType<typeof parseSciDocument> => parseSciDocument(`<RESPONSE>${fields}</RESPONSE>`);

describe('matchResponse', () => {
  it('returns undefined when nothing is outstanding', () => {
    expect(matchResponse(answer('<RESULT>OK</RESULT>'), {})).toBeUndefined();
  });

  it('gives the answer to the only outstanding request, whatever it says', () => {
    expect(matchResponse(answer('<COMMAND>CANCEL</COMMAND>'), { primary: { command: 'SALE' } })).toBe('primary');
    expect(matchResponse(undefined, { secondary: { command: 'STATUS' } })).toBe('secondary');
  });

  it('with both outstanding, gives an answer echoing the primary COMMAND to the primary', () => {
    const both = { primary: { command: 'SALE' }, secondary: { command: 'STATUS' } };
    expect(matchResponse(answer('<RESULT>APPROVED</RESULT><COMMAND>sale</COMMAND>'), both)).toBe('primary');
  });

  it('with both outstanding, gives an uncorrelated or unreadable answer to the secondary (served at once by SCA)', () => {
    const both = { primary: { command: 'START' }, secondary: { command: 'STATUS' } };
    expect(matchResponse(answer('<RESPONSE_TEXT>Device Status</RESPONSE_TEXT>'), both)).toBe('secondary');
    expect(matchResponse(answer('<COMMAND>STATUS</COMMAND>'), both)).toBe('secondary');
    expect(matchResponse(undefined, both)).toBe('secondary');
  });

  it('treats an echo naming both commands as the secondary', () => {
    const same = { primary: { command: 'CANCEL' }, secondary: { command: 'CANCEL' } };
    expect(matchResponse(answer('<COMMAND>CANCEL</COMMAND>'), same)).toBe('secondary');
  });
});
