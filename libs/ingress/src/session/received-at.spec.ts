import { receivedAtIso } from './received-at';

describe('receivedAtIso', () => {
  it('is new Date(ms).toISOString() (UTC, milliseconds), also for repeated and alternating values', () => {
    const values = [0, 1_700_000_000_123, 1_700_000_000_123, 1_700_000_000_124, 1_700_000_000_123, 253_402_300_799_999];
    for (const ms of values) expect(receivedAtIso(ms)).toBe(new Date(ms).toISOString());
    expect(receivedAtIso(1_700_000_000_123)).toBe('2023-11-14T22:13:20.123Z');
  });
});
