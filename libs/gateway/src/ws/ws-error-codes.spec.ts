import { ALE_ERROR_BODIES } from '@pos-link/protocol';
import { GATEWAY_ERROR_CODES, type GatewayErrorCode } from '../errors/gateway-error-codes';
import { WIRE_ANSWERS } from '../errors/wire-answers';
import { WS_ERROR_CODES, WsError, isWsError, upgradeRefusalOf, wsCloseOf, type WsErrorCode } from './ws-error-codes';

describe('WS error codes', () => {
  it('extend the gateway namespace without reusing one of its codes', () => {
    for (const code of Object.keys(WS_ERROR_CODES)) {
      expect(code).toMatch(/^ERR_GATEWAY_WS_[A-Z_]+$/);
      expect(Object.hasOwn(GATEWAY_ERROR_CODES, code)).toBe(false);
    }
  });

  it('WsError carries its code and fixed message', () => {
    const error = new WsError('ERR_GATEWAY_WS_SLOW_CONSUMER');
    expect(error).toMatchObject({ code: 'ERR_GATEWAY_WS_SLOW_CONSUMER', message: 'Slow consumer', name: 'WsError' });
    expect(isWsError(error, 'ERR_GATEWAY_WS_SLOW_CONSUMER')).toBe(true);
    expect(isWsError(error, 'ERR_GATEWAY_WS_DEAD_PEER')).toBe(false);
    expect(isWsError(new Error('x'))).toBe(false);
  });
});

describe('wsCloseOf (the close-code table of docs/specs/gateway-ws.md)', () => {
  it.each([
    ['ERR_GATEWAY_WS_NOT_AN_ENVELOPE', 1007],
    ['ERR_GATEWAY_WS_BINARY_FRAME', 1003],
    ['ERR_GATEWAY_WS_MESSAGE_TOO_LARGE', 1009],
    ['ERR_GATEWAY_WS_SLOW_CONSUMER', 1013],
    ['ERR_GATEWAY_WS_SHUTTING_DOWN', 1001],
    ['ERR_GATEWAY_WS_NO_ENCRYPTION_KEY', 1008],
    ['ERR_GATEWAY_REPLAY_STORE_UNAVAILABLE', 1011],
    ['ERR_GATEWAY_INTERNAL', 1011],
  ] as const)('%s closes %i', (code, close) => {
    expect(wsCloseOf(code)?.code).toBe(close);
  });

  it('every ALE cause of a refused message closes 1008 with ONE reason (no hint why)', () => {
    const aleCodes = (Object.keys(WIRE_ANSWERS) as GatewayErrorCode[]).filter((code) => WIRE_ANSWERS[code as keyof typeof WIRE_ANSWERS].aleErrorCode !== undefined);
    expect(aleCodes.length).toBeGreaterThan(10);
    for (const code of [...aleCodes, 'ERR_GATEWAY_FAILURE_BUDGET_EXCEEDED' as const]) {
      expect(wsCloseOf(code)).toEqual({ code: 1008, reason: 'Unable to decrypt payload' });
    }
  });

  it('a dead peer is terminated (no close frame)', () => {
    expect(wsCloseOf('ERR_GATEWAY_WS_DEAD_PEER')).toBeUndefined();
  });
});

describe('upgradeRefusalOf', () => {
  it('answers the ALE core codes exactly as HTTP does, before the upgrade', () => {
    expect(upgradeRefusalOf('ERR_GATEWAY_IV_INVALID')).toEqual({ status: 400, body: ALE_ERROR_BODIES[1] });
    expect(upgradeRefusalOf('ERR_GATEWAY_FINGERPRINT_UNKNOWN')).toEqual({ status: 400, body: ALE_ERROR_BODIES[2] });
    expect(upgradeRefusalOf('ERR_GATEWAY_KEY_NOT_VALID')).toEqual({ status: 400, body: ALE_ERROR_BODIES[3] });
    expect(upgradeRefusalOf('ERR_GATEWAY_FAILURE_BUDGET_EXCEEDED')).toEqual({ status: 429, body: '{"error":"too_many_failures"}' });
  });

  it('answers the WebSocket codes of the upgrade', () => {
    expect(upgradeRefusalOf('ERR_GATEWAY_WS_PATH_INVALID')).toEqual({ status: 400, body: ALE_ERROR_BODIES[1] });
    expect(upgradeRefusalOf('ERR_GATEWAY_WS_TOO_MANY_CONNECTIONS')).toEqual({ status: 429, body: '{"error":"too_many_connections"}' });
    const other: WsErrorCode = 'ERR_GATEWAY_WS_SLOW_CONSUMER';
    expect(upgradeRefusalOf(other).status).toBe(500);
  });
});
