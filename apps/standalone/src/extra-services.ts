import type { RunnableService, ServiceEndpoint } from '@pos-link/platform';
import { DEFAULT_PORTAL_SIM_AUTH, startPortalSim, type PortalSim } from '@pos-link/portal-sim';
import { startKitchenSim, type KitchenSim } from '@pos-link/kitchen-sim';
import type { StandaloneConfigs } from './standalone-env';

/**
 * A service the standalone process runs beside the three apps: the simulators of DESIGN §1
 * (Portal, kitchen, …). They start before the apps and stop after them.
 */
export interface ExtraService extends RunnableService {
  /**
   * Variables pointing the apps at this service once it listens, e.g. portal-sim's
   * `{ PORTAL_URL, PORTAL_AUTH }` or kitchen-sim's `{ UPSTREAM_URL }`. Settings in the real
   * environment win over them.
   */
  provides?(): Record<string, string>;
}

/** Loopback only: the simulators are the demo's peers, not services for the network. */
const SIM_HOST = '127.0.0.1';

/** The Portal simulator serving the configured sites (DESIGN §1: used when `PORTAL_URL` is unset). */
class PortalSimService implements ExtraService {
  readonly name = 'portal-sim';
  readonly #sites: readonly string[];
  readonly #auth: string;
  readonly #service: string;
  #sim: PortalSim | undefined;

  constructor(sites: readonly string[], auth: string, service: string) {
    this.#sites = sites;
    this.#auth = auth;
    this.#service = service;
  }

  async listen(): Promise<readonly ServiceEndpoint[]> {
    this.#sim ??= await startPortalSim({ host: SIM_HOST, sites: this.#sites, auth: this.#auth, service: this.#service });
    return [{ name: 'http', url: this.#sim.url, port: this.#sim.port }];
  }

  provides(): Record<string, string> {
    if (!this.#sim) throw new TypeError('portal-sim: provides() before listen()');
    return { PORTAL_URL: this.#sim.url, PORTAL_AUTH: this.#sim.auth };
  }

  async close(): Promise<void> {
    await this.#sim?.close();
  }
}

/** The kitchen simulator (DESIGN §1: used when `UPSTREAM_URL` is unset). */
class KitchenSimService implements ExtraService {
  readonly name = 'kitchen-sim';
  #sim: KitchenSim | undefined;

  async listen(): Promise<readonly ServiceEndpoint[]> {
    this.#sim ??= await startKitchenSim({ host: SIM_HOST });
    return [
      { name: 'http', url: this.#sim.url, port: this.#sim.port },
      { name: 'ws', url: this.#sim.wsUrl, port: this.#sim.port },
    ];
  }

  provides(): Record<string, string> {
    if (!this.#sim) throw new TypeError('kitchen-sim: provides() before listen()');
    return { UPSTREAM_URL: this.#sim.upstreamUrl, UPSTREAM_WS_URL: this.#sim.upstreamWsUrl };
  }

  async close(): Promise<void> {
    await this.#sim?.close();
  }
}

/**
 * THE SEAM for simulators (DESIGN §1): "without PORTAL_URL/UPSTREAM_URL it also starts the Portal
 * and kitchen simulators and points the services at them". `Standalone` starts each one returned
 * here, merges what it `provides()` into the apps' environment (real settings win), and prints its
 * endpoints with the others. More simulators (pos-sim, device-sim) join here the same way.
 *
 * @param env the process environment
 * @param preflight the configs as validated before any simulator ran (sites, Portal service entry)
 */
export function createExtraServices(env: NodeJS.ProcessEnv, preflight: StandaloneConfigs): ExtraService[] {
  const extras: ExtraService[] = [];
  if (!env['PORTAL_URL']) {
    const auth = env['PORTAL_AUTH'] || DEFAULT_PORTAL_SIM_AUTH;
    extras.push(new PortalSimService(preflight.keySync.siteIds, auth, preflight.keySync.portalService));
  }
  if (!env['UPSTREAM_URL']) extras.push(new KitchenSimService());
  return extras;
}
