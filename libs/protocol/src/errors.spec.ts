import { PROTOCOL_ERROR_CODES, PesEnvelopeError, ProtocolError, isProtocolError, type ProtocolErrorCode } from './errors';

describe('PROTOCOL_ERROR_CODES', () => {
  it('is frozen and every code is ERR_<AREA>_… with a description', () => {
    expect(Object.isFrozen(PROTOCOL_ERROR_CODES)).toBe(true);
    for (const [code, description] of Object.entries(PROTOCOL_ERROR_CODES)) {
      expect(code).toMatch(/^ERR_(PES|ALE|SCI)_[A-Z_]+$/);
      expect(description.length).toBeGreaterThan(10);
    }
  });
});

describe('ProtocolError', () => {
  it('carries the code and the registry description as message', () => {
    const error = new ProtocolError('ERR_PES_FRAME_TOO_LARGE');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ProtocolError');
    expect(error.code).toBe('ERR_PES_FRAME_TOO_LARGE');
    expect(error.message).toBe(PROTOCOL_ERROR_CODES.ERR_PES_FRAME_TOO_LARGE);
  });

  it('isProtocolError narrows by class and optionally by code', () => {
    const error = new ProtocolError('ERR_SCI_XML_INVALID');
    expect(isProtocolError(error)).toBe(true);
    expect(isProtocolError(error, 'ERR_SCI_XML_INVALID')).toBe(true);
    expect(isProtocolError(error, 'ERR_SCI_TOO_LARGE' as ProtocolErrorCode)).toBe(false);
    expect(isProtocolError(new Error('x'))).toBe(false);
    expect(isProtocolError({ code: 'ERR_SCI_XML_INVALID' })).toBe(false);
  });
});

describe('PesEnvelopeError', () => {
  it('is an ERR_PES_ENVELOPE_INVALID ProtocolError carrying what a nack echoes', () => {
    const error = new PesEnvelopeError('m-1', undefined, ['source: isString']);
    expect(isProtocolError(error, 'ERR_PES_ENVELOPE_INVALID')).toBe(true);
    expect(error.msgId).toBe('m-1');
    expect(error.msgType).toBeUndefined();
    expect(error.violations).toEqual(['source: isString']);
    expect(Object.isFrozen(error.violations)).toBe(true);
  });
});
