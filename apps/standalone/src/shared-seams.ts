import type { Logger } from 'pino';
import { MemoryPesEventFeed, MemoryReplayStore, MemorySiteEventBus, type GatewayAppOptions } from '@pos-link/gateway';
import { MemoryPesEventLog, type IngressAppOptions } from '@pos-link/ingress';
import type { KeySyncAppOptions } from '@pos-link/key-sync';
import { MemoryKeyStore } from '@pos-link/keyring';
import { pesFeedSourceOf } from './pes-feed-source';
import type { StandaloneConfigs } from './standalone-env';

/**
 * The in-memory stores the three apps share in one process (DESIGN §1, standalone without
 * `REDIS_URL`), and the option objects that hand them to each app's factory. What Redis carries
 * between separate processes — keys (key-sync → gateway), the PES event log (ingress → gateway's
 * WebSocket feed), the site event bus, replay records — is one object here.
 */
export interface SharedSeams {
  /** `createKeySyncApp(config, …)` options: key-sync writes the shared key store. */
  readonly keySync: Pick<KeySyncAppOptions, 'keyStore'>;
  /** `createGatewayApp(config, …)` options: reads keys, pushes the ingress's events, its bus and replay records. */
  readonly gateway: Pick<GatewayAppOptions, 'keyStore' | 'eventBus' | 'pesEventFeed' | 'replayStore'>;
  /** `createIngressApp(config, …)` options: appends to the shared event log. */
  readonly ingress: Pick<IngressAppOptions, 'eventLog'>;
  /** Releases the seams; call after every app has closed. */
  close(): Promise<void>;
}

/**
 * Builds the shared in-memory seams for `configs` (in-memory mode only).
 *
 * @param configs the validated configs (grace, dedupe TTL, the ingress's site)
 * @param logger where errors thrown by a listener inside a seam are reported (never into the writer)
 */
export function createSharedSeams(configs: StandaloneConfigs, logger: Logger): SharedSeams {
  const onError = (err: unknown): void => logger.error({ event: 'StandaloneSeamListenerError', err }, 'shared seam listener failed');
  const keyStore = new MemoryKeyStore({ graceMs: configs.keySync.keyGraceMs });
  const eventLog = new MemoryPesEventLog({ dedupeTtlSeconds: configs.ingress.pesDedupeTtlS });
  // The ingress listens for ONE site (`SITE_ID`); its log is that site's stream for the gateway.
  const pesEventFeed = new MemoryPesEventFeed([[configs.ingress.siteId, pesFeedSourceOf(eventLog)]], onError);
  const eventBus = new MemorySiteEventBus(onError);
  const replayStore = new MemoryReplayStore();
  return {
    keySync: { keyStore },
    gateway: { keyStore, eventBus, pesEventFeed, replayStore },
    ingress: { eventLog },
    async close() {
      await Promise.all([pesEventFeed.close(), eventBus.close(), keyStore.close()]);
    },
  };
}
