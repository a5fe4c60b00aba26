import { isWellFormedUtf8 } from './index';

describe('isWellFormedUtf8', () => {
  it.each([
    ['ASCII JSON', '7b2261223a317d'],
    ['the empty string', ''],
    ['two-, three- and four-byte characters', Buffer.from('é€😀').toString('hex')],
  ])('accepts %s', (_name, hex) => {
    expect(isWellFormedUtf8(Buffer.from(hex, 'hex'))).toBe(true);
  });

  it.each([
    ['a lone continuation byte', '80'],
    ['a truncated sequence', 'e282'],
    ['an overlong encoding of "/"', 'c0af'],
    ['an encoded surrogate', 'eda080'],
    ['a code point above U+10FFFF', 'f4908080'],
    ['CBC garbage with lucky padding', 'd3a1f00c9e01'],
  ])('refuses %s', (_name, hex) => {
    expect(isWellFormedUtf8(Buffer.from(hex, 'hex'))).toBe(false);
  });

  it('throws TypeError for text', () => {
    expect(() => isWellFormedUtf8('abc' as unknown as Buffer)).toThrow(TypeError);
  });
});
