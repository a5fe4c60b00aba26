/**
 * `@pos-link/pos-sim`: the POS side of the POS Event Stream (DESIGN §6, seed 003) as a real TCP peer,
 * for tests, the standalone demo and benchmarks. CLI: `src/cli.ts` (`--help`).
 */
export {
  IntegratorValidator,
  OFFLINE_VALIDATION_WINDOW_MS,
  POS_REGISTER_NACK,
  type IntegratorCredentials,
  type IntegratorValidation,
  type IntegratorValidatorOptions,
} from './integrator-validator';
export {
  PosClient,
  POS_HANDSHAKE_TIMEOUT_MS_DEFAULT,
  type PosAnswer,
  type PosClientOptions,
  type PosHandshakeResult,
} from './pos-client';
export { PosStats, type PosStatsSnapshot } from './pos-stats';
export {
  PosTerminal,
  POS_RECONNECT_INTERVAL_MS_DEFAULT,
  POS_WINDOW_DEFAULT,
  type PosTerminalOptions,
} from './pos-terminal';
export { PosSimulator, type PosSimulatorOptions } from './pos-simulator';
export {
  runHandshakes,
  streamFrames,
  type PosHandshakeLoadOptions,
  type PosHandshakeLoadResult,
  type PosStreamResult,
} from './pos-load';
export {
  RsaKeyPool,
  freshKeyPairs,
  generatePosKeyPair,
  POS_RSA_MODULUS_BITS,
  type PosKeyPair,
  type PosKeySource,
} from './rsa-keys';
export { orderScenario, posEvent, type PosEvent } from './scenario';
