/**
 * `@pos-link/gateway` — the secure-gateway's behaviour (DESIGN §3–§5): its config, root module and
 * app factory. `apps/secure-gateway` only builds and listens.
 */
export { GatewayConfig } from './gateway-config';
export { GATEWAY_CONFIG } from './gateway.tokens';
export { GatewayModule } from './gateway.module';
export { GATEWAY_APP_NAME, createGatewayApp, type GatewayAppOptions } from './gateway-app.factory';

// WebSocket upgrade routing (one `upgrade` listener shared by the ALE WebSocket and the terminal relay)
export { UPGRADE_FAILED_BODY, UPGRADE_NOT_FOUND_BODY, UpgradeRouter, type UpgradeHandler } from './upgrade/upgrade-router';
export { UpgradeModule } from './upgrade/upgrade.module';
export { rejectUpgrade } from './upgrade/reject-upgrade';
export { offeredSubprotocols, offersSubprotocol, upgradePath } from './upgrade/upgrade-matchers';

// ALE over WebSocket (DESIGN §4; docs/specs/gateway-ws.md)
export { AleWsModule, type AleWsSeams } from './ws/ale-ws.module';
export { PES_EVENT_FEED, SITE_EVENT_BUS } from './ws/ale-ws.tokens';
export { AleWsEndpoint, type AleWsEndpointOptions, type AleWsSettings } from './ws/ale-ws-endpoint';
export { AleWsConnection, type AleWsConnectionInit, type WsConnectionContext } from './ws/connection/ale-ws-connection';
export { encryptionKeyFor } from './ws/connection/encryption-key';
export { checkUpgrade, type UpgradeCheckCore } from './ws/upgrade-check';
export { aleWsTarget, type AleWsTarget } from './ws/ws-path';
export { upgradeCredentials } from './ws/upgrade-credentials';
export { SITE_EVENT_TOPICS, type BusUnsubscribe, type SiteEventBus, type SiteEventTopic } from './ws/bus/site-event-bus';
export { MemorySiteEventBus } from './ws/bus/memory-site-event-bus';
export { RedisSiteEventBus, type RedisSiteEventBusOptions } from './ws/bus/redis-site-event-bus';
export type { FeedUnsubscribe, PesEventFeed, PesFeedEntry } from './ws/pes/pes-event-feed';
export { MemoryPesEventFeed, type PesEventSource } from './ws/pes/memory-pes-event-feed';
export { RedisPesEventFeed, type RedisPesEventFeedOptions } from './ws/pes/redis-pes-event-feed';
export { PesSubscription, type PesResumeFrom, type PesSubscriptionOptions } from './ws/pes/pes-subscription';
export {
  PES_STREAM_NAME,
  parsePesControl,
  pesErrorText,
  pesEventText,
  pesSubscribedText,
  pesUnsubscribedText,
  type PesControlError,
  type PesControlMessage,
} from './ws/pes/pes-control';
export { STREAM_START_ID, compareStreamIds, isStreamId, nextStreamId } from './ws/pes/stream-id';
export { KITCHEN_MAX_MESSAGE_BYTES, KitchenBridge, type KitchenBridgeListener, type KitchenBridgeOptions } from './ws/kitchen/kitchen-bridge';
export { SiteHub, type SiteHubContext } from './ws/site-hub';
export { GATEWAY_WS_EVENTS, WS_MESSAGE_OUTCOMES, WsTelemetry, type WsCloseCause, type WsMessageOutcome } from './ws/ws-telemetry';
export {
  ALE_WS_CLOSE_TIMEOUT_MS,
  ALE_WS_DRAIN_MS,
  ALE_WS_HEARTBEAT_TEXT,
  ALE_WS_HUB_READY_WAIT_MS,
  ALE_WS_MAX_CONNECTIONS_PER_IP_DEFAULT,
  ALE_WS_MAX_PAYLOAD_BYTES_DEFAULT,
  ALE_WS_MAX_UPGRADE_URL_LENGTH,
  ALE_WS_PERMESSAGE_DEFLATE_DEFAULT,
  ALE_WS_PING_MS_DEFAULT,
  ALE_WS_SEND_QUEUE_MAX_BYTES_DEFAULT,
  KITCHEN_BRIDGE_BACKOFF_BASE_MS,
  KITCHEN_BRIDGE_BACKOFF_MAX_MS,
  KITCHEN_BRIDGE_PENDING_MAX,
  PES_CATCH_UP_PAGE,
  PES_HANDOVER_BUFFER_MAX,
  PES_TAIL_BATCH,
  PES_TAIL_BLOCK_MS,
} from './ws/ws-limits';

// Errors: the one registry (HTTP, WebSocket and relay codes) and the one wire mapping (docs/errors.md)
export {
  GATEWAY_ERROR_CODES,
  isAleHttpCode,
  isRelayCode,
  isWsCode,
  type AleHttpCode,
  type GatewayErrorCode,
  type RelayCode,
  type WsCode,
} from './errors/gateway-error-codes';
export { GatewayError, isGatewayError } from './errors/gateway-error';
export {
  GATEWAY_OUTCOMES,
  RELAY_REFUSALS,
  WIRE_ANSWERS,
  WIRE_ERROR_CONTENT_TYPE,
  relayRefusalOf,
  upgradeRefusalOf,
  wireAnswerOf,
  wsCloseOf,
  type GatewayOutcome,
  type RelayRefusal,
  type UpgradeRefusal,
  type WireAnswer,
} from './errors/wire-answers';

// ALE verification core (DESIGN §2/§3), shared by HTTP and WebSocket
export { AleModule, KEYS_BOOT_WAIT_MS, type GatewaySeams } from './ale/ale.module';
export { GATEWAY_CLOCK, REPLAY_STORE } from './ale/ale.tokens';
export {
  AleVerifier,
  type AleInput,
  type AleVerifierOptions,
  type PlaintextRequest,
  type SealedAnswer,
  type VerifiedAle,
} from './ale/ale-verifier';
export { parseAleCredentials, type AleCredentials, type RawAleCredentials } from './ale/ale-credentials';
export { SITE_PATH_PREFIX, splitSitePath, type SitePath } from './ale/site-path';
export { SiteResolver, type AleAddress } from './ale/site-resolver';
export { KeySelector, type KeySelectorOptions, type KeyTarget } from './ale/key-selector';
export type { KeySource } from './ale/key-source';
export { GatewayKeys, type GatewayKeysListener, type GatewayKeysOptions } from './ale/gateway-keys';
export { ReplayPolicy } from './ale/replay-policy';
export { MEMORY_REPLAY_MAX_ENTRIES, MemoryReplayStore, type ReplayStore } from './ale/replay-store';
export { RedisReplayStore } from './ale/redis-replay-store';
export { FAILURE_BUDGET_MAX_TRACKED, FAILURE_BUDGET_WINDOW_MS, FailureBudget } from './ale/failure-budget';

// ALE over HTTP (DESIGN §3, §7 hot path)
export { AleHttpModule } from './http/ale-http.module';
export { AleHttpProxy, type AleHttpProxyOptions } from './http/ale-http-proxy';
export { SITE_ID_HEADER, answerHeaders, forwardRequestHeaders } from './http/forward-headers';
export { UPSTREAM_MAX_RESPONSE_BYTES, UpstreamClient, type UpstreamAnswer, type UpstreamClientOptions, type UpstreamRequest } from './http/upstream-client';
export { SITE_PLACEHOLDER, UpstreamTargets, type UpstreamTarget } from './http/upstream-target';

// Telemetry
export { GATEWAY_LATENCY_BUCKETS, GatewayMetrics, KEY_REFRESH_RESULTS, UPSTREAM_RESULTS, type UpstreamResult } from './telemetry/gateway-metrics';
export { GATEWAY_EVENTS, type GatewayEvent } from './telemetry/gateway-events';

// Terminal relay (DESIGN §5; docs/specs/relay.md, docs/protocols/sci.md)
export { RelayModule, RelayHost } from './relay/relay.module';
export {
  FORWARD_ACK_TIMEOUT_MS,
  TerminalRelay,
  type RelayRequest,
  type TerminalIdentity,
  type TerminalRelayOptions,
} from './relay/terminal-relay';
export { DEVICE_ANSWER_STATUS, type RelayAnswer } from './relay/relay-answer';
export { SYNTHESIZED_RESPONSES, type SynthesizedName, type SynthesizedResponse } from './relay/synthesized-responses';
export { TERMINAL_CLOSE } from './relay/local-terminal';
export type { TerminalEntry, TerminalHolder, TerminalRegistry } from './relay/terminal-registry';
export { MemoryTerminalRegistry } from './relay/memory-terminal-registry';
export { RedisTerminalRegistry } from './relay/redis-terminal-registry';
export type { RelayBus, RelayUnsubscribe } from './relay/relay-bus';
export { MemoryRelayBus } from './relay/memory-relay-bus';
export { RedisRelayBus } from './relay/redis-relay-bus';
export type { RelayMessage } from './relay/relay-messages';
export { RelayTelemetry } from './relay/relay-telemetry';
export { PINPAD_ID_HEADER } from './relay/terminal-admission';
export { terminalUrn } from './relay/terminal-certificate';
export { SCI_SUBPROTOCOL } from './relay/terminal-endpoint';
export { POS_HTTP_ROUTE, POS_ID_HEADER, SCI_CONTENT_TYPE } from './relay/pos-http-route';
export { PosWsEndpoint } from './relay/pos-ws-endpoint';
