import { isValidPinpadId, parseTerminalSites } from './terminal-sites';

describe('parseTerminalSites', () => {
  it('reads pinpadId=siteId items into a map', () => {
    expect([...parseTerminalSites(['1=42', 'T-2=store.b'])]).toEqual([
      ['1', '42'],
      ['T-2', 'store.b'],
    ]);
  });

  it.each([
    ['an item without "="', ['1']],
    ['an empty pinpad id', ['=42']],
    ['a site id with a slash', ['1=a/b']],
    ['a pinpad id with a brace', ['{1}=42']],
  ])('refuses %s with a TypeError naming TERMINAL_SITES', (_name, items) => {
    expect(() => parseTerminalSites(items)).toThrow(/^TERMINAL_SITES: /);
  });

  it('refuses a pinpad listed twice', () => {
    expect(() => parseTerminalSites(['1=a', '1=b'])).toThrow('TERMINAL_SITES: pinpad 1 is listed twice');
  });
});

describe('isValidPinpadId', () => {
  it('accepts 1–128 visible ASCII characters without braces', () => {
    expect(isValidPinpadId('1')).toBe(true);
    expect(isValidPinpadId('x'.repeat(128))).toBe(true);
    expect(isValidPinpadId('x'.repeat(129))).toBe(false);
    expect(isValidPinpadId('a b')).toBe(false);
    expect(isValidPinpadId('a}')).toBe(false);
    expect(isValidPinpadId('1, 2')).toBe(false); // a repeated header, joined by Node
    expect(isValidPinpadId(undefined)).toBe(false);
  });
});
