import { ALE_ERROR_BODIES, ALE_ERROR_CODES, ALE_ERROR_CONTENT_TYPE, ALE_ERROR_STATUS, GATEWAY_ERROR_BODIES } from './error-bodies';

describe('ALE_ERROR_BODIES', () => {
  it('are the exact seed 000 bodies (DESIGN §3)', () => {
    expect(ALE_ERROR_BODIES[1]).toBe('{"errorCode":1,"message":"Incorrect security headers"}');
    expect(ALE_ERROR_BODIES[2]).toBe('{"errorCode":2,"message":"Unable to decrypt payload"}');
    expect(ALE_ERROR_BODIES[3]).toBe('{"errorCode":3,"message":"Security credential mismatch"}');
    expect(ALE_ERROR_STATUS).toBe(400);
    expect(ALE_ERROR_CONTENT_TYPE).toBe('application/json');
    expect(Object.isFrozen(ALE_ERROR_BODIES)).toBe(true);
  });

  it('are keyed by the named codes', () => {
    expect(JSON.parse(ALE_ERROR_BODIES[ALE_ERROR_CODES.INCORRECT_SECURITY_HEADERS]).errorCode).toBe(1);
    expect(JSON.parse(ALE_ERROR_BODIES[ALE_ERROR_CODES.UNABLE_TO_DECRYPT]).errorCode).toBe(2);
    expect(JSON.parse(ALE_ERROR_BODIES[ALE_ERROR_CODES.CREDENTIAL_MISMATCH]).errorCode).toBe(3);
  });
});

describe('GATEWAY_ERROR_BODIES', () => {
  it('are the gateway failures of DESIGN §3 with their statuses', () => {
    expect({ ...GATEWAY_ERROR_BODIES }).toEqual({
      upstream_unavailable: { status: 502, body: '{"error":"upstream_unavailable"}' },
      upstream_timeout: { status: 504, body: '{"error":"upstream_timeout"}' },
      payload_too_large: { status: 413, body: '{"error":"payload_too_large"}' },
      too_many_failures: { status: 429, body: '{"error":"too_many_failures"}' },
    });
    expect(Object.isFrozen(GATEWAY_ERROR_BODIES.upstream_timeout)).toBe(true);
  });
});
