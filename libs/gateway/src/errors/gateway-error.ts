import { GATEWAY_ERROR_CODES, type GatewayErrorCode } from './gateway-error-codes';

/**
 * A failure caused by untrusted input or a failing dependency (STYLE 4) — on HTTP, the WebSocket or the
 * terminal relay alike. Branch on `code` (its family by `isWsCode` / `isRelayCode`), never on `message`
 * (fixed per code, never carrying input or secrets). `cause` may hold the underlying error (an undici or
 * Redis error) for logs; it never holds key material.
 */
export class GatewayError extends Error {
  /** The stable code. */
  readonly code: GatewayErrorCode;

  /**
   * @param code the registry code
   * @param options `cause`: the underlying error, for logs only
   */
  constructor(code: GatewayErrorCode, options?: { cause?: unknown }) {
    super(GATEWAY_ERROR_CODES[code], options);
    this.name = 'GatewayError';
    this.code = code;
  }
}

/** True when `error` is a {@link GatewayError} (with this `code`, when given). */
export function isGatewayError(error: unknown, code?: GatewayErrorCode): error is GatewayError {
  return error instanceof GatewayError && (code === undefined || error.code === code);
}
