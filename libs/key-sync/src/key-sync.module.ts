import { Module, type DynamicModule } from '@nestjs/common';
import type { BuiltKeySyncEngine } from './build-key-sync-engine';
import { KeySyncConfig } from './key-sync-config';
import { KeySyncLifecycle } from './key-sync.lifecycle';
import { KEY_SYNC_CONFIG, KEY_SYNC_ENGINE, KEY_SYNC_PARTS } from './key-sync.tokens';

/**
 * key-sync's root module: the platform (logging, metrics, Redis, ops), the config and the engine with its
 * lifecycle (DESIGN §2). The engine is built by `createKeySyncApp` (plain objects, like the other services'
 * transports) and handed in; this module only starts, checks and stops it.
 */
@Module({})
export class KeySyncModule {
  /**
   * @param config the loaded `KeySyncConfig`
   * @param platform the app instance's platform modules (`createServiceRuntime(...).imports`)
   * @param built the engine and its store (`buildKeySyncEngine`)
   */
  static forRoot(config: KeySyncConfig, platform: readonly DynamicModule[], built: BuiltKeySyncEngine): DynamicModule {
    return {
      module: KeySyncModule,
      imports: [...platform],
      providers: [
        { provide: KEY_SYNC_CONFIG, useValue: config },
        { provide: KEY_SYNC_PARTS, useValue: built },
        { provide: KEY_SYNC_ENGINE, useValue: built.engine },
        KeySyncLifecycle,
      ],
      exports: [KEY_SYNC_CONFIG, KEY_SYNC_ENGINE],
    };
  }
}
