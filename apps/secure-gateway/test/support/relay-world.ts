/**
 * The world of the terminal relay's integration tests (DESIGN §5): the Portal simulator and key-sync
 * (through its factory) for the sites' keys, one or more gateways (through their factory) on the real
 * Redis under a unique `REDIS_PREFIX`, payment terminals simulated by `tools/device-sim`, POS clients by
 * `tools/ale` — all real network peers on ephemeral ports. Everything is closed and the prefix deleted
 * by `close()`.
 */
import { Redis } from 'ioredis';
import { AleClient, AleWsClient, type AleResponse } from '@pos-link/ale';
import { startDeviceSim, type DeviceSim, type DeviceSimOptions } from '@pos-link/device-sim';
import { GatewayConfig, GatewayKeys, PosWsEndpoint, TerminalRelay, createGatewayApp } from '@pos-link/gateway';
import { KeySyncConfig, createKeySyncApp } from '@pos-link/key-sync';
import { createLogger, loadConfig, type ServiceHost } from '@pos-link/platform';
import { deleteKeysWithPrefix, readPrometheusMetric, uniqueRedisPrefix, waitFor } from '@pos-link/platform/testing';
import { parseSciDocument } from '@pos-link/protocol';
import { startPortalSim, type PortalSim, type PortalSimKey } from '@pos-link/portal-sim';

/** DESIGN §7: Redis tests use `REDIS_URL` (default `redis://127.0.0.1:6379`). */
export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

const WRAP_SECRET = 'relay-test-wrap-secret-0123456789abcdef';

/** The sites every relay world serves, and its terminals: T1 and T2 at site-a, B1 at site-b. */
export const SITE_A = 'site-a';
export const SITE_B = 'site-b';
export const TERMINAL_SITES = 'T1=site-a,T2=site-a,B1=site-b';

/** key-sync tuned for tests: the initial fetch is all they need. */
const KEY_SYNC_TEST_ENV: Readonly<Record<string, string>> = {
  KEYSYNC_POLL_MS: '600000',
  KEYSYNC_REFRESH_MIN_MS: '100',
};

/** Terminal reconnects in tests: fast, so "reconnects" takes milliseconds, not seconds. */
export const FAST_BACKOFF = Object.freeze({ initialMs: 20, maxMs: 100, factor: 2, jitter: 0 });

/** A started gateway. */
export interface RelayGateway {
  readonly app: ServiceHost;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `ws://127.0.0.1:<port>/` — where terminals connect without TLS. */
  readonly terminalUrl: string;
  /** `wss://127.0.0.1:<port>/` when the TLS listener is on. */
  readonly tlsTerminalUrl: string | undefined;
  readonly relay: TerminalRelay;
  /** Resolves once terminal `pinpadId` of `siteId` is connected here and in the registry. */
  terminalReady(siteId: string, pinpadId: string): Promise<void>;
  /** Resolves once the gateway holds exactly `count` POS relay WebSockets (e.g. after a POS closed one). */
  posSockets(count: number): Promise<void>;
  /** One series from `/metrics`; 0 when absent. */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
}

/** A POS's answer on the HTTP route, decrypted and parsed. */
export interface PosHttpAnswer {
  readonly status: number;
  readonly response: AleResponse;
  /** The `<RESPONSE>` fields (undefined when the answer is not SCI, e.g. an ALE error). */
  readonly fields: Readonly<Record<string, string>> | undefined;
}

/** Everything a relay test needs. */
export interface RelayWorld {
  readonly prefix: string;
  readonly portal: PortalSim;
  /** Starts a gateway on this world's Redis prefix (`env` overrides). */
  startGateway(env?: Record<string, string>): Promise<RelayGateway>;
  /** The current key of a site. */
  key(siteId: string): PortalSimKey;
  /** Starts a simulated terminal (closed by `close()`). */
  terminal(options: Omit<DeviceSimOptions, 'backoff'> & Pick<Partial<DeviceSimOptions>, 'backoff'>): DeviceSim;
  /** Sends one SCI document over the HTTP route as a POS of `siteId` (keyed with `keySite`'s key). */
  postTransaction(gateway: RelayGateway, siteId: string, pinpadId: string, xml: string, options?: { posId?: string; keySite?: string }): Promise<PosHttpAnswer>;
  /** Opens a POS WebSocket to a terminal (closed by `close()`). */
  openPosWs(gateway: RelayGateway, siteId: string, pinpadId: string, keySite?: string): Promise<AleWsClient>;
  close(): Promise<void>;
}

/** The `<RESPONSE>` fields of an SCI answer, or undefined when it is not one. */
export function responseFields(text: string): Readonly<Record<string, string>> | undefined {
  try {
    const doc = parseSciDocument(text);
    return doc.root === 'RESPONSE' ? doc.fields : undefined;
  } catch {
    return undefined;
  }
}

/** Starts the Portal (sites A and B) and key-sync on a fresh prefix. */
export async function startRelayWorld(): Promise<RelayWorld> {
  const prefix = uniqueRedisPrefix('relay');
  const portal = await startPortalSim({ sites: [SITE_A, SITE_B], rotationMs: 0, seed: prefix });
  const keySync = await createKeySyncApp(
    loadConfig(KeySyncConfig, {
      REDIS_URL,
      REDIS_PREFIX: prefix,
      KEY_WRAP_SECRET: WRAP_SECRET,
      PORTAL_URL: portal.url,
      PORTAL_AUTH: portal.auth,
      SITE_IDS: `${SITE_A},${SITE_B}`,
      OPS_HOST: '127.0.0.1',
      OPS_PORT: '0',
      ...KEY_SYNC_TEST_ENV,
    }),
    { logger: createLogger({ app: 'key-sync', level: 'silent' }) },
  );
  await keySync.listen();
  const gateways: ServiceHost[] = [];
  const terminals: DeviceSim[] = [];
  const clients: Array<{ close(): Promise<void> }> = [];
  const key = (siteId: string): PortalSimKey => {
    const keys = portal.currentKeys(siteId);
    const current = keys.reduce((a, b) => (b.validAfter > a.validAfter && b.validAfter <= Date.now() ? b : a));
    return current;
  };

  const startGateway = async (env: Record<string, string> = {}): Promise<RelayGateway> => {
    const config = loadConfig(GatewayConfig, {
      REDIS_URL,
      REDIS_PREFIX: prefix,
      KEY_WRAP_SECRET: WRAP_SECRET,
      UPSTREAM_URL: 'http://127.0.0.1:9/{site}',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      OPS_HOST: '127.0.0.1',
      OPS_PORT: '0',
      TERMINAL_PORT: '0',
      TERMINAL_SITES,
      ...env,
    });
    const app = await createGatewayApp(config, { logger: createLogger({ app: 'secure-gateway', level: 'silent' }) });
    gateways.push(app);
    const endpoints = await app.listen();
    const http = endpoints.find((e) => e.name === 'http')!;
    const ops = endpoints.find((e) => e.name === 'ops')!;
    const tls = endpoints.find((e) => e.name === 'terminals');
    const gatewayKeys = app.nest.get(GatewayKeys, { strict: false });
    for (const siteId of [SITE_A, SITE_B]) {
      for (const k of portal.currentKeys(siteId)) await waitFor(`key ${k.fingerprint}`, () => gatewayKeys.lookup(k.fingerprint) !== undefined);
    }
    const relay = app.nest.get(TerminalRelay, { strict: false });
    const posWs = app.nest.get(PosWsEndpoint, { strict: false });
    return {
      app,
      url: http.url,
      terminalUrl: `ws://127.0.0.1:${http.port}/`,
      tlsTerminalUrl: tls === undefined ? undefined : `wss://127.0.0.1:${tls.port}/`,
      relay,
      terminalReady: async (siteId, pinpadId) => {
        await waitFor(`terminal ${pinpadId} to connect`, () => relay.isLocal(siteId, pinpadId));
        await relay.whenRegistered(siteId, pinpadId);
      },
      posSockets: (count) => waitFor(`${count} POS sockets`, () => posWs.size === count).then(() => undefined),
      metric: async (name, labels = {}) => (readPrometheusMetric(await (await fetch(`${ops.url}/metrics`)).text(), name, labels) ?? 0),
    };
  };

  return {
    prefix,
    portal,
    startGateway,
    key,
    terminal: (options) => {
      const sim = startDeviceSim({ backoff: FAST_BACKOFF, ...options });
      terminals.push(sim);
      return sim;
    },
    postTransaction: async (gateway, siteId, pinpadId, xml, options = {}) => {
      const k = key(options.keySite ?? siteId);
      const client = new AleClient({ baseUrl: gateway.url, fingerprint: k.fingerprint, keyValue: k.value, siteId });
      clients.push(client);
      const response = await client.request({
        path: `/terminals/${encodeURIComponent(pinpadId)}/transaction`,
        body: xml,
        contentType: 'application/xml',
        headers: options.posId === undefined ? {} : { 'x-pos-id': options.posId },
      });
      return { status: response.status, response, fields: responseFields(response.text) };
    },
    openPosWs: async (gateway, siteId, pinpadId, keySite) => {
      const k = key(keySite ?? siteId);
      const client = await AleWsClient.connect({
        url: gateway.url.replace(/^http/, 'ws'),
        siteId,
        path: `/terminals/${encodeURIComponent(pinpadId)}/ws`,
        fingerprint: k.fingerprint,
        keyValue: k.value,
      });
      clients.push(client);
      return client;
    },
    close: async () => {
      for (const client of clients) await client.close().catch(() => undefined);
      for (const sim of terminals) await sim.close();
      for (const app of gateways) await app.close();
      await keySync.close();
      await portal.close();
      const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
      try {
        await redis.connect();
        await deleteKeysWithPrefix(redis, prefix);
      } finally {
        redis.disconnect();
      }
    },
  };
}

/** A POS WebSocket exchange: send one document, resolve with the next answer's fields. */
export async function wsExchange(client: AleWsClient, xml: string): Promise<Readonly<Record<string, string>>> {
  const next = client.nextMessage();
  client.send(xml);
  const fields = responseFields(await next);
  if (fields === undefined) throw new Error('the answer is not an SCI RESPONSE');
  return fields;
}
