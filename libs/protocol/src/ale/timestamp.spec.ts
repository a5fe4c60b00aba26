import { ProtocolError } from '../errors';
import { isAleTimestamp, parseAleTimestamp } from './timestamp';

describe('parseAleTimestamp', () => {
  it.each([
    ['1767225600001', 1767225600001],
    ['0', 0],
    ['0001', 1],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
  ])('reads %s', (text, expected) => {
    expect(parseAleTimestamp(text)).toBe(expected);
    expect(isAleTimestamp(text)).toBe(true);
  });

  it.each(['', ' 1', '1 ', '-1', '+1', '1.5', '1e3', '0x10', '١٢', '9007199254740992', '12345678901234567'])(
    'refuses %j with ERR_ALE_TIMESTAMP_INVALID',
    (text) => {
      expect(() => parseAleTimestamp(text)).toThrow(ProtocolError);
      try {
        parseAleTimestamp(text);
      } catch (error) {
        expect((error as ProtocolError).code).toBe('ERR_ALE_TIMESTAMP_INVALID');
      }
    },
  );

  it('refuses a non-string with ERR_ALE_TIMESTAMP_INVALID', () => {
    expect(() => parseAleTimestamp(1 as unknown as string)).toThrow(expect.objectContaining({ code: 'ERR_ALE_TIMESTAMP_INVALID' }));
  });
});
