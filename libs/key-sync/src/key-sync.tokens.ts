/** Injection token of the loaded `KeySyncConfig`. */
export const KEY_SYNC_CONFIG = Symbol('pos-link:key-sync-config');

/** Injection token of the app's `KeySyncEngine` (built by `createKeySyncApp`; tests read its state through it). */
export const KEY_SYNC_ENGINE = Symbol('pos-link:key-sync-engine');

/** Internal token of the `BuiltKeySyncEngine` (engine, store, ownership) the lifecycle provider manages. */
export const KEY_SYNC_PARTS = Symbol('pos-link:key-sync-parts');
