/**
 * `@pos-link/ale`: the ALE client for POS integrators (issue 4; DESIGN §3, §4; `docs/protocols/ale.md`) —
 * an HTTP client, a WebSocket client and one-shot helpers, built on `@pos-link/crypto` and
 * `@pos-link/protocol`. The CLI is `src/cli.ts` (`ale --help`); see README.md.
 */
export { AleClient, type AleClientOptions, type AleRequest, type AleResponse } from './ale-client';
export {
  AleWsClient,
  DEFAULT_NEXT_MESSAGE_MS,
  type AleWsClientEvents,
  type AleWsClientOptions,
  type AleWsMessageInfo,
} from './ale-ws-client';
export {
  DEFAULT_ALE_SUITE,
  decryptAle,
  encryptAle,
  type AleKeyInput,
  type AleSealed,
  type DecryptAleOptions,
  type EncryptAleOptions,
} from './one-shot';
export { AleClientKeys, type AleKeyValues } from './client-keys';
export { fetchPortalKeys, type PortalKeys, type PortalKeysOptions } from './portal-keys';
export {
  ALE_CLIENT_ERROR_CODES,
  AleClientError,
  isAleClientError,
  type AleClientErrorCode,
  type AleClientErrorDetails,
} from './errors';
