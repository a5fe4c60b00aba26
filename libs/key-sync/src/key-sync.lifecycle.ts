import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import { HealthRegistry } from '@pos-link/platform';
import type { BuiltKeySyncEngine } from './build-key-sync-engine';
import { keySyncReadinessCheck } from './health/key-sync-readiness';
import { KEY_SYNC_PARTS } from './key-sync.tokens';

/**
 * Ties the engine to Nest's lifecycle (DESIGN §1: "Nest still owns modules, config, health and lifecycle"):
 * registers the `keys` readiness check, starts the engine once the app is bootstrapped — without waiting for
 * it, so the ops port opens and tells the truth while Redis or the Portal are not there yet — and stops it
 * before the platform's shutdown hooks (the ops server, then the Redis connections, close after it).
 */
@Injectable()
export class KeySyncLifecycle implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly #built: BuiltKeySyncEngine;
  readonly #health: HealthRegistry;

  /** @internal Nest builds it. */
  constructor(@Inject(KEY_SYNC_PARTS) built: BuiltKeySyncEngine, @Inject(HealthRegistry) health: HealthRegistry) {
    this.#built = built;
    this.#health = health;
  }

  /** Registers `/health/ready`'s `keys` check. */
  onModuleInit(): void {
    this.#health.addReadinessCheck(keySyncReadinessCheck(this.#built.engine));
  }

  /** Starts the engine in the background (its start steps retry on their own until `stop`). */
  onApplicationBootstrap(): void {
    void this.#built.engine.start();
  }

  /** Stops the engine (aborts fetches, releases the lock), then closes the store if it was built here. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.#built.engine.stop();
    if (this.#built.ownsStore) await this.#built.store.close();
  }
}
