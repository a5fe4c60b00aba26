import {
  Inject,
  Module,
  type DynamicModule,
  type FactoryProvider,
  type ModuleMetadata,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { KeyCache, type KeyCacheOptions } from './key-cache';
import type { KeyStore } from './key-store';
import { RefreshRequester } from './refresh';

/** Injection token of the {@link KeyStore} the module was given. */
export const KEY_STORE = Symbol('pos-link:KeyStore');

/** Injection token of the resolved {@link KeyringModuleOptions}. */
export const KEYRING_OPTIONS = Symbol('pos-link:KeyringModuleOptions');

/** What the app wires in (the store is built by the app: Redis or memory, DESIGN §1). */
export interface KeyringModuleOptions {
  /** The store; the module closes it on shutdown unless `closeStore` is false. */
  readonly store: KeyStore;
  /** Options of the {@link KeyCache}, or false for a writer that needs no cache (key-sync). */
  readonly cache?: KeyCacheOptions | false;
  /** Local throttle of {@link RefreshRequester} per site (ms). */
  readonly refreshRequestIntervalMs?: number;
  /** Close the store on application shutdown (default true; false when the store is shared and closed elsewhere). */
  readonly closeStore?: boolean;
}

/** Async form: options from a factory with injected dependencies (e.g. the platform's config and Redis). */
export interface KeyringModuleAsyncOptions {
  /** Modules exporting what `inject` names. */
  readonly imports?: ModuleMetadata['imports'];
  /** Tokens passed to `useFactory`. */
  readonly inject?: FactoryProvider['inject'];
  /** Builds the options. */
  readonly useFactory: (...args: never[]) => KeyringModuleOptions | Promise<KeyringModuleOptions>;
}

/**
 * A thin Nest wrapper (DESIGN §1: "Nest module"): provides {@link KEY_STORE}, a started {@link KeyCache} and a
 * {@link RefreshRequester}, and closes them on application shutdown. Not global: import it where used.
 */
@Module({})
export class KeyringModule implements OnApplicationShutdown {
  readonly #options: KeyringModuleOptions;
  readonly #cache: KeyCache;

  /** @internal Nest builds it. */
  constructor(@Inject(KEYRING_OPTIONS) options: KeyringModuleOptions, @Inject(KeyCache) cache: KeyCache) {
    this.#options = options;
    this.#cache = cache;
  }

  /** The module for options known up front. */
  static forRoot(options: KeyringModuleOptions): DynamicModule {
    return KeyringModule.forRootAsync({ useFactory: () => options });
  }

  /** The module for options built by a factory. */
  static forRootAsync(options: KeyringModuleAsyncOptions): DynamicModule {
    const factory = options.useFactory as (...args: unknown[]) => KeyringModuleOptions | Promise<KeyringModuleOptions>;
    return {
      module: KeyringModule,
      imports: options.imports ?? [],
      providers: [
        { provide: KEYRING_OPTIONS, useFactory: (...args: unknown[]) => factory(...args), inject: options.inject ?? [] },
        { provide: KEY_STORE, useFactory: (resolved: KeyringModuleOptions) => resolved.store, inject: [KEYRING_OPTIONS] },
        {
          provide: KeyCache,
          useFactory: async (resolved: KeyringModuleOptions) => {
            const cache = new KeyCache(resolved.store, resolved.cache === false ? {} : resolved.cache);
            if (resolved.cache !== false) await cache.start();
            return cache;
          },
          inject: [KEYRING_OPTIONS],
        },
        {
          provide: RefreshRequester,
          useFactory: (resolved: KeyringModuleOptions) =>
            new RefreshRequester(resolved.store, resolved.refreshRequestIntervalMs),
          inject: [KEYRING_OPTIONS],
        },
      ],
      exports: [KEY_STORE, KeyCache, RefreshRequester],
    };
  }

  /** Closes the cache, then the store (unless `closeStore: false`). */
  async onApplicationShutdown(): Promise<void> {
    await this.#cache.close();
    if (this.#options.closeStore !== false) await this.#options.store.close();
  }
}
