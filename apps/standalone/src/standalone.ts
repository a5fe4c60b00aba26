import type { Logger } from 'pino';
import { formatEndpoints, type RunnableService, type ServiceEndpoint } from '@pos-link/platform';
import { createGatewayApp } from '@pos-link/gateway';
import { createIngressApp } from '@pos-link/ingress';
import { createKeySyncApp } from '@pos-link/key-sync';
import { DEFAULT_DEMO_FILE, DEMO_PINPAD_ID, connectableUrl, removeDemoManifest, writeDemoManifest, type DemoManifest } from './demo/demo-manifest';
import type { ExtraService } from './extra-services';
import { createSharedSeams } from './shared-seams';
import { demoDefaults, loadStandaloneConfigs, type StandaloneConfigs } from './standalone-env';

/** Demo defaults that are generated secrets: the banner names them, never prints them. */
const GENERATED = new Set(['INTEGRATOR_SECRET_KEY', 'KEY_WRAP_SECRET']);

/** One started service and what it listens on. */
export interface StartedService {
  readonly name: string;
  readonly endpoints: readonly ServiceEndpoint[];
}

/** Options of `Standalone`. */
export interface StandaloneOptions {
  /** The process environment (one environment for all apps). */
  readonly env: NodeJS.ProcessEnv;
  /** The standalone process's own logger (each app has its own, labelled with its name). */
  readonly logger: Logger;
  /** Simulators and other services started before the apps (see `createExtraServices`). */
  readonly extras?: readonly ExtraService[];
}

/**
 * The composition root (DESIGN §1): key-sync, secure-gateway and event-stream-ingress in ONE
 * process, in-memory when `REDIS_URL` is unset (one shared `MemoryKeyStore`), plus the extra
 * services (simulators). `listen` starts the extras, then the apps (key-sync first: the others read
 * what it writes); `close` stops the apps together, then the shared seams, then the extras in reverse
 * order.
 */
export class Standalone implements RunnableService {
  /** `standalone`. */
  readonly name = 'standalone';
  readonly #options: StandaloneOptions;
  readonly #extras: RunnableService[] = [];
  readonly #apps: RunnableService[] = [];
  /** Seams shared by the apps (in-memory mode), closed after them. */
  readonly #shared: Array<{ close(): Promise<void> }> = [];
  readonly #started: StartedService[] = [];
  #configs: StandaloneConfigs | undefined;
  /** The demo file written (demo mode only), removed at close. */
  #demoFile: string | undefined;
  #listening: Promise<readonly ServiceEndpoint[]> | undefined;
  #closing: Promise<void> | undefined;

  /** @param options see `StandaloneOptions` */
  constructor(options: StandaloneOptions) {
    this.#options = options;
  }

  /** Every started service with its endpoints, in start order. */
  get services(): readonly StartedService[] {
    return this.#started;
  }

  /** Starts everything; on any failure stops what already started and rethrows. Idempotent. */
  listen(): Promise<readonly ServiceEndpoint[]> {
    this.#listening ??= this.#doListen();
    return this.#listening;
  }

  /** Stops every app (together), then the extras (in reverse). Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#doClose();
    return this.#closing;
  }

  /**
   * The readable block printed once everything listens: the mode, every endpoint, the demo defaults
   * in use (issue 8: "printed as such"; generated secrets by name only) and the demo command.
   */
  banner(): string {
    const inMemory = this.#configs?.inMemory ?? true;
    const mode = inMemory ? 'in-memory mode (REDIS_URL unset)' : 'Redis mode (REDIS_URL set)';
    const lines = ['', `pos-link standalone — ${mode}`, formatEndpoints(this.#started)];
    const defaults = Object.entries(demoDefaults(this.#options.env));
    if (defaults.length > 0) {
      lines.push('Defaults in use (set the variable to change it):');
      for (const [name, value] of defaults) lines.push(`  ${name}=${GENERATED.has(name) ? '<generated for this run>' : value}`);
    }
    if (this.#demoFile !== undefined) lines.push(`Demo: run \`npm run demo\` in another terminal (reads ${this.#demoFile}).`);
    lines.push('Ctrl-C stops everything.', '', '');
    return lines.join('\n');
  }

  async #doListen(): Promise<readonly ServiceEndpoint[]> {
    const { env, logger } = this.#options;
    try {
      const provided: Record<string, string> = {};
      for (const extra of this.#options.extras ?? []) {
        this.#extras.push(extra);
        this.#started.push({ name: extra.name, endpoints: await extra.listen() });
        Object.assign(provided, extra.provides?.());
      }
      const configs = loadStandaloneConfigs(env, provided);
      this.#configs = configs;
      // In-memory mode, the apps share one set of stores: key-sync writes the keys the gateway reads,
      // the ingress appends the events the gateway pushes (DESIGN §1). With Redis each app uses its
      // Redis-backed seams, exactly as when distributed.
      const seams = configs.inMemory ? createSharedSeams(configs, logger) : undefined;
      if (seams) this.#shared.push(seams);
      const builds = [
        () => createKeySyncApp(configs.keySync, { ...seams?.keySync }),
        () => createGatewayApp(configs.gateway, { ...seams?.gateway }),
        () => createIngressApp(configs.ingress, { ...seams?.ingress }),
      ];
      for (const build of builds) {
        const app = await build();
        this.#apps.push(app);
        this.#started.push({ name: app.name, endpoints: await app.listen() });
      }
      await this.#writeDemoFile(configs, provided);
      logger.info(
        { event: 'StandaloneStarted', inMemory: configs.inMemory, services: this.#started },
        'standalone listening',
      );
      return this.#started.flatMap((service) => service.endpoints);
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  /**
   * Demo mode (the Portal is the simulator, so no real secret is involved): tells `npm run demo` how to
   * reach this process.
   */
  async #writeDemoFile(configs: StandaloneConfigs, provided: Record<string, string>): Promise<void> {
    const portalUrl = provided['PORTAL_URL'];
    if (portalUrl === undefined || this.#options.env['PORTAL_URL']) return;
    const endpoint = (service: string, name: string): string | undefined =>
      this.#started.find((s) => s.name === service)?.endpoints.find((e) => e.name === name)?.url;
    const gatewayUrl = endpoint('secure-gateway', 'http');
    const pesUrl = endpoint('event-stream-ingress', 'pes');
    if (gatewayUrl === undefined || pesUrl === undefined) return;
    const pes = connectableUrl(pesUrl);
    const manifest: DemoManifest = {
      pid: process.pid,
      gatewayUrl: connectableUrl(gatewayUrl).origin,
      pes: { host: pes.hostname, port: Number(pes.port) },
      siteId: configs.ingress.siteId,
      portal: { url: portalUrl, auth: configs.keySync.portalAuth ?? provided['PORTAL_AUTH'] ?? '', service: configs.keySync.portalService },
      integrator: { keyId: configs.ingress.integratorKeyId, secretKey: configs.ingress.integratorSecretKey },
      pinpadId: DEMO_PINPAD_ID,
    };
    this.#demoFile = configs.standalone.demoFile || DEFAULT_DEMO_FILE;
    await writeDemoManifest(this.#demoFile, manifest);
  }

  async #doClose(): Promise<void> {
    if (this.#demoFile !== undefined) await removeDemoManifest(this.#demoFile).catch(() => undefined);
    const results = await Promise.allSettled(this.#apps.map((app) => app.close()));
    results.push(...(await Promise.allSettled(this.#shared.map((seam) => seam.close()))));
    for (const extra of [...this.#extras].reverse()) results.push(...(await Promise.allSettled([extra.close()])));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
  }
}
