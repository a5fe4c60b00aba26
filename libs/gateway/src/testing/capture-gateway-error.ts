import { GatewayError } from '../errors/gateway-error';
import type { GatewayErrorCode } from '../errors/gateway-error-codes';

/** Runs `fn` (sync or async) and returns the `code` of the `GatewayError` it throws; fails otherwise. */
export async function gatewayErrorCode(fn: () => unknown): Promise<GatewayErrorCode> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof GatewayError) return error.code;
    throw error;
  }
  throw new Error('expected a GatewayError, but nothing was thrown');
}
