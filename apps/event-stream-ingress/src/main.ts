/**
 * event-stream-ingress (DESIGN §1, §6, §8): load the config, build the app, stop cleanly on
 * SIGTERM/SIGINT, listen. Everything else lives in `@pos-link/ingress`.
 */
import { bootConfig, failStartup, installShutdownHandlers } from '@pos-link/platform';
import { INGRESS_APP_NAME, IngressConfig, createIngressApp } from '@pos-link/ingress';

async function main(): Promise<void> {
  const config = bootConfig(IngressConfig, { app: INGRESS_APP_NAME });
  const app = await createIngressApp(config);
  installShutdownHandlers(app, { drainTimeoutMs: config.drainTimeoutMs, logger: app.logger });
  await app.listen();
}

main().catch((error: unknown) => failStartup(INGRESS_APP_NAME, error));
