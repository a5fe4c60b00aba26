import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { isProtocolError } from '../errors';
import type { SciDocument } from './document';
import { parseSciDocument } from './parse';
import { SCI_MAX_ATTRIBUTES, SCI_MAX_DEPTH, SCI_MAX_FIELDS, readSciXml } from './reader';
import { decodeSciContent, escapeSciText } from './text';

/**
 * The previous parser, built on fast-xml-parser 5 (validate, then parse with the root's children as stop
 * nodes), kept here as the reference the reader must agree with. Returns the document or the error code.
 */
const referenceParser = new XMLParser({
  ignoreAttributes: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  transformTagName: (name) => name.toUpperCase(),
  stopNodes: ['*.*'],
});

function referenceParse(xml: string): SciDocument | string {
  if (/<!(?!--|\[CDATA\[)/.test(xml)) return 'ERR_SCI_DTD_FORBIDDEN';
  if (XMLValidator.validate(xml) !== true) return 'ERR_SCI_XML_INVALID';
  let parsed: Record<string, unknown>;
  try {
    parsed = referenceParser.parse(xml) as Record<string, unknown>;
  } catch {
    return 'ERR_SCI_XML_INVALID';
  }
  const roots = Object.keys(parsed);
  if (roots.length !== 1) return 'ERR_SCI_XML_INVALID';
  const root = roots[0];
  if (root !== 'TRANSACTION' && root !== 'RESPONSE') return 'ERR_SCI_ROOT_INVALID';
  const content = parsed[root];
  const fields: Record<string, string> = {};
  if (typeof content === 'string') return content.trim() === '' ? { root, fields } : 'ERR_SCI_XML_INVALID';
  try {
    for (const [name, value] of Object.entries(content as Record<string, unknown>)) {
      if (name === '#text') {
        if (String(value).trim() !== '') return 'ERR_SCI_XML_INVALID';
        continue;
      }
      if (Array.isArray(value)) return 'ERR_SCI_FIELD_DUPLICATE';
      fields[name] = decodeSciContent(String(value)) ?? String(value).trim();
    }
  } catch (error) {
    if (isProtocolError(error)) return error.code;
    throw error;
  }
  return { root, fields };
}

function parseOrCode(xml: string): SciDocument | string {
  try {
    const doc = parseSciDocument(xml);
    return { root: doc.root, fields: { ...doc.fields } };
  } catch (error) {
    if (isProtocolError(error)) return error.code;
    throw error;
  }
}

function codeOf(xml: string): string | undefined {
  const result = parseOrCode(xml);
  return typeof result === 'string' ? result : undefined;
}

// --- Generated valid SCI documents -------------------------------------------------------------------

const space = fc.constantFrom('', ' ', '\n', '\n  ', '\r\n\t');
const comment = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '<', '>', '&', '-x'), maxLength: 12 }).map((t) => `<!--${t}-->`);
const gap = fc.array(fc.oneof(space, comment), { maxLength: 3 }).map((parts) => parts.join(''));
/** Text as a sender writes it: any XML characters, escaped (`buildSciXml`'s rule), with character references. */
const textChar = fc.constantFrom('a', 'Z', '0', ' ', '\t', '\n', '&', '<', '>', '"', "'", ']', 'é', '☺', '😀', '-', '.');
const escapedText = fc.string({ unit: textChar, maxLength: 20 }).map(escapeSciText);
const charReference = fc.constantFrom('&#65;', '&#x263A;', '&#x1F600;', '&#9;', '&#10;');
const cdata = fc.string({ unit: fc.constantFrom('a', ' ', '<', '>', '&', ']', '"', 'é'), maxLength: 12 })
  .filter((t) => !t.includes(']]>'))
  .map((t) => `<![CDATA[${t}]]>`);
const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,12}$/);
const attributes = fc
  .uniqueArray(fc.tuple(name, fc.constantFrom('"', "'"), escapedText), { selector: ([n]) => n, maxLength: 2 })
  .map((list) => list.map(([n, q, v]) => ` ${n}=${q}${v.replaceAll(q, q === '"' ? '&quot;' : '&apos;')}${q}`).join(''));
const flatContent = fc.array(fc.oneof({ weight: 4, arbitrary: escapedText }, charReference, cdata, comment), { maxLength: 4 }).map((p) => p.join(''));
/** A line-item list: elements inside a field, kept raw. */
const nestedContent = fc
  .array(fc.tuple(name, name, escapedText, attributes), { minLength: 1, maxLength: 3 })
  .map((items) => items.map(([outer, inner, text, attrs]) => `\n  <${outer}${attrs}><${inner}>${text}</${inner}><${inner}/></${outer}>`).join(''));
const field = fc.tuple(name, attributes, fc.oneof({ weight: 5, arbitrary: flatContent }, nestedContent, fc.constant(undefined)), space);
const fieldList = fc.uniqueArray(field, { selector: ([n]) => n.toUpperCase(), maxLength: 8 });
const validDocument = fc
  .tuple(
    fc.constantFrom('', '<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0"?>\n'),
    gap,
    fc.constantFrom('TRANSACTION', 'RESPONSE', 'transaction', 'Response'),
    attributes,
    fieldList,
    gap,
    fc.boolean(),
  )
  .map(([declaration, before, root, rootAttrs, fields, after, selfClose]) => {
    if (selfClose && fields.length === 0) return `${declaration}${before}<${root}${rootAttrs}/>${after}`;
    const children = fields
      .map(([n, attrs, content, ws]) => (content === undefined ? `${ws}<${n}${attrs}/>` : `${ws}<${n}${attrs}>${content}</${n}>`))
      .join('');
    return `${declaration}${before}<${root}${rootAttrs}>${children}\n</${root}>${after}`;
  });

/** Strings near SCI: pieces of markup shuffled, for the "never looser than the reference" property. */
const xmlish = fc
  .array(
    fc.constantFrom('<', '>', '/', '&', ';', '!', '[', ']', '-', '?', '"', '=', ' ', 'A', 'b', 'TRANSACTION', 'RESPONSE', '<A>', '</A>',
      '<TRANSACTION>', '</TRANSACTION>', '<A/>', '#x41', 'amp', '<![CDATA[', ']]>', '<!--', '-->', 'x="1"', '\u0001'),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(''));

describe('readSciXml (the SCI reader)', () => {
  it('agrees with the fast-xml-parser reference on generated valid SCI documents (property)', () => {
    fc.assert(
      fc.property(validDocument, (xml) => {
        const expected = referenceParse(xml);
        expect(typeof expected).toBe('object'); // the generator writes valid documents only
        expect(parseOrCode(xml)).toEqual(expected);
      }),
      { numRuns: 3_000 },
    );
  });

  it('never accepts what the reference refuses, and reads the same when both accept (property)', () => {
    fc.assert(
      fc.property(fc.oneof(xmlish, validDocument, fc.string()), (xml) => {
        const actual = parseOrCode(xml);
        if (typeof actual === 'object') expect(actual).toEqual(referenceParse(xml));
      }),
      { numRuns: 5_000 },
    );
  });

  it('reads the root and the raw content of each child', () => {
    expect(readSciXml('<?xml version="1.0"?>\n<R a="1"><A>x</A><B/><C> <I>1</I> </C></R><!-- end -->')).toEqual({
      root: 'R',
      children: [
        { name: 'A', content: 'x', nested: false },
        { name: 'B', content: '', nested: false },
        { name: 'C', content: ' <I>1</I> ', nested: true },
      ],
    });
  });

  it('accepts a byte order mark and the XML declaration only at the very start', () => {
    expect(codeOf('\uFEFF<?xml version="1.0"?><TRANSACTION/>')).toBeUndefined();
    expect(codeOf(' <?xml version="1.0"?><TRANSACTION/>')).toBe('ERR_SCI_XML_INVALID');
  });

  it.each([
    ['a processing instruction before the root', '<?xml-stylesheet a="b"?><TRANSACTION/>'],
    ['a processing instruction in the root', '<TRANSACTION><?pi x?><A>1</A></TRANSACTION>'],
    ['a processing instruction in a field', '<TRANSACTION><A>1<?pi x?></A></TRANSACTION>'],
    ['a processing instruction after the root', '<TRANSACTION/><?pi x?>'],
    ['a C0 control character', '<TRANSACTION><A>a \u0001 b</A></TRANSACTION>'],
    ['NUL', '<TRANSACTION><A>\u0000</A></TRANSACTION>'],
    ['U+FFFF', '<TRANSACTION><A>\uFFFF</A></TRANSACTION>'],
    [']]> in text', '<TRANSACTION><A>a ]]> b</A></TRANSACTION>'],
    ['< in an attribute value', '<TRANSACTION><A x="a<b">1</A></TRANSACTION>'],
    ['a bare & in an attribute value', '<TRANSACTION><A x="a&b">1</A></TRANSACTION>'],
    ['an undeclared entity in an attribute value', '<TRANSACTION><A x="&foo;">1</A></TRANSACTION>'],
    ['an undeclared entity in a nested element', '<TRANSACTION><L><I>&foo;</I></L></TRANSACTION>'],
    ['a repeated attribute', '<TRANSACTION><A x="1" x="2">1</A></TRANSACTION>'],
    ['an unquoted attribute', '<TRANSACTION><A x=1>1</A></TRANSACTION>'],
    ['CDATA directly in the root', '<TRANSACTION><![CDATA[ ]]><A>1</A></TRANSACTION>'],
    ['a non-ASCII name', '<TRANSACTION><é>1</é></TRANSACTION>'],
    ['a mismatched nested end tag', '<TRANSACTION><A><B>1</A></B></TRANSACTION>'],
    ['an end tag in another letter case', '<TRANSACTION><A>1</a></TRANSACTION>'],
    ['an unterminated comment', '<TRANSACTION/><!-- c'],
    ['an unterminated CDATA section', '<TRANSACTION><A><![CDATA[x</A></TRANSACTION>'],
    ['an unterminated end tag', '<TRANSACTION><A>1</A></TRANSACTION'],
    ['a character reference with X', '<TRANSACTION><A>&#X41;</A></TRANSACTION>'],
    ['a reference to a surrogate', '<TRANSACTION><A>&#xD800;</A></TRANSACTION>'],
  ])('refuses %s with ERR_SCI_XML_INVALID', (_name, xml) => {
    expect(codeOf(xml)).toBe('ERR_SCI_XML_INVALID');
  });

  it('refuses a markup declaration inside a field even when reached directly', () => {
    expect(() => readSciXml('<TRANSACTION><A><!ENTITY x "y"></A></TRANSACTION>')).toThrow(expect.objectContaining({ code: 'ERR_SCI_DTD_FORBIDDEN' }));
  });

  it(`holds nesting to SCI_MAX_DEPTH (${SCI_MAX_DEPTH}) levels`, () => {
    const nest = (depth: number): string => `<TRANSACTION>${'<A>'.repeat(depth - 1)}x${'</A>'.repeat(depth - 1)}</TRANSACTION>`;
    expect(codeOf(nest(SCI_MAX_DEPTH))).toBeUndefined();
    expect(codeOf(nest(SCI_MAX_DEPTH + 1))).toBe('ERR_SCI_XML_INVALID');
  });

  it(`holds the root to SCI_MAX_FIELDS (${SCI_MAX_FIELDS}) children`, () => {
    const fields = (n: number): string => `<TRANSACTION>${Array.from({ length: n }, (_, i) => `<F${i}/>`).join('')}</TRANSACTION>`;
    expect(Object.keys(parseSciDocument(fields(SCI_MAX_FIELDS)).fields)).toHaveLength(SCI_MAX_FIELDS);
    expect(codeOf(fields(SCI_MAX_FIELDS + 1))).toBe('ERR_SCI_XML_INVALID');
  });

  it(`holds an element to SCI_MAX_ATTRIBUTES (${SCI_MAX_ATTRIBUTES}) attributes`, () => {
    const element = (n: number): string => `<TRANSACTION${Array.from({ length: n }, (_, i) => ` a${i}="1"`).join('')}/>`;
    expect(codeOf(element(SCI_MAX_ATTRIBUTES))).toBeUndefined();
    expect(codeOf(element(SCI_MAX_ATTRIBUTES + 1))).toBe('ERR_SCI_XML_INVALID');
  });

  it('reads a document at the size cap in time linear in its size', () => {
    const item = '<ITEM><NAME>x &amp; y</NAME><QTY>1</QTY></ITEM>';
    const xml = `<RESPONSE><LINE_ITEMS>${item.repeat(Math.floor((64 * 1024 - 64) / item.length))}</LINE_ITEMS></RESPONSE>`;
    const started = performance.now();
    expect(parseSciDocument(xml).fields['LINE_ITEMS']?.startsWith('<ITEM>')).toBe(true);
    expect(performance.now() - started).toBeLessThan(250);
  });
});
