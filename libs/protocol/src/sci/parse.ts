/**
 * Safe parsing of SCI XML (DESIGN §5). The order of checks is the point:
 *
 * 1. size cap, on the raw text, before anything else (`ERR_SCI_TOO_LARGE`);
 * 2. any markup declaration (`<!DOCTYPE`, `<!ENTITY`, `<!ELEMENT`, … — anything `<!` that is not a
 *    comment or CDATA) refused on the raw text (`ERR_SCI_DTD_FORBIDDEN`): no DTD means no
 *    billion-laughs expansion and no external entity, whatever comes after;
 * 3. well-formedness by the SCI reader (`readSciXml`, one pass, named limits; `ERR_SCI_XML_INVALID`),
 *    which never expands anything and keeps the children of the root raw, so nothing below the second
 *    level is ever built into objects;
 * 4. the root named `TRANSACTION` or `RESPONSE` (`ERR_SCI_ROOT_INVALID`);
 * 5. no repeated child (`ERR_SCI_FIELD_DUPLICATE`: the relay and the device must not read different
 *    values of one field).
 */
import { ProtocolError } from '../errors';
import { SCI_MAX_DOCUMENT_BYTES_DEFAULT, SCI_ROOTS, type SciDocument, type SciRoot } from './document';
import { readSciXml } from './reader';
import { decodeSciContent } from './text';

/** Options of {@link parseSciDocument}. */
export interface SciParseOptions {
  /** Size cap in UTF-8 bytes; default {@link SCI_MAX_DOCUMENT_BYTES_DEFAULT}. */
  readonly maxBytes?: number;
}

/** `<!` opening anything but a comment or a CDATA section: a DTD or one of its declarations. */
const MARKUP_DECLARATION = /<!(?!--|\[CDATA\[)/;

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
  const raw = readSciXml(xml);
  const root = raw.root.toUpperCase();
  if (!(SCI_ROOTS as readonly string[]).includes(root)) throw new ProtocolError('ERR_SCI_ROOT_INVALID');
  const fields: Record<string, string> = {};
  for (const child of raw.children) {
    const name = child.name.toUpperCase();
    if (Object.hasOwn(fields, name)) throw new ProtocolError('ERR_SCI_FIELD_DUPLICATE');
    // The reader checked every reference and section: decoding only turns them into text.
    fields[name] = child.nested ? child.content.trim() : (decodeSciContent(child.content) ?? child.content.trim());
  }
  return { root: root as SciRoot, fields: Object.freeze(fields) };
}
