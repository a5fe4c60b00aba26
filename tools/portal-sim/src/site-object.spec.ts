import { seedStyleTimestamp } from './site-object';

describe('seedStyleTimestamp', () => {
  it('writes the seed 001 form: three-digit seconds, no fraction', () => {
    expect(seedStyleTimestamp(Date.UTC(2024, 5, 11))).toBe('2024-06-11T00:00:000Z');
    expect(seedStyleTimestamp(Date.UTC(2024, 5, 11, 13, 45, 59, 999))).toBe('2024-06-11T13:45:059Z');
  });
});
