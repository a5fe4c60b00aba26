import fc from 'fast-check';
import { isProtocolError } from '../errors';
import { SCI_SEED_RESPONSE, SCI_SEED_TRANSACTION } from '../testing';
import { SCI_MAX_DOCUMENT_BYTES_DEFAULT } from './document';
import { parseSciDocument } from './parse';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isProtocolError(error) ? error.code : `not a ProtocolError: ${String(error)}`;
  }
  return undefined;
}

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<TRANSACTION><FUNCTION_TYPE>&lol3;</FUNCTION_TYPE></TRANSACTION>`;

const EXTERNAL_ENTITY = `<?xml version="1.0"?>
<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<TRANSACTION><COMMAND>&xxe;</COMMAND></TRANSACTION>`;

describe('parseSciDocument', () => {
  it('parses the seed 002 TRANSACTION', () => {
    expect(parseSciDocument(SCI_SEED_TRANSACTION)).toEqual({
      root: 'TRANSACTION',
      fields: {
        FUNCTION_TYPE: 'SESSION',
        COMMAND: 'START',
        BUSINESSDATE: '20210709',
        SWIPE_AHEAD: '1',
        TRAINING_MODE: '0',
        INVOICE: '123456',
      },
    });
  });

  it('parses the seed 002 RESPONSE, keeping numbers as text', () => {
    expect(parseSciDocument(SCI_SEED_RESPONSE)).toEqual({
      root: 'RESPONSE',
      fields: {
        RESPONSE_TEXT: 'Session Started',
        RESULT: 'OK',
        RESULT_CODE: '-1',
        TERMINATION_STATUS: 'SUCCESS',
        TRAINING_MODE: 'OFF',
      },
    });
  });

  it('accepts an empty root, with trailing whitespace and comments', () => {
    expect(parseSciDocument('<TRANSACTION/>\n<!-- end -->\n')).toEqual({ root: 'TRANSACTION', fields: {} });
    expect(parseSciDocument('<RESPONSE></RESPONSE>')).toEqual({ root: 'RESPONSE', fields: {} });
  });

  it('accepts an XML declaration, comments, attributes and lower-case tags', () => {
    const doc = parseSciDocument('<?xml version="1.0"?><!-- pos --><transaction id="1"><command a="b">start</command></transaction>');
    expect(doc).toEqual({ root: 'TRANSACTION', fields: { COMMAND: 'start' } });
  });

  it('decodes predefined entities, character references and CDATA; keeps nested elements raw', () => {
    const doc = parseSciDocument(
      '<RESPONSE><A>Fish &amp; Chips &lt;3 &#x263A;&#65;</A><B><![CDATA[<raw> & ]]></B><E/>' +
        '<LINE_ITEMS>\n <ITEM><NAME>x &amp; y</NAME></ITEM>\n</LINE_ITEMS></RESPONSE>',
    );
    expect(doc.fields).toEqual({
      A: 'Fish & Chips <3 ☺A',
      B: '<raw> &',
      E: '',
      LINE_ITEMS: '<ITEM><NAME>x &amp; y</NAME></ITEM>',
    });
  });

  it.each([
    ['billion laughs', BILLION_LAUGHS],
    ['an external entity', EXTERNAL_ENTITY],
    ['a bare DOCTYPE', '<!DOCTYPE TRANSACTION><TRANSACTION/>'],
    ['a lower-case doctype', '<!doctype x><TRANSACTION/>'],
    ['an ENTITY declaration without DOCTYPE', '<!ENTITY x "y"><TRANSACTION/>'],
    ['a DOCTYPE after the root', '<TRANSACTION/><!DOCTYPE x>'],
  ])('refuses %s with ERR_SCI_DTD_FORBIDDEN', (_name, xml) => {
    expect(codeOf(() => parseSciDocument(xml))).toBe('ERR_SCI_DTD_FORBIDDEN');
  });

  it('checks the size cap first, in UTF-8 bytes', () => {
    const big = `<TRANSACTION><A>${'x'.repeat(SCI_MAX_DOCUMENT_BYTES_DEFAULT)}</A></TRANSACTION>`;
    expect(codeOf(() => parseSciDocument(big))).toBe('ERR_SCI_TOO_LARGE');
    expect(codeOf(() => parseSciDocument(`<!DOCTYPE x>${big}`))).toBe('ERR_SCI_TOO_LARGE');
    const doc = '<TRANSACTION><A>éé</A></TRANSACTION>'; // 38 bytes, 36 characters
    expect(codeOf(() => parseSciDocument(doc, { maxBytes: 37 }))).toBe('ERR_SCI_TOO_LARGE');
    expect(parseSciDocument(doc, { maxBytes: 38 }).fields['A']).toBe('éé');
  });

  it.each([
    ['unclosed tags', '<TRANSACTION><A>1</TRANSACTION>'],
    ['text before the root', 'junk<TRANSACTION/>'],
    ['text after the root', '<TRANSACTION/>junk'],
    ['a bare ampersand', '<TRANSACTION><A>a & b</A></TRANSACTION>'],
    ['an undeclared entity', '<TRANSACTION><A>&foo;</A></TRANSACTION>'],
    ['&constructor;', '<TRANSACTION><A>&constructor;</A></TRANSACTION>'],
    ['a character reference to NUL', '<TRANSACTION><A>&#0;</A></TRANSACTION>'],
    ['text beside the children', '<TRANSACTION>hi<A>1</A></TRANSACTION>'],
    ['a text-only root', '<TRANSACTION>hi</TRANSACTION>'],
    ['text after a self-closing root', '<TRANSACTION/>junk'],
    ['text after a self-closing root and a comment', '<TRANSACTION a="/>x"/><!-- c -->junk'],
    ['two roots', '<TRANSACTION/><RESPONSE/>'],
    ['two roots with content', '<TRANSACTION><A>1</A></TRANSACTION><TRANSACTION><A>2</A></TRANSACTION>'],
    ['an empty string', ''],
  ])('refuses %s with ERR_SCI_XML_INVALID', (_name, xml) => {
    expect(codeOf(() => parseSciDocument(xml))).toBe('ERR_SCI_XML_INVALID');
  });

  it.each([
    ['another root', '<REQUEST><A>1</A></REQUEST>'],
    ['a self-closing other root', '<RESULT/>'],
  ])('refuses %s with ERR_SCI_ROOT_INVALID', (_name, xml) => {
    expect(codeOf(() => parseSciDocument(xml))).toBe('ERR_SCI_ROOT_INVALID');
  });

  it('refuses a repeated child, also across letter case, with ERR_SCI_FIELD_DUPLICATE', () => {
    expect(codeOf(() => parseSciDocument('<TRANSACTION><COMMAND>A</COMMAND><COMMAND>B</COMMAND></TRANSACTION>'))).toBe(
      'ERR_SCI_FIELD_DUPLICATE',
    );
    expect(codeOf(() => parseSciDocument('<TRANSACTION><COMMAND>A</COMMAND><command>B</command></TRANSACTION>'))).toBe(
      'ERR_SCI_FIELD_DUPLICATE',
    );
  });

  it('throws nothing but ProtocolError for any text (property)', () => {
    const xmlish = fc
      .array(fc.constantFrom('<', '>', '/', '&', ';', '!', '[', ']', '-', '?', '"', 'A', 'TRANSACTION', 'RESPONSE', '#x41', 'CDATA', ' ', 'amp'), { maxLength: 40 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string(), xmlish), (xml) => {
        const code = codeOf(() => parseSciDocument(xml));
        expect(code === undefined || code.startsWith('ERR_SCI_')).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a non-string or a bad cap with TypeError', () => {
    expect(() => parseSciDocument(Buffer.from('<TRANSACTION/>') as unknown as string)).toThrow(TypeError);
    expect(() => parseSciDocument('<TRANSACTION/>', { maxBytes: 0 })).toThrow(TypeError);
  });
});
