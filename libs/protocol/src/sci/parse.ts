/**
 * Safe parsing of SCI XML (DESIGN §5). The order of checks is the point:
 *
 * 1. size cap, on the raw text, before anything else (`ERR_SCI_TOO_LARGE`);
 * 2. any markup declaration (`<!DOCTYPE`, `<!ENTITY`, `<!ELEMENT`, … — anything `<!` that is not a
 *    comment or CDATA) refused on the raw text (`ERR_SCI_DTD_FORBIDDEN`): no DTD means no
 *    billion-laughs expansion and no external entity, whatever the parser would have done;
 * 3. well-formedness by fast-xml-parser's validator (`ERR_SCI_XML_INVALID`);
 * 4. parsing with entity processing OFF (belt and braces), children of the root kept raw, so
 *    nothing below the second level is ever built into objects;
 * 5. exactly one root element (else `ERR_SCI_XML_INVALID`), named `TRANSACTION` or `RESPONSE`
 *    (`ERR_SCI_ROOT_INVALID`), no text directly in
 *    it, no repeated child (`ERR_SCI_FIELD_DUPLICATE`: the relay and the device must not read
 *    different values of one field).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ProtocolError } from '../errors';
import { SCI_MAX_DOCUMENT_BYTES_DEFAULT, SCI_ROOTS, type SciDocument, type SciRoot } from './document';
import { decodeSciContent } from './text';

/** Options of {@link parseSciDocument}. */
export interface SciParseOptions {
  /** Size cap in UTF-8 bytes; default {@link SCI_MAX_DOCUMENT_BYTES_DEFAULT}. */
  readonly maxBytes?: number;
}

/** `<!` opening anything but a comment or a CDATA section: a DTD or one of its declarations. */
const MARKUP_DECLARATION = /<!(?!--|\[CDATA\[)/;

const parser = new XMLParser({
  ignoreAttributes: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  transformTagName: (name) => name.toUpperCase(),
  // Every child of the root is a stop node: its content stays raw text (decoded by decodeSciContent).
  stopNodes: ['*.*'],
});

/** The text node key fast-xml-parser uses for character data next to elements. */
const TEXT_NODE = '#text';

/**
 * Parses one SCI document.
 * @throws ProtocolError `ERR_SCI_TOO_LARGE` | `ERR_SCI_DTD_FORBIDDEN` | `ERR_SCI_XML_INVALID` |
 *   `ERR_SCI_ROOT_INVALID` | `ERR_SCI_FIELD_DUPLICATE`
 * @throws TypeError when `xml` is not a string or `maxBytes` is not a positive integer
 */
export function parseSciDocument(xml: string, options: SciParseOptions = {}): SciDocument {
  if (typeof xml !== 'string') throw new TypeError('xml must be a string');
  const maxBytes = options.maxBytes ?? SCI_MAX_DOCUMENT_BYTES_DEFAULT;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) throw new TypeError('maxBytes must be a positive integer');
  // UTF-16 length ≤ UTF-8 length, so a long string is refused without measuring it.
  if (xml.length > maxBytes || Buffer.byteLength(xml, 'utf8') > maxBytes) throw new ProtocolError('ERR_SCI_TOO_LARGE');
  if (MARKUP_DECLARATION.test(xml)) throw new ProtocolError('ERR_SCI_DTD_FORBIDDEN');
  if (XMLValidator.validate(xml) !== true || hasTextAfterSelfClosingRoot(xml)) throw new ProtocolError('ERR_SCI_XML_INVALID');

  let parsed: Record<string, unknown>;
  try {
    parsed = parser.parse(xml) as Record<string, unknown>;
  } catch {
    throw new ProtocolError('ERR_SCI_XML_INVALID');
  }
  const roots = Object.keys(parsed);
  // The validator lets several top-level elements through (`<A/><B/>`): XML allows exactly one.
  if (roots.length !== 1) throw new ProtocolError('ERR_SCI_XML_INVALID');
  const root = roots[0];
  if (!(SCI_ROOTS as readonly string[]).includes(root)) throw new ProtocolError('ERR_SCI_ROOT_INVALID');
  return { root: root as SciRoot, fields: Object.freeze(readFields(parsed[root])) };
}

function readFields(content: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  if (typeof content === 'string') {
    if (content.trim() !== '') throw new ProtocolError('ERR_SCI_XML_INVALID'); // text-only root
    return fields;
  }
  for (const [name, raw] of Object.entries(content as Record<string, unknown>)) {
    if (name === TEXT_NODE) {
      if (String(raw).trim() !== '') throw new ProtocolError('ERR_SCI_XML_INVALID'); // text beside elements
      continue;
    }
    if (Array.isArray(raw)) throw new ProtocolError('ERR_SCI_FIELD_DUPLICATE');
    const text = String(raw);
    fields[name] = decodeSciContent(text) ?? text.trim();
  }
  return fields;
}

/** Index of the first character after whitespace, processing instructions and comments. */
function skipMisc(xml: string, from: number): number {
  let i = from;
  for (;;) {
    while (i < xml.length && (xml[i] === ' ' || xml[i] === '\t' || xml[i] === '\n' || xml[i] === '\r')) i++;
    const close = xml.startsWith('<?', i) ? '?>' : xml.startsWith('<!--', i) ? '-->' : undefined;
    if (close === undefined) return i;
    const end = xml.indexOf(close, i + 2);
    if (end === -1) return i;
    i = end + close.length;
  }
}

/**
 * fast-xml-parser's validator (5.12) accepts text after a self-closing root (`<TRANSACTION/>junk`)
 * and its parser drops it; refuse that instead of reading an empty document. A root with an end tag
 * is fully checked by the validator.
 */
function hasTextAfterSelfClosingRoot(xml: string): boolean {
  let i = skipMisc(xml, 0) + 1;
  let quote: string | undefined;
  for (; i < xml.length; i++) {
    const c = xml[i];
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '>') {
      break;
    }
  }
  return xml[i - 1] === '/' && skipMisc(xml, i + 1) !== xml.length;
}
