/**
 * XML text for SCI documents: escaping on output, and decoding of a child element's raw content on
 * input. Only XML's five predefined entities and character references exist here — a DTD is refused
 * before parsing (DESIGN §5), so no other entity can be defined, and none is ever expanded.
 */
import { ProtocolError } from '../errors';

const ESCAPES: Readonly<Record<string, string>> = Object.freeze({
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
});

/** A Map, not an object: `&constructor;` must not find Object.prototype's members. */
const PREDEFINED: ReadonlyMap<string, string> = new Map([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
]);

/** Escapes text for element content (all five specials, so it is safe in attributes too). */
export function escapeSciText(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** XML 1.0 `Char` production: what a character reference may name. */
function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 || cp === 0xa || cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

const REFERENCE = /&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]*);/g;

function decodeReferences(text: string): string {
  if (!text.includes('&')) return text;
  // Once every well-formed reference is removed, any '&' left is a bare ampersand: not well-formed.
  if (text.replace(REFERENCE, '').includes('&')) throw new ProtocolError('ERR_SCI_XML_INVALID');
  return text.replace(REFERENCE, (_match, ref: string) => {
    if (ref[0] !== '#') {
      const value = PREDEFINED.get(ref);
      if (value === undefined) throw new ProtocolError('ERR_SCI_XML_INVALID'); // undeclared entity
      return value;
    }
    const cp = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    if (!isXmlChar(cp)) throw new ProtocolError('ERR_SCI_XML_INVALID');
    return String.fromCodePoint(cp);
  });
}

const CDATA_OPEN = '<![CDATA[';
const CDATA_CLOSE = ']]>';
const COMMENT_OPEN = '<!--';
const COMMENT_CLOSE = '-->';

/**
 * Decodes the raw content of a child element: character data, references, CDATA sections (kept
 * literally) and comments (dropped). Surrounding whitespace is trimmed (SCI documents are usually
 * pretty-printed).
 * @returns the text, or `undefined` when the content holds elements (a nested structure)
 * @throws ProtocolError `ERR_SCI_XML_INVALID` for an undeclared entity or a bad character reference
 */
export function decodeSciContent(raw: string): string | undefined {
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const lt = raw.indexOf('<', i);
    out += decodeReferences(raw.slice(i, lt === -1 ? raw.length : lt));
    if (lt === -1) break;
    if (raw.startsWith(CDATA_OPEN, lt)) {
      const end = raw.indexOf(CDATA_CLOSE, lt + CDATA_OPEN.length);
      if (end === -1) throw new ProtocolError('ERR_SCI_XML_INVALID');
      out += raw.slice(lt + CDATA_OPEN.length, end);
      i = end + CDATA_CLOSE.length;
    } else if (raw.startsWith(COMMENT_OPEN, lt)) {
      const end = raw.indexOf(COMMENT_CLOSE, lt + COMMENT_OPEN.length);
      if (end === -1) throw new ProtocolError('ERR_SCI_XML_INVALID');
      i = end + COMMENT_CLOSE.length;
    } else {
      return undefined;
    }
  }
  return out.trim();
}
