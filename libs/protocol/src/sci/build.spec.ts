import { buildSciXml } from './build';
import type { SciRoot } from './document';
import { parseSciDocument } from './parse';

describe('buildSciXml', () => {
  it('writes upper-case tags, escaped text, no XML declaration', () => {
    const xml = buildSciXml('RESPONSE', { response_text: 'Fish & <Chips> "ok"', RESULT_CODE: -1, result: 'OK' });
    expect(xml).toBe(
      '<RESPONSE><RESPONSE_TEXT>Fish &amp; &lt;Chips&gt; &quot;ok&quot;</RESPONSE_TEXT><RESULT_CODE>-1</RESULT_CODE><RESULT>OK</RESULT></RESPONSE>',
    );
    expect(xml.startsWith('<?xml')).toBe(false);
  });

  it('round-trips through parseSciDocument', () => {
    const fields = { FUNCTION_TYPE: 'SESSION', COMMAND: 'START', NOTE: "it's <b> & 'quoted'" };
    expect(parseSciDocument(buildSciXml('TRANSACTION', fields))).toEqual({ root: 'TRANSACTION', fields });
  });

  it('writes an empty document for no fields', () => {
    expect(buildSciXml('TRANSACTION', {})).toBe('<TRANSACTION></TRANSACTION>');
  });

  it('refuses bad roots, names and values with TypeError', () => {
    expect(() => buildSciXml('REQUEST' as SciRoot, {})).toThrow(TypeError);
    expect(() => buildSciXml('RESPONSE', { 'A B': 'x' })).toThrow(TypeError);
    expect(() => buildSciXml('RESPONSE', { '<A>': 'x' })).toThrow(TypeError);
    expect(() => buildSciXml('RESPONSE', { '1A': 'x' })).toThrow(TypeError);
    expect(() => buildSciXml('RESPONSE', { a: 'x', A: 'y' })).toThrow(TypeError);
    expect(() => buildSciXml('RESPONSE', { A: Number.NaN })).toThrow(TypeError);
    expect(() => buildSciXml('RESPONSE', { A: null as unknown as string })).toThrow(TypeError);
  });
});
