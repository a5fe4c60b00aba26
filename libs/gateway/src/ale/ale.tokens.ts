/** Injection token of the {@link ReplayStore} (Redis, or memory in standalone mode). */
export const REPLAY_STORE = Symbol('pos-link:gateway-replay-store');

/** Injection token of the gateway's clock (`() => number`, ms): `Date.now` unless a test passes one. */
export const GATEWAY_CLOCK = Symbol('pos-link:gateway-clock');

/** Injection token of the `KeyBackend` (the key store and what the gateway opened around it). */
export const KEY_BACKEND = Symbol('pos-link:gateway-key-backend');
