/**
 * `@pos-link/kitchen-sim`: a stand-in for Enterprise Kitchen (DESIGN §1, §3, §4) — a real HTTP and
 * WebSocket peer that records what the gateway sends it and answers as configured. For tests, the
 * standalone demo and benchmarks. CLI: `src/cli.ts` (`--help`).
 */
export { DEFAULT_WAIT_MS, KitchenSim, startKitchenSim, type KitchenSimEvents } from './kitchen-sim';
export {
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_MAX_RECORDED,
  KITCHEN_HEARTBEAT_TEXT,
  KITCHEN_MAX_BODY_BYTES,
  type KitchenSimOptions,
} from './options';
export type { KitchenBehaviour } from './behaviours';
export type { RecordedRequest, RecordedWsMessage } from './records';
export type { KitchenConnection } from './ws-side';
export { SITE_ID_HEADER, type SiteSource } from './site-path';
export { ADMIN_PREFIX } from './admin-routes';
export { KITCHEN_EVENT_TYPES, kitchenEvent, type KitchenEvent, type KitchenEventType } from './kitchen-events';
export { echoBody } from './kitchen-answer';
