import { ALE_ERROR_BODIES, GATEWAY_ERROR_BODIES } from '@pos-link/protocol';
import { GATEWAY_ERROR_CODES, type GatewayErrorCode } from './gateway-error-codes';
import { GatewayError, isGatewayError } from './gateway-error';
import { GATEWAY_OUTCOMES, WIRE_ANSWERS, wireAnswerOf } from './wire-answers';

const codes = Object.keys(GATEWAY_ERROR_CODES) as GatewayErrorCode[];

describe('WIRE_ANSWERS', () => {
  it('answers every registry code (the readiness-only code like a bug)', () => {
    for (const code of codes) expect(wireAnswerOf(code)).toBeDefined();
    expect(Object.keys(WIRE_ANSWERS).sort()).toEqual(codes.filter((c) => c !== 'ERR_GATEWAY_KEYS_NOT_LOADED').sort());
    expect(wireAnswerOf('ERR_GATEWAY_KEYS_NOT_LOADED')).toBe(WIRE_ANSWERS.ERR_GATEWAY_INTERNAL);
  });

  it.each([
    [1, ['SITE_UNADDRESSED', 'FINGERPRINT_MISSING', 'IV_MISSING', 'IV_INVALID', 'ALG_UNSUPPORTED', 'TIMESTAMP_INVALID', 'TIMESTAMP_MISSING', 'AUTHORIZATION_MISSING', 'BODY_MISSING']],
    [2, ['FINGERPRINT_UNKNOWN', 'DECRYPT_FAILED', 'PLAINTEXT_INVALID', 'TIMESTAMP_OUT_OF_WINDOW', 'REPLAYED']],
    [3, ['KEY_NOT_VALID', 'SITE_MISMATCH']],
  ] as const)('answers errorCode %i with the seed body, 400', (errorCode, names) => {
    for (const name of names) {
      const answer = WIRE_ANSWERS[`ERR_GATEWAY_${name}`];
      expect(answer).toMatchObject({ status: 400, body: ALE_ERROR_BODIES[errorCode], aleErrorCode: errorCode, spendsBudget: errorCode === 2 });
    }
  });

  it('answers the gateway failures with DESIGN §3 bodies, and a fail-closed 503 for the replay store', () => {
    expect(WIRE_ANSWERS.ERR_GATEWAY_BODY_TOO_LARGE).toMatchObject({ ...GATEWAY_ERROR_BODIES.payload_too_large, closeConnection: true });
    expect(WIRE_ANSWERS.ERR_GATEWAY_FAILURE_BUDGET_EXCEEDED).toMatchObject(GATEWAY_ERROR_BODIES.too_many_failures);
    expect(WIRE_ANSWERS.ERR_GATEWAY_UPSTREAM_UNAVAILABLE).toMatchObject(GATEWAY_ERROR_BODIES.upstream_unavailable);
    expect(WIRE_ANSWERS.ERR_GATEWAY_UPSTREAM_RESPONSE_TOO_LARGE).toMatchObject(GATEWAY_ERROR_BODIES.upstream_unavailable);
    expect(WIRE_ANSWERS.ERR_GATEWAY_UPSTREAM_TIMEOUT).toMatchObject(GATEWAY_ERROR_BODIES.upstream_timeout);
    expect(WIRE_ANSWERS.ERR_GATEWAY_REPLAY_STORE_UNAVAILABLE).toMatchObject({ status: 503, body: '{"error":"replay_store_unavailable"}' });
    expect(WIRE_ANSWERS.ERR_GATEWAY_INTERNAL).toMatchObject({ status: 500, body: '{"error":"internal_error"}' });
  });

  it('labels every answer with a bounded outcome; replays and stale timestamps as replay', () => {
    for (const answer of Object.values(WIRE_ANSWERS)) expect(GATEWAY_OUTCOMES).toContain(answer.outcome);
    expect(WIRE_ANSWERS.ERR_GATEWAY_REPLAYED.outcome).toBe('replay');
    expect(WIRE_ANSWERS.ERR_GATEWAY_TIMESTAMP_OUT_OF_WINDOW.outcome).toBe('replay');
  });
});

describe('GatewayError', () => {
  it('carries the code and the fixed message, and keeps the cause for logs', () => {
    const cause = new Error('ECONNREFUSED');
    const error = new GatewayError('ERR_GATEWAY_UPSTREAM_UNAVAILABLE', { cause });
    expect(error).toMatchObject({ name: 'GatewayError', code: 'ERR_GATEWAY_UPSTREAM_UNAVAILABLE', message: 'Kitchen unreachable', cause });
    expect(isGatewayError(error)).toBe(true);
    expect(isGatewayError(error, 'ERR_GATEWAY_UPSTREAM_TIMEOUT')).toBe(false);
    expect(isGatewayError(new Error('x'))).toBe(false);
  });
});
