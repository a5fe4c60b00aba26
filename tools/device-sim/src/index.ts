/**
 * `@pos-link/device-sim`: a payment terminal that dials out to the gateway over WebSocket (`sci`), as
 * Verifone SCA does in its WebSocket mode (DESIGN §5, seed 002) — a real network peer for tests, the demo
 * and benchmarks. CLI: `src/cli.ts` (`--help`).
 */
export { DEFAULT_WAIT_MS, DeviceSim, startDeviceSim, type DeviceSimEvents, type HandledRequest } from './device-sim';
export {
  DEFAULT_HANDSHAKE_TIMEOUT_MS,
  DEFAULT_MAX_HANDLED,
  PINPAD_ID_HEADER,
  SCI_SUBPROTOCOL,
  type DeviceSimOptions,
  type DeviceTlsOptions,
} from './options';
export { DEFAULT_BACKOFF, backoffDelay, type BackoffOptions } from './backoff';
export { screenLine, type DeviceRetry, type DeviceStatus } from './device-status';
export { APPROVED_PAYMENT_COMMANDS, SciResponder, type RespondContext, type SciAnswer } from './sci-responder';
export { DEVICE_RESULT_CODES } from './sci-answers';
