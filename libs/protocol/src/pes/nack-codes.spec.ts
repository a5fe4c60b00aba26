import { PES_NACK_CODES, pesNackBody, type PesNackCode } from './nack-codes';

describe('PES_NACK_CODES', () => {
  it('lists DESIGN §6 codes 1–6, every one leaving the connection open', () => {
    expect(Object.values(PES_NACK_CODES).map((row) => [row.code, row.connectionStays])).toEqual([
      [1, true],
      [2, true],
      [3, true],
      [4, true],
      [5, true],
      [6, true],
    ]);
    expect(PES_NACK_CODES.ENVELOPE_INVALID.code).toBe(1);
    expect(PES_NACK_CODES.DECRYPT_FAILED.code).toBe(2);
    expect(PES_NACK_CODES.EVENT_INVALID.code).toBe(3);
    expect(PES_NACK_CODES.NOT_REGISTERED.code).toBe(4);
    expect(PES_NACK_CODES.STORE_UNAVAILABLE.code).toBe(5);
    expect(PES_NACK_CODES.MSG_ID_CONFLICT.code).toBe(6);
  });

  it('is deeply frozen', () => {
    expect(Object.isFrozen(PES_NACK_CODES)).toBe(true);
    for (const row of Object.values(PES_NACK_CODES)) expect(Object.isFrozen(row)).toBe(true);
  });
});

describe('pesNackBody', () => {
  it('serializes {"code":N,"message":"…"} exactly', () => {
    expect(pesNackBody(1)).toBe('{"code":1,"message":"Envelope invalid"}');
    expect(pesNackBody(2)).toBe('{"code":2,"message":"Unable to decrypt msg_data"}');
    expect(pesNackBody(3)).toBe('{"code":3,"message":"Event data invalid"}');
    expect(pesNackBody(4)).toBe('{"code":4,"message":"Client not registered"}');
    expect(pesNackBody(5)).toBe('{"code":5,"message":"Store unavailable, resend later"}');
    expect(pesNackBody(6)).toBe('{"code":6,"message":"msg_id already stored with different content"}');
  });

  it('refuses a code outside the table with TypeError', () => {
    expect(() => pesNackBody(0 as PesNackCode)).toThrow(TypeError);
    expect(() => pesNackBody(7 as PesNackCode)).toThrow(TypeError);
  });
});
