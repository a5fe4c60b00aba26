/**
 * Writing SCI XML (DESIGN §5, seed 002): `<ROOT><NAME>text</NAME>…</ROOT>` — upper-case tags, escaped
 * text, compact, and no XML declaration (the seed's documents have none; terminals are sent exactly
 * this shape). For flat documents only: a value is always escaped text, never raw markup.
 */
import { SCI_ROOTS, type SciRoot } from './document';
import { escapeSciText } from './text';

/** An XML name SCI uses: letters, digits, `_`, `-`, `.`, not starting with a digit, `-` or `.`. */
const SCI_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * Builds a document from its fields, in insertion order; tag names are upper-cased.
 * @throws TypeError for an unknown root, a name that is not an XML name, a value that is not a
 *   string or finite number, or two names equal once upper-cased (programmer errors)
 */
export function buildSciXml(root: SciRoot, fields: Readonly<Record<string, string | number>>): string {
  if (!(SCI_ROOTS as readonly string[]).includes(root)) throw new TypeError(`SCI root must be one of ${SCI_ROOTS.join(', ')}`);
  const seen = new Set<string>();
  let xml = `<${root}>`;
  for (const [name, value] of Object.entries(fields)) {
    if (!SCI_NAME.test(name)) throw new TypeError(`invalid SCI field name ${JSON.stringify(name)}`);
    const tag = name.toUpperCase();
    if (seen.has(tag)) throw new TypeError(`duplicate SCI field ${tag}`);
    seen.add(tag);
    if (typeof value === 'number' ? !Number.isFinite(value) : typeof value !== 'string') {
      throw new TypeError(`SCI field ${tag} must be a string or a finite number`);
    }
    xml += `<${tag}>${escapeSciText(String(value))}</${tag}>`;
  }
  return `${xml}</${root}>`;
}
