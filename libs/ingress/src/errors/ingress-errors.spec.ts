import { PES_NACK_CODES } from '@pos-link/protocol';
import { INGRESS_ERRORS, IngressError, PesStoreUnavailableError, ingressCodeOfProtocolError, ingressWireAnswer, isIngressError, type IngressErrorCode } from './ingress-errors';

describe('INGRESS_ERRORS (the one code → wire answer mapping)', () => {
  it('maps the DESIGN §6 nack table', () => {
    const nacks = Object.fromEntries(
      (Object.keys(INGRESS_ERRORS) as IngressErrorCode[])
        .map((code) => [code, ingressWireAnswer(code)] as const)
        .filter(([, answer]) => answer.kind === 'nack')
        .map(([code, answer]) => [code, answer.kind === 'nack' ? answer.code : 0]),
    );
    expect(nacks).toEqual({
      ERR_INGRESS_ENVELOPE_INVALID: PES_NACK_CODES.ENVELOPE_INVALID.code,
      ERR_INGRESS_DECRYPT_FAILED: PES_NACK_CODES.DECRYPT_FAILED.code,
      ERR_INGRESS_EVENT_INVALID: PES_NACK_CODES.EVENT_INVALID.code,
      ERR_INGRESS_NOT_REGISTERED: PES_NACK_CODES.NOT_REGISTERED.code,
      ERR_INGRESS_STORE_UNAVAILABLE: PES_NACK_CODES.STORE_UNAVAILABLE.code,
      ERR_INGRESS_MSG_ID_CONFLICT: PES_NACK_CODES.MSG_ID_CONFLICT.code,
    });
  });

  it.each([
    'ERR_INGRESS_FRAME_TOO_LARGE',
    'ERR_INGRESS_FRAME_EMPTY',
    'ERR_INGRESS_FRAME_NOT_JSON',
    'ERR_INGRESS_FRAME_NO_MSG_ID',
    'ERR_INGRESS_BEFORE_INIT',
    'ERR_INGRESS_RSA_KEY_INVALID',
    'ERR_INGRESS_RSA_KEY_TOO_SMALL',
    'ERR_INGRESS_REGISTER_REJECTED',
    'ERR_INGRESS_HANDSHAKE_TIMEOUT',
  ] as const)('closes on %s (DESIGN §6 "what cannot be answered is closed")', (code) => {
    expect(ingressWireAnswer(code)).toEqual({ kind: 'close' });
  });

  it('translates the protocol codes met on a PES connection', () => {
    expect(ingressCodeOfProtocolError('ERR_PES_FRAME_TOO_LARGE')).toBe('ERR_INGRESS_FRAME_TOO_LARGE');
    expect(ingressCodeOfProtocolError('ERR_PES_FRAME_EMPTY')).toBe('ERR_INGRESS_FRAME_EMPTY');
    expect(ingressCodeOfProtocolError('ERR_PES_NOT_JSON')).toBe('ERR_INGRESS_FRAME_NOT_JSON');
    expect(ingressCodeOfProtocolError('ERR_PES_NO_MSG_ID')).toBe('ERR_INGRESS_FRAME_NO_MSG_ID');
    expect(ingressCodeOfProtocolError('ERR_PES_ENVELOPE_INVALID')).toBe('ERR_INGRESS_ENVELOPE_INVALID');
  });

  it('IngressError carries the code and the fixed message; the cause stays out of the message', () => {
    const error = new PesStoreUnavailableError({ cause: new Error('ECONNREFUSED 10.0.0.1:6379') });
    expect(error).toBeInstanceOf(IngressError);
    expect(error.code).toBe('ERR_INGRESS_STORE_UNAVAILABLE');
    expect(error.message).toBe('Event store unavailable; nothing was stored');
    expect(isIngressError(error, 'ERR_INGRESS_STORE_UNAVAILABLE')).toBe(true);
    expect(isIngressError(new Error('x'))).toBe(false);
  });
});
