import { parseSciDocument } from '@pos-link/protocol';
import { classifyRequest, synthesizedAnswer } from './relay-answer';
import { SYNTHESIZED_RESPONSES, isSynthesizedName } from './synthesized-responses';

/** The device simulator's own codes (tools/device-sim DEVICE_RESULT_CODES): the relay must not reuse them. */
const DEVICE_SIM_CODES = [59010, 59011, 59012];

describe('SYNTHESIZED_RESPONSES', () => {
  it('has the documented RESULT_CODEs and HTTP statuses', () => {
    expect(Object.fromEntries(Object.entries(SYNTHESIZED_RESPONSES).map(([name, r]) => [name, [r.resultCode, r.httpStatus]]))).toEqual({
      DEVICE_BUSY: [59002, 409],
      SESSION_OWNED: [59003, 409],
      DEVICE_OFFLINE: [59020, 503],
      DEVICE_TIMEOUT: [59021, 504],
      REQUEST_INVALID: [59022, 400],
      REQUEST_DTD_FORBIDDEN: [59023, 400],
      REQUEST_TOO_LARGE: [59024, 413],
      DEVICE_RESPONSE_INVALID: [59025, 502],
      RELAY_UNAVAILABLE: [59026, 503],
    });
  });

  it('uses distinct codes, none of the device simulator’s', () => {
    const codes = Object.values(SYNTHESIZED_RESPONSES).map((r) => r.resultCode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of DEVICE_SIM_CODES) expect(codes).not.toContain(code);
  });

  it('writes each as a failed SCI RESPONSE (known answer for DEVICE_BUSY)', () => {
    expect(SYNTHESIZED_RESPONSES.DEVICE_BUSY.xml).toBe(
      '<RESPONSE><RESPONSE_TEXT>DEVICE IS BUSY</RESPONSE_TEXT><RESULT>FAILED</RESULT><RESULT_CODE>59002</RESULT_CODE><TERMINATION_STATUS>FAILURE</TERMINATION_STATUS></RESPONSE>',
    );
    for (const response of Object.values(SYNTHESIZED_RESPONSES)) {
      expect(parseSciDocument(response.xml)).toEqual({
        root: 'RESPONSE',
        fields: { RESPONSE_TEXT: response.text, RESULT: 'FAILED', RESULT_CODE: String(response.resultCode), TERMINATION_STATUS: 'FAILURE' },
      });
    }
  });

  it('recognises its names and nothing else (relay messages carry them)', () => {
    expect(isSynthesizedName('DEVICE_OFFLINE')).toBe(true);
    expect(isSynthesizedName('toString')).toBe(false);
    expect(isSynthesizedName(59020)).toBe(false);
  });
});

describe('classifyRequest', () => {
  it('classifies a TRANSACTION by FUNCTION_TYPE/COMMAND', () => {
    expect(classifyRequest('<TRANSACTION><FUNCTION_TYPE>session</FUNCTION_TYPE><COMMAND>start</COMMAND></TRANSACTION>', 1024)).toEqual({
      command: { functionType: 'SESSION', command: 'START' },
      kind: 'session-start',
    });
    expect(classifyRequest('<TRANSACTION><FUNCTION_TYPE>SECONDARYPORT</FUNCTION_TYPE><COMMAND>CANCEL</COMMAND></TRANSACTION>', 1024)).toMatchObject({
      kind: 'secondary',
    });
  });

  it.each([
    ['a DOCTYPE', '<!DOCTYPE x><TRANSACTION/>', 'REQUEST_DTD_FORBIDDEN'],
    ['a document over the cap', `<TRANSACTION><A>${'x'.repeat(1024)}</A></TRANSACTION>`, 'REQUEST_TOO_LARGE'],
    ['bad XML', '<TRANSACTION>', 'REQUEST_INVALID'],
    ['a RESPONSE', '<RESPONSE/>', 'REQUEST_INVALID'],
    ['a repeated field', '<TRANSACTION><COMMAND>A</COMMAND><COMMAND>B</COMMAND></TRANSACTION>', 'REQUEST_INVALID'],
  ])('refuses %s with the matching synthesized answer', (_name, xml, name) => {
    expect(classifyRequest(xml, 1024)).toBe(name);
  });

  it('wraps a synthesized answer with its HTTP status', () => {
    expect(synthesizedAnswer('DEVICE_OFFLINE')).toEqual({ xml: SYNTHESIZED_RESPONSES.DEVICE_OFFLINE.xml, httpStatus: 503, synthesized: 'DEVICE_OFFLINE' });
  });
});
