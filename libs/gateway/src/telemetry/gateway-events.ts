/**
 * The gateway's log events (STYLE 13: `<Area><Noun><Verb>[Error]`), one file for the app. Every log line
 * carries `event` with one of these. No line ever carries a key value, plaintext or ciphertext; a refused
 * request is logged only at `debug` (the hot path logs nothing per request by default, DESIGN §7).
 */
export const GATEWAY_EVENTS = Object.freeze({
  /** The key cache loaded (info): `sites`. */
  KeysLoaded: 'GatewayKeysLoaded',
  /** A key cache start attempt failed (warn): `attempt`, `retryInMs`, `err`. */
  KeysLoadError: 'GatewayKeysLoadError',
  /** A background reload of one site failed; the last good keys stay (warn): `siteId`, `err`. */
  KeysReloadError: 'GatewayKeysReloadError',
  /** An on-demand refresh request could not be published (warn; at most one per site per second): `err`. */
  KeyRefreshRequestError: 'GatewayKeyRefreshRequestError',
  /** A request was refused (debug): `code`, `status`. */
  RequestRefused: 'GatewayRequestRefused',
  /** The kitchen could not be reached or timed out (debug; counted in metrics): `code`, `err`. */
  UpstreamRequestError: 'GatewayUpstreamRequestError',
  /** The replay store failed; requests of protected sites get 503 (warn, throttled): `err`. */
  ReplayStoreError: 'GatewayReplayStoreError',
  /** An unexpected exception on the request path (error): `err`. */
  ProxyRequestError: 'GatewayProxyRequestError',
  /** `UPSTREAM_URL` is unset: every request is answered 502 (warn, at boot). */
  UpstreamNotConfigured: 'GatewayUpstreamNotConfigured',
  /** Releasing keys or the key store failed while shutting down (warn; shutdown carries on): `what`, `err`. */
  ShutdownError: 'GatewayShutdownError',
  /** The ALE proxy hook is registered (info): `maxBodyBytes`, `suites`, `replayWindowMs`. */
  ProxyRegistered: 'GatewayProxyRegistered',
} as const);

/** One event name. */
export type GatewayEvent = (typeof GATEWAY_EVENTS)[keyof typeof GATEWAY_EVENTS];
