/**
 * secure-gateway (DESIGN §1, §8): load the config, build the app, stop cleanly on SIGTERM/SIGINT,
 * listen. Everything else lives in `@pos-link/gateway`.
 */
import { bootConfig, failStartup, installShutdownHandlers } from '@pos-link/platform';
import { GATEWAY_APP_NAME, GatewayConfig, createGatewayApp } from '@pos-link/gateway';

async function main(): Promise<void> {
  const config = bootConfig(GatewayConfig, { app: GATEWAY_APP_NAME });
  const app = await createGatewayApp(config);
  installShutdownHandlers(app, { drainTimeoutMs: config.drainTimeoutMs, logger: app.logger });
  await app.listen();
}

main().catch((error: unknown) => failStartup(GATEWAY_APP_NAME, error));
