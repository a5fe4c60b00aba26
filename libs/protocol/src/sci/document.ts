/**
 * SCI XML documents (DESIGN §5, seed 002): one `<TRANSACTION>` (POS → terminal) or `<RESPONSE>`
 * (terminal → POS) per WebSocket text message, a flat list of upper-case child elements, no header,
 * no XML declaration required.
 */

/** The two document roots. */
export const SCI_ROOTS = Object.freeze(['TRANSACTION', 'RESPONSE'] as const);

/** `TRANSACTION` or `RESPONSE`. */
export type SciRoot = (typeof SCI_ROOTS)[number];

/**
 * A parsed SCI document.
 *
 * `fields` maps each child element's upper-cased tag name to its text: references decoded, CDATA
 * kept literally, comments dropped, surrounding whitespace trimmed. A child that holds elements
 * itself (e.g. a line-item list) keeps its raw inner XML, trimmed and not decoded, as its value —
 * the relay forwards documents verbatim and only classifies by the flat fields.
 * Attributes are ignored (SCI does not use them).
 */
export interface SciDocument {
  /** The root element, upper-cased. */
  readonly root: SciRoot;
  /** Child elements by upper-cased tag name. */
  readonly fields: Readonly<Record<string, string>>;
}

/**
 * Default cap on one SCI document (64 KiB): SCI requests and responses are a few hundred bytes;
 * receipts and line-item lists stay far below this. Checked before anything is parsed.
 */
export const SCI_MAX_DOCUMENT_BYTES_DEFAULT = 64 * 1024;
