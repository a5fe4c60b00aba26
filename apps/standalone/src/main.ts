/**
 * The standalone process (DESIGN §1): all three services, and the simulators in demo mode, in one Node
 * process — `npm start`. Validates every config first, starts everything, prints the endpoints,
 * and stops everything cleanly on SIGTERM/SIGINT (Ctrl-C).
 */
import { bootCli, createLogger, describeConfig, failStartup, installShutdownHandlers } from '@pos-link/platform';
import { createExtraServices } from './extra-services';
import { Standalone } from './standalone';
import { StandaloneConfig } from './standalone-config';
import { loadStandaloneConfigs } from './standalone-env';

const APP = 'standalone';

async function main(): Promise<void> {
  const preflight = bootCli({ app: APP, rows: describeConfig(StandaloneConfig), load: (env) => loadStandaloneConfigs(env) });
  const logger = createLogger({ app: APP, level: preflight.standalone.logLevel });
  const standalone = new Standalone({ env: process.env, logger, extras: createExtraServices(process.env, preflight) });
  installShutdownHandlers(standalone, { drainTimeoutMs: preflight.standalone.drainTimeoutMs, logger });
  await standalone.listen();
  process.stdout.write(standalone.banner());
}

main().catch((error: unknown) => failStartup(APP, error));
