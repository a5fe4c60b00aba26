import { ALE_ERROR_BODIES, GATEWAY_ERROR_BODIES } from '@pos-link/protocol';
import { GATEWAY_ERROR_CODES, isAleHttpCode, isRelayCode, isWsCode, type GatewayErrorCode } from './gateway-error-codes';
import { GatewayError, isGatewayError } from './gateway-error';
import {
  GATEWAY_OUTCOMES,
  RELAY_REFUSALS,
  UNANSWERED_CODES,
  WIRE_ANSWERS,
  WS_CLOSES,
  WS_UPGRADE_REFUSALS,
  relayRefusalOf,
  upgradeRefusalOf,
  wireAnswerOf,
  wsCloseOf,
} from './wire-answers';

const codes = Object.keys(GATEWAY_ERROR_CODES) as GatewayErrorCode[];
const families = [isAleHttpCode, isWsCode, isRelayCode];

describe('GATEWAY_ERROR_CODES (the one registry)', () => {
  it('holds every code once: each in exactly one family, none defined twice across the sections', () => {
    // The registry spreads its three sections: a code defined in two would silently collapse into one key.
    for (const code of codes) expect([code, families.filter((isFamily) => isFamily(code)).length]).toEqual([code, 1]);
    for (const code of codes) expect(code).toMatch(/^ERR_GATEWAY_[A-Z0-9_]+$/);
  });

  it('names each family by its prefix (WS_ for the WebSocket, TERMINAL_/RELAY_ for the relay)', () => {
    for (const code of codes) {
      expect(isWsCode(code)).toBe(code.startsWith('ERR_GATEWAY_WS_'));
      expect(isRelayCode(code)).toBe(/^ERR_GATEWAY_(TERMINAL|RELAY)_/.test(code));
    }
    expect(isWsCode('ERR_GATEWAY_INTERNAL')).toBe(false);
    expect(isRelayCode('toString')).toBe(false);
  });

  it('gives every code exactly one wire mapping (HTTP answer, WebSocket close/refusal, relay refusal) or marks it unanswered', () => {
    const tables: Record<string, object> = { WIRE_ANSWERS, WS_CLOSES, RELAY_REFUSALS };
    for (const code of codes) {
      const mappedBy = Object.keys(tables).filter((name) => Object.hasOwn(tables[name] as object, code));
      if ((UNANSWERED_CODES as readonly string[]).includes(code)) mappedBy.push('UNANSWERED_CODES');
      expect([code, mappedBy.length]).toEqual([code, 1]);
    }
    // A WebSocket code without a close is either terminated (dead peer) or refused before the upgrade.
    for (const [code, close] of Object.entries(WS_CLOSES)) {
      if (close === undefined) expect(code === 'ERR_GATEWAY_WS_DEAD_PEER' || Object.hasOwn(WS_UPGRADE_REFUSALS, code)).toBe(true);
    }
    // And no table maps a code the registry does not hold.
    for (const table of Object.values(tables)) for (const code of Object.keys(table)) expect(codes).toContain(code);
    for (const code of [...Object.keys(WS_UPGRADE_REFUSALS), ...UNANSWERED_CODES]) expect(codes).toContain(code);
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

  it('is the one class for the WebSocket and relay codes too, with their fixed messages', () => {
    const ws = new GatewayError('ERR_GATEWAY_WS_SLOW_CONSUMER');
    expect(ws).toMatchObject({ name: 'GatewayError', code: 'ERR_GATEWAY_WS_SLOW_CONSUMER', message: 'Slow consumer' });
    expect(isGatewayError(ws, 'ERR_GATEWAY_WS_SLOW_CONSUMER')).toBe(true);
    expect(isGatewayError(ws, 'ERR_GATEWAY_WS_DEAD_PEER')).toBe(false);
    const relay = new GatewayError('ERR_GATEWAY_RELAY_MESSAGE_INVALID');
    expect(relay).toMatchObject({ code: 'ERR_GATEWAY_RELAY_MESSAGE_INVALID', message: 'Malformed relay message between replicas' });
    expect(isRelayCode(relay.code)).toBe(true);
  });
});

describe('WIRE_ANSWERS', () => {
  it('answers every ALE core and HTTP code (the readiness-only code like a bug)', () => {
    const aleHttp = codes.filter((code) => isAleHttpCode(code));
    for (const code of aleHttp) expect(wireAnswerOf(code)).toBeDefined();
    expect(Object.keys(WIRE_ANSWERS).sort()).toEqual(aleHttp.filter((c) => c !== 'ERR_GATEWAY_KEYS_NOT_LOADED').sort());
    expect(wireAnswerOf('ERR_GATEWAY_KEYS_NOT_LOADED')).toBe(WIRE_ANSWERS.ERR_GATEWAY_INTERNAL);
  });

  it('answers a WebSocket or relay code on an HTTP path like a bug', () => {
    expect(wireAnswerOf('ERR_GATEWAY_WS_SLOW_CONSUMER')).toBe(WIRE_ANSWERS.ERR_GATEWAY_INTERNAL);
    expect(wireAnswerOf('ERR_GATEWAY_RELAY_ALE_REQUIRED')).toBe(WIRE_ANSWERS.ERR_GATEWAY_INTERNAL);
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

  it('closes with the fixed reasons', () => {
    expect(wsCloseOf('ERR_GATEWAY_WS_NOT_AN_ENVELOPE')).toEqual({ code: 1007, reason: 'Not an ALE envelope' });
    expect(wsCloseOf('ERR_GATEWAY_WS_SLOW_CONSUMER')).toEqual({ code: 1013, reason: 'Slow consumer' });
    expect(wsCloseOf('ERR_GATEWAY_WS_SHUTTING_DOWN')).toEqual({ code: 1001, reason: 'Going away' });
    expect(wsCloseOf('ERR_GATEWAY_WS_NO_ENCRYPTION_KEY')).toEqual({ code: 1008, reason: 'Security credential mismatch' });
    expect(wsCloseOf('ERR_GATEWAY_INTERNAL')).toEqual({ code: 1011, reason: 'Internal error' });
  });

  it('every ALE cause of a refused message closes 1008 with ONE reason (no hint why)', () => {
    const aleCodes = (Object.keys(WIRE_ANSWERS) as (keyof typeof WIRE_ANSWERS)[]).filter((code) => WIRE_ANSWERS[code].aleErrorCode !== undefined);
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

  it('answers the WebSocket codes of the upgrade; any other WebSocket code is a bug (500)', () => {
    expect(upgradeRefusalOf('ERR_GATEWAY_WS_PATH_INVALID')).toEqual({ status: 400, body: ALE_ERROR_BODIES[1] });
    expect(upgradeRefusalOf('ERR_GATEWAY_WS_TOO_MANY_CONNECTIONS')).toEqual({ status: 429, body: '{"error":"too_many_connections"}' });
    expect(upgradeRefusalOf('ERR_GATEWAY_WS_SLOW_CONSUMER')).toEqual({ status: 500, body: '{"error":"internal_error"}' });
  });
});

describe('RELAY_REFUSALS / relayRefusalOf', () => {
  it.each([
    ['ERR_GATEWAY_TERMINAL_PINPAD_ID_INVALID', 400, 'pinpad_id_invalid'],
    ['ERR_GATEWAY_TERMINAL_PATH_UNKNOWN', 404, 'not_found'],
    ['ERR_GATEWAY_TERMINAL_TLS_REQUIRED', 403, 'terminal_tls_required'],
    ['ERR_GATEWAY_TERMINAL_CERT_INVALID', 401, 'client_certificate_required'],
    ['ERR_GATEWAY_TERMINAL_IDENTITY_MISMATCH', 403, 'terminal_identity_mismatch'],
    ['ERR_GATEWAY_TERMINAL_SITE_CONFLICT', 403, 'terminal_site_conflict'],
    ['ERR_GATEWAY_TERMINAL_UNMAPPED', 403, 'terminal_unmapped'],
    ['ERR_GATEWAY_RELAY_PINPAD_ID_INVALID', 404, 'not_found'],
    ['ERR_GATEWAY_RELAY_ALE_REQUIRED', 403, 'ale_required'],
  ] as const)('%s is refused %i {"error":"%s"}', (code, status, error) => {
    expect(relayRefusalOf(code)).toEqual({ status, body: JSON.stringify({ error }) });
    expect(RELAY_REFUSALS[code]).toBe(relayRefusalOf(code));
  });

  it('never answers a malformed message between replicas; should it reach an edge, it is a bug (500)', () => {
    expect(Object.hasOwn(RELAY_REFUSALS, 'ERR_GATEWAY_RELAY_MESSAGE_INVALID')).toBe(false);
    expect(relayRefusalOf('ERR_GATEWAY_RELAY_MESSAGE_INVALID')).toEqual({ status: 500, body: '{"error":"internal_error"}' });
  });
});
