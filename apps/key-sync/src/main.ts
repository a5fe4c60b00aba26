/**
 * key-sync (DESIGN §1, §2, §8): load the config, build the app, stop cleanly on SIGTERM/SIGINT,
 * listen. Everything else lives in `@pos-link/key-sync`.
 */
import { bootConfig, failStartup, installShutdownHandlers } from '@pos-link/platform';
import { KEY_SYNC_APP_NAME, KeySyncConfig, createKeySyncApp } from '@pos-link/key-sync';

async function main(): Promise<void> {
  const config = bootConfig(KeySyncConfig, { app: KEY_SYNC_APP_NAME });
  const app = await createKeySyncApp(config);
  installShutdownHandlers(app, { drainTimeoutMs: config.drainTimeoutMs, logger: app.logger });
  await app.listen();
}

main().catch((error: unknown) => failStartup(KEY_SYNC_APP_NAME, error));
