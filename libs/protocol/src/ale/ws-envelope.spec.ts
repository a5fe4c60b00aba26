import fc from 'fast-check';
import { isProtocolError } from '../errors';
import { buildAleWsEnvelope, parseAleWsEnvelope } from './ws-envelope';

const BASE = { iv: 'nkaVcqRaTmVWOy0m', fingerprint: 'b6e4b70983144e192bd7eea24c698f54', message: 'ykg0PR8v' };

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isProtocolError(error) ? error.code : `not a ProtocolError: ${String(error)}`;
  }
  return undefined;
}

describe('parseAleWsEnvelope', () => {
  it('reads the seed 000 message shape without ts', () => {
    expect(parseAleWsEnvelope(JSON.stringify(BASE))).toEqual(BASE);
    expect('ts' in parseAleWsEnvelope(JSON.stringify(BASE))).toBe(false);
  });

  it('normalizes ts to decimal text, keeping a string exactly as sent', () => {
    expect(parseAleWsEnvelope(JSON.stringify({ ...BASE, ts: 1767225600001 })).ts).toBe('1767225600001');
    expect(parseAleWsEnvelope(JSON.stringify({ ...BASE, ts: '1767225600001' })).ts).toBe('1767225600001');
    expect(parseAleWsEnvelope(JSON.stringify({ ...BASE, ts: '01' })).ts).toBe('01');
    expect(parseAleWsEnvelope(JSON.stringify({ ...BASE, ts: null })).ts).toBeUndefined();
  });

  it('ignores unknown fields', () => {
    expect(parseAleWsEnvelope(JSON.stringify({ ...BASE, extra: 1 }))).toEqual(BASE);
  });

  it.each([
    ['not JSON', 'isAlive?'],
    ['an array', JSON.stringify([BASE])],
    ['null', 'null'],
    ['iv missing', JSON.stringify({ ...BASE, iv: undefined })],
    ['fingerprint a number', JSON.stringify({ ...BASE, fingerprint: 1 })],
    ['message empty', JSON.stringify({ ...BASE, message: '' })],
    ['ts fractional', JSON.stringify({ ...BASE, ts: 1.5 })],
    ['ts negative', JSON.stringify({ ...BASE, ts: -1 })],
    ['ts not digits', JSON.stringify({ ...BASE, ts: '17e11' })],
    ['ts a boolean', JSON.stringify({ ...BASE, ts: true })],
  ])('refuses %s with ERR_ALE_WS_ENVELOPE_INVALID', (_name, text) => {
    expect(codeOf(() => parseAleWsEnvelope(text))).toBe('ERR_ALE_WS_ENVELOPE_INVALID');
  });

  it('throws nothing but ProtocolError for any text (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        const code = codeOf(() => parseAleWsEnvelope(text));
        expect(code === undefined || code === 'ERR_ALE_WS_ENVELOPE_INVALID').toBe(true);
      }),
    );
  });

  it('refuses a Buffer with TypeError (decode the frame first)', () => {
    expect(() => parseAleWsEnvelope(Buffer.from('{}') as unknown as string)).toThrow(TypeError);
  });
});

describe('buildAleWsEnvelope', () => {
  it('writes iv, fingerprint, message and ts as a string, and round-trips', () => {
    const text = buildAleWsEnvelope({ ...BASE, ts: 1767225600001 });
    expect(text).toBe(`{"iv":"${BASE.iv}","fingerprint":"${BASE.fingerprint}","message":"${BASE.message}","ts":"1767225600001"}`);
    expect(parseAleWsEnvelope(text)).toEqual({ ...BASE, ts: '1767225600001' });
    expect(buildAleWsEnvelope(BASE)).toBe(JSON.stringify(BASE));
  });

  it('refuses missing fields or a bad ts with TypeError', () => {
    expect(() => buildAleWsEnvelope({ ...BASE, iv: '' })).toThrow(TypeError);
    expect(() => buildAleWsEnvelope({ ...BASE, ts: 'soon' })).toThrow(TypeError);
  });
});
