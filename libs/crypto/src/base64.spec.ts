import fc from 'fast-check';
import { decodeBase64Text } from './base64';

/** The obvious, slow definition the fast decoder must agree with. */
function reference(text: string, whitespace: 'ignore' | 'refuse'): Buffer | undefined {
  const body = whitespace === 'ignore' ? text.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '') : text;
  const match = /^(?:([A-Za-z0-9+/]*)|([A-Za-z0-9_-]*))(={0,2})$/.exec(body);
  if (match === null) return undefined;
  const data = match[1] ?? match[2] ?? '';
  const padding = match[3] ?? '';
  if (data.length % 4 === 1) return undefined;
  if (padding.length > 0 && body.length % 4 !== 0) return undefined;
  return Buffer.from(data, 'base64');
}

/** Text biased towards the edge cases: both alphabets, padding, whitespace, look-alikes. */
const edgyText = fc
  .array(
    fc.oneof(
      fc.constantFrom('A', 'b', '0', '9', '+', '/', '-', '_', '=', ' ', '\n', '\t', '\r', '*', '.', '\u0144', '\u00e9', '\u00a0', '\0'),
      fc.string({ maxLength: 3 }),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

describe('decodeBase64Text', () => {
  it.each(['ignore', 'refuse'] as const)('agrees with the regular-expression reference (whitespace %s)', (mode) => {
    fc.assert(
      fc.property(edgyText, (text) => {
        expect(decodeBase64Text(text, mode)).toEqual(reference(text, mode));
      }),
      { numRuns: 5000 },
    );
  });

  it('decodes every encoding of random bytes, both alphabets, with and without padding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const buf = Buffer.from(bytes);
        for (const text of [buf.toString('base64'), buf.toString('base64url'), buf.toString('base64').replace(/=+$/, '')]) {
          expect(decodeBase64Text(text, 'refuse')).toEqual(buf);
          expect(decodeBase64Text(`\r\n ${text}\t`, 'ignore')).toEqual(buf);
        }
      }),
    );
  });

  it.each([
    ['QUJD', '414243'],
    ['QUI=', '4142'],
    ['QUI', '4142'],
    ['QQ==', '41'],
    ['', ''],
  ])('reads %j as %s', (text, hex) => {
    expect(decodeBase64Text(text, 'refuse')?.toString('hex')).toBe(hex);
  });

  it.each(['QUJDR', 'QQ=', 'QQ===', 'Q===', '=', 'QU=I', 'QUJ\u0144', ' QUJD', 'QU+_'])('refuses %j', (text) => {
    expect(decodeBase64Text(text, 'refuse')).toBeUndefined();
  });
});
