/**
 * The SCI reader: one pass over a document's text, an explicit state machine over XML's subset that SCI
 * uses (DESIGN §5, `docs/protocols/sci.md` §3). It checks well-formedness and finds the root and the raw
 * content of each of the root's children — nothing below the second level is ever built into objects, and
 * nothing is expanded.
 *
 * Why not a general XML parser: fast-xml-parser's validate-then-parse allocated ≈ 20 KiB per request and
 * ≈ 60 KiB per payment answer and took 40–80 µs of CPU for each (measured, Node 24; see
 * `docs/adr/2026-11-22-relay-latency.md`) — the relay's largest cost per request and most of its garbage.
 *
 * What it accepts (anything else is `ERR_SCI_XML_INVALID`):
 * - an optional byte order mark, then an optional XML declaration (`<?xml …?>`) at the very start;
 * - comments and whitespace around the root and between its children; no other processing instruction
 *   anywhere (SCI has no use for them);
 * - one root element with well-formed attributes; its content is whitespace, comments and child elements
 *   only (no text, no CDATA directly in the root);
 * - a child's content: text, references, CDATA sections, comments and nested elements, all well-formed;
 * - names of ASCII letters, digits, `_`, `-`, `.`, `:` (not starting with a digit, `-` or `.`); end tags
 *   that match exactly; only XML's five predefined entities and character references to XML characters
 *   (there is no DTD to declare others); no C0 control character but tab, CR and LF; no `]]>` in text.
 *
 * A markup declaration (`<!DOCTYPE`, `<!ENTITY`, …) is `ERR_SCI_DTD_FORBIDDEN` here too, although
 * `parseSciDocument` refuses it on the raw text before the reader runs.
 */
import { ProtocolError } from '../errors';

/** Nesting depth, the root being 1: SCI is flat; a line-item list inside a field needs 3–4. */
export const SCI_MAX_DEPTH = 32;

/** Children of the root: an SCA answer has a few dozen fields; this bounds the field table. */
export const SCI_MAX_FIELDS = 1_024;

/** Attributes on one element (SCI uses none; they are checked and ignored): bounds the repeat check. */
export const SCI_MAX_ATTRIBUTES = 32;

/** One child of the root as written. */
export interface SciRawChild {
  /** Its tag name as written. */
  readonly name: string;
  /** Its raw content between the start and end tag (untrimmed); '' for `<NAME/>`. */
  readonly content: string;
  /** Whether the content holds elements (a nested structure kept raw). */
  readonly nested: boolean;
}

/** A well-formed SCI document's outline. */
export interface SciRawDocument {
  /** The root's tag name as written. */
  readonly root: string;
  /** The root's children, in document order. */
  readonly children: readonly SciRawChild[];
}

/** Where the reader is (the states of the machine). */
const State = Object.freeze({
  /** Before the root: whitespace and comments (the declaration was handled at the start). */
  Prolog: 0,
  /** Inside the root, between its children: whitespace and comments. */
  RootContent: 1,
  /** Inside a child of the root (at any depth below it): character data and markup. */
  FieldContent: 2,
  /** After the root: whitespace and comments. */
  Epilog: 3,
} as const);
type State = (typeof State)[keyof typeof State];

const LT = 0x3c; // <
const GT = 0x3e; // >
const AMP = 0x26; // &
const SLASH = 0x2f; // /
const EQ = 0x3d; // =
const QUOTE = 0x22; // "
const APOS = 0x27; // '
const RSQB = 0x5d; // ]
const HASH = 0x23; // #
const BOM = 0xfeff;

const COMMENT_OPEN = '<!--';
const COMMENT_CLOSE = '-->';
const CDATA_OPEN = '<![CDATA[';
const CDATA_CLOSE = ']]>';
const PI_OPEN = '<?';
const PI_CLOSE = '?>';
const DECLARATION_OPEN = '<?xml';

/** The five predefined entities: no DTD exists, so no other entity name is legal. */
const PREDEFINED_ENTITIES: ReadonlySet<string> = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
/** Longest reference body between `&` and `;`: `#x10FFFF`, `#1114111`. */
const MAX_REFERENCE_LENGTH = 8;
const HEX_DIGITS = /^[0-9a-fA-F]{1,6}$/;
const DECIMAL_DIGITS = /^[0-9]{1,7}$/;

function invalid(): ProtocolError {
  return new ProtocolError('ERR_SCI_XML_INVALID');
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function isNameStart(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x3a;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e;
}

/** XML 1.0 `Char`, as a character reference may name it. */
function isXmlCodePoint(cp: number): boolean {
  return (
    cp === 0x9 || cp === 0xa || cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/**
 * A UTF-16 unit allowed in the text: not a C0 control but tab/LF/CR, not U+FFFE/U+FFFF. (Surrogates
 * pass: the text came from UTF-8 decoding, which never yields a lone one.)
 */
function isTextUnit(c: number): boolean {
  return c >= 0x20 ? c < 0xfffe : c === 0x09 || c === 0x0a || c === 0x0d;
}

/**
 * Reads one document. See the file header for the grammar.
 * @throws ProtocolError `ERR_SCI_XML_INVALID` | `ERR_SCI_DTD_FORBIDDEN`
 */
export function readSciXml(xml: string): SciRawDocument {
  return new SciReader(xml).read();
}

/** One pass over one document; single use. */
class SciReader {
  readonly #xml: string;
  readonly #end: number;
  #pos = 0;
  /** Name bounds of the open elements below the root's children, as [start, end] pairs. */
  readonly #open: number[] = [];
  /** End of the last name read and whether the last start tag closed itself. */
  #nameEnd = 0;
  #selfClosing = false;

  constructor(xml: string) {
    this.#xml = xml;
    this.#end = xml.length;
  }

  read(): SciRawDocument {
    const xml = this.#xml;
    let state: State = State.Prolog;
    let root: string | undefined;
    const children: SciRawChild[] = [];
    // The child of the root being read: its name, where its content starts, whether it holds elements.
    let childName = '';
    let contentStart = 0;
    let nested = false;

    if (xml.charCodeAt(0) === BOM) this.#pos = 1;
    this.#skipDeclaration();
    for (;;) {
      switch (state) {
        case State.Prolog:
        case State.RootContent:
        case State.Epilog: {
          this.#skipSpace();
          if (this.#pos >= this.#end) {
            if (state !== State.Epilog) throw invalid(); // no root, or the root never ends
            return { root: root as string, children };
          }
          if (xml.charCodeAt(this.#pos) !== LT) throw invalid(); // text outside an element
          if (this.#markup(false)) continue; // a comment
          const at = this.#pos;
          if (state === State.Epilog) throw invalid(); // a second root
          if (state === State.RootContent && xml.charCodeAt(at + 1) === SLASH) {
            this.#endTag(root as string);
            state = State.Epilog;
            continue;
          }
          const name = this.#startTag();
          if (state === State.Prolog) {
            root = name;
            state = this.#selfClosing ? State.Epilog : State.RootContent;
            continue;
          }
          if (children.length === SCI_MAX_FIELDS) throw invalid();
          if (this.#selfClosing) {
            children.push({ name, content: '', nested: false });
            continue;
          }
          childName = name;
          contentStart = this.#pos;
          nested = false;
          state = State.FieldContent;
          continue;
        }
        case State.FieldContent: {
          const lt = this.#characterData();
          if (this.#markup(true)) continue; // a comment or CDATA section
          if (xml.charCodeAt(lt + 1) === SLASH) {
            const open = this.#open;
            if (open.length === 0) {
              this.#endTag(childName);
              children.push({ name: childName, content: xml.slice(contentStart, lt), nested });
              state = State.RootContent;
            } else {
              const nameEnd = open.pop() as number;
              this.#endTagAt(open.pop() as number, nameEnd);
            }
            continue;
          }
          const start = this.#pos + 1;
          this.#startTag();
          nested = true;
          if (!this.#selfClosing) {
            // Root, the child of the root, then these: the depth counts them all.
            if (this.#open.length / 2 + 3 > SCI_MAX_DEPTH) throw invalid();
            this.#open.push(start, this.#nameEnd);
          }
          continue;
        }
      }
    }
  }

  /** An XML declaration at the very start (after a BOM): `<?xml`, then whitespace or `?>`. */
  #skipDeclaration(): void {
    const xml = this.#xml;
    if (!xml.startsWith(DECLARATION_OPEN, this.#pos)) return;
    const after = this.#pos + DECLARATION_OPEN.length;
    if (!isSpace(xml.charCodeAt(after)) && !xml.startsWith(PI_CLOSE, after)) return; // e.g. `<?xml-stylesheet`: refused later
    const close = xml.indexOf(PI_CLOSE, after);
    if (close === -1) throw invalid();
    this.#pos = close + PI_CLOSE.length;
  }

  #skipSpace(): void {
    const xml = this.#xml;
    while (this.#pos < this.#end && isSpace(xml.charCodeAt(this.#pos))) this.#pos++;
  }

  /**
   * At a `<`: skips a comment (anywhere) or a CDATA section (only inside a child: elsewhere it would be
   * text outside an element or directly in the root), refuses processing instructions and markup
   * declarations.
   * @returns true when something was skipped; false for a tag (the position is unchanged)
   */
  #markup(inChild: boolean): boolean {
    const xml = this.#xml;
    const at = this.#pos;
    const next = xml.charCodeAt(at + 1);
    if (next === 0x21 /* ! */) {
      if (xml.startsWith(COMMENT_OPEN, at)) {
        const close = xml.indexOf(COMMENT_CLOSE, at + COMMENT_OPEN.length);
        if (close === -1) throw invalid();
        this.#pos = close + COMMENT_CLOSE.length;
        return true;
      }
      if (xml.startsWith(CDATA_OPEN, at)) {
        if (!inChild) throw invalid();
        const close = xml.indexOf(CDATA_CLOSE, at + CDATA_OPEN.length);
        if (close === -1) throw invalid();
        this.#checkUnits(at + CDATA_OPEN.length, close);
        this.#pos = close + CDATA_CLOSE.length;
        return true;
      }
      throw new ProtocolError('ERR_SCI_DTD_FORBIDDEN');
    }
    if (xml.startsWith(PI_OPEN, at)) throw invalid();
    return false;
  }

  /**
   * Reads character data inside a child up to the next `<`, checking references, characters and `]]>`.
   * @returns the index of that `<` (the position is left on it)
   */
  #characterData(): number {
    const xml = this.#xml;
    let i = this.#pos;
    for (; i < this.#end; i++) {
      const c = xml.charCodeAt(i);
      if (c === LT) break;
      if (c === AMP) i = this.#reference(i);
      else if (c === RSQB && xml.startsWith(CDATA_CLOSE, i)) throw invalid();
      else if (!isTextUnit(c)) throw invalid();
    }
    if (i >= this.#end) throw invalid(); // the child never ends
    this.#pos = i;
    return i;
  }

  /** Checks the characters of a CDATA section (no references there: its text is taken as written). */
  #checkUnits(from: number, to: number): void {
    const xml = this.#xml;
    for (let i = from; i < to; i++) if (!isTextUnit(xml.charCodeAt(i))) throw invalid();
  }

  /**
   * Checks one reference starting at the `&` at `at`.
   * @returns the index of its `;`
   */
  #reference(at: number): number {
    const xml = this.#xml;
    const semi = xml.indexOf(';', at + 1);
    if (semi === -1 || semi - at - 1 > MAX_REFERENCE_LENGTH || semi === at + 1) throw invalid();
    if (xml.charCodeAt(at + 1) !== HASH) {
      if (!PREDEFINED_ENTITIES.has(xml.slice(at + 1, semi))) throw invalid(); // bare `&` or undeclared entity
      return semi;
    }
    const hex = xml.charCodeAt(at + 2) === 0x78; /* x */
    const digits = xml.slice(at + (hex ? 3 : 2), semi);
    if (!(hex ? HEX_DIGITS : DECIMAL_DIGITS).test(digits)) throw invalid();
    if (!isXmlCodePoint(parseInt(digits, hex ? 16 : 10))) throw invalid();
    return semi;
  }

  /** Reads a name at the position; sets {@link #nameEnd}. */
  #name(): void {
    const xml = this.#xml;
    let i = this.#pos;
    if (!isNameStart(xml.charCodeAt(i))) throw invalid();
    i++;
    while (i < this.#end && isNameChar(xml.charCodeAt(i))) i++;
    this.#nameEnd = i;
    this.#pos = i;
  }

  /**
   * Reads a start tag at its `<`: name, attributes (checked, ignored), `>` or `/>`.
   * @returns the element's name; sets {@link #selfClosing}
   */
  #startTag(): string {
    const xml = this.#xml;
    const nameStart = ++this.#pos;
    this.#name();
    const nameEnd = this.#nameEnd;
    let attributes: string[] | undefined;
    for (;;) {
      const hadSpace = isSpace(xml.charCodeAt(this.#pos));
      this.#skipSpace();
      const c = xml.charCodeAt(this.#pos);
      if (c === GT) {
        this.#pos++;
        this.#selfClosing = false;
        break;
      }
      if (c === SLASH) {
        if (xml.charCodeAt(this.#pos + 1) !== GT) throw invalid();
        this.#pos += 2;
        this.#selfClosing = true;
        break;
      }
      if (!hadSpace) throw invalid(); // attributes are separated by whitespace (also catches the end of text)
      const attrStart = this.#pos;
      this.#name();
      const attrName = xml.slice(attrStart, this.#nameEnd);
      attributes ??= [];
      if (attributes.includes(attrName) || attributes.length === SCI_MAX_ATTRIBUTES) throw invalid();
      attributes.push(attrName);
      this.#skipSpace();
      if (xml.charCodeAt(this.#pos) !== EQ) throw invalid();
      this.#pos++;
      this.#skipSpace();
      this.#attributeValue();
    }
    this.#nameEnd = nameEnd;
    return xml.slice(nameStart, nameEnd);
  }

  /** A quoted attribute value: no `<`, references checked. */
  #attributeValue(): void {
    const xml = this.#xml;
    const quote = xml.charCodeAt(this.#pos);
    if (quote !== QUOTE && quote !== APOS) throw invalid();
    let i = this.#pos + 1;
    for (; i < this.#end; i++) {
      const c = xml.charCodeAt(i);
      if (c === quote) break;
      if (c === LT) throw invalid();
      if (c === AMP) i = this.#reference(i);
      else if (!isTextUnit(c)) throw invalid();
    }
    if (i >= this.#end) throw invalid();
    this.#pos = i + 1;
  }

  /** Reads an end tag at its `<` that must close `name`. */
  #endTag(name: string): void {
    const start = this.#pos + 2;
    this.#pos = start;
    this.#name();
    if (this.#nameEnd - start !== name.length || !this.#xml.startsWith(name, start)) throw invalid();
    this.#closeEndTag();
  }

  /** Reads an end tag at its `<` that must close the element named at `[nameStart, nameEnd)`. */
  #endTagAt(nameStart: number, nameEnd: number): void {
    const xml = this.#xml;
    const start = this.#pos + 2;
    this.#pos = start;
    this.#name();
    const length = nameEnd - nameStart;
    if (this.#nameEnd - start !== length) throw invalid();
    for (let k = 0; k < length; k++) if (xml.charCodeAt(start + k) !== xml.charCodeAt(nameStart + k)) throw invalid();
    this.#closeEndTag();
  }

  #closeEndTag(): void {
    this.#skipSpace();
    if (this.#xml.charCodeAt(this.#pos) !== GT) throw invalid();
    this.#pos++;
  }
}
