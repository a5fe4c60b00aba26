import { ALE_WS_CLOSE_CODES } from './ws-close-codes';

describe('ALE_WS_CLOSE_CODES', () => {
  it('maps each DESIGN §4 close cause to its code, with reasons that fit a close frame', () => {
    expect(Object.fromEntries(Object.entries(ALE_WS_CLOSE_CODES).map(([name, c]) => [name, c.code]))).toEqual({
      DECRYPT_FAILED: 1008,
      NOT_AN_ENVELOPE: 1007,
      BINARY_FRAME: 1003,
      TOO_LARGE: 1009,
      SLOW_CONSUMER: 1013,
      GOING_AWAY: 1001,
    });
    expect(ALE_WS_CLOSE_CODES.DECRYPT_FAILED.reason).toBe('Unable to decrypt payload');
    for (const close of Object.values(ALE_WS_CLOSE_CODES)) expect(Buffer.byteLength(close.reason)).toBeLessThanOrEqual(123);
  });
});
