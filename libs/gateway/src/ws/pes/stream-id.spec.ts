import { STREAM_START_ID, compareStreamIds, isStreamId, nextStreamId } from './stream-id';

describe('stream ids', () => {
  it('isStreamId accepts full <ms>-<seq> ids within 64 bits and nothing else', () => {
    for (const id of ['0-0', '1-0', '1526985054069-3', '18446744073709551615-18446744073709551615']) expect(isStreamId(id)).toBe(true);
    for (const id of ['0', '$', '', '-', '1-', '-1', '01-0', '1-01', '1.5-0', '18446744073709551616-0', ' 1-0', 7, null]) {
      expect(isStreamId(id)).toBe(false);
    }
  });

  it('compareStreamIds orders numerically by ms, then seq (not as text)', () => {
    expect(compareStreamIds('9-0', '10-0')).toBeLessThan(0);
    expect(compareStreamIds('10-2', '10-10')).toBeLessThan(0);
    expect(compareStreamIds('10-10', '10-2')).toBeGreaterThan(0);
    expect(compareStreamIds('5-5', '5-5')).toBe(0);
    expect(compareStreamIds(STREAM_START_ID, '0-1')).toBeLessThan(0);
    expect(() => compareStreamIds('x', '1-0')).toThrow(TypeError);
  });

  it('nextStreamId is the smallest id after the given one, carrying into ms at the seq limit', () => {
    expect(nextStreamId('0-0')).toBe('0-1');
    expect(nextStreamId('1526985054069-3')).toBe('1526985054069-4');
    expect(nextStreamId('7-18446744073709551615')).toBe('8-0');
    expect(nextStreamId('18446744073709551615-18446744073709551615')).toBeUndefined();
  });
});
