import { ArrayNotEmpty, IsBoolean, IsIn, IsOptional, IsString, Matches, MinLength, ValidateIf } from 'class-validator';
import { ALE_SUITE_NAMES, type AleSuiteName } from '@pos-link/crypto';
import { EnvVar, IsIntInRange, IsPort, IsUrlWithProtocols } from '@pos-link/platform';
import { KeyedServiceConfig } from '@pos-link/keyring';
import {
  ALE_WS_MAX_CONNECTIONS_PER_IP_DEFAULT,
  ALE_WS_MAX_PAYLOAD_BYTES_DEFAULT,
  ALE_WS_PERMESSAGE_DEFLATE_DEFAULT,
  ALE_WS_PING_MS_DEFAULT,
  ALE_WS_SEND_QUEUE_MAX_BYTES_DEFAULT,
} from './ws/ws-limits';

/** Connections per kitchen origin: beyond a few thousand a misconfiguration, not a pool. */
const MAX_UPSTREAM_CONNECTIONS = 10_000;

/** HTTP timeouts: 100 ms lets tests exercise them; over an hour is a misconfiguration. */
const MIN_HTTP_TIMEOUT_MS = 100;
const MAX_HTTP_TIMEOUT_MS = 3_600_000;


/**
 * The secure-gateway's configuration (DESIGN §8): every variable, its default and its rule, read
 * once at boot by `loadConfig(GatewayConfig)`.
 */
export class GatewayConfig extends KeyedServiceConfig {
  /** `OPS_PORT`, default 9080 (DESIGN §8). */
  override opsPort = 9080;

  /** `HTTP_HOST`. */
  @EnvVar({ name: 'HTTP_HOST', doc: 'Address the public HTTP/WebSocket listener binds to.' })
  @IsString()
  @MinLength(1)
  httpHost = '0.0.0.0';

  /** `HTTP_PORT`. */
  @EnvVar({ name: 'HTTP_PORT', kind: 'integer', doc: 'The public HTTP/WebSocket port.' })
  @IsPort()
  httpPort = 8080;

  /**
   * `UPSTREAM_URL`; `undefined` only in the standalone process, where the kitchen simulator
   * supplies it (DESIGN §1).
   */
  @EnvVar({
    name: 'UPSTREAM_URL',
    kind: 'url',
    doc: "The kitchen's REST base URL; {site} is replaced by the site id. Standalone mode: unset starts the kitchen simulator.",
  })
  @IsUrlWithProtocols(['http', 'https'])
  upstreamUrl?: string;

  /** `UPSTREAM_WS_URL`; unset = no kitchen WebSocket bridge (DESIGN §4). */
  @EnvVar({
    name: 'UPSTREAM_WS_URL',
    kind: 'url',
    doc: "The kitchen's WebSocket URL ({site} replaced); unset means no bridge.",
  })
  @IsOptional()
  @IsUrlWithProtocols(['ws', 'wss'])
  upstreamWsUrl?: string;

  /** `DEFAULT_SITE_ID`. */
  @EnvVar({ name: 'DEFAULT_SITE_ID', kind: 'string', doc: 'The site of requests that address none (single-store deployments).' })
  @IsOptional()
  @IsString()
  defaultSiteId?: string;

  /** `ALE_SUITES`. */
  @EnvVar({
    name: 'ALE_SUITES',
    kind: 'list',
    doc: 'Allowed ALE suites, comma-separated; the first is used when a request names none (aes-256-cbc is opt-in for legacy clients).',
  })
  @ArrayNotEmpty()
  @IsIn(ALE_SUITE_NAMES, { each: true })
  aleSuites: AleSuiteName[] = ['aes-256-gcm'];

  /** `ALE_REPLAY_WINDOW_MS`. */
  @EnvVar({
    name: 'ALE_REPLAY_WINDOW_MS',
    kind: 'integer',
    doc: 'Replay protection window: sec-timestamp within ± this, each (fingerprint, iv) once; 0 = off (DESIGN §3).',
  })
  @IsIntInRange(0)
  aleReplayWindowMs = 0;

  /** `ALE_REPLAY_WINDOW_SITES`: per-site overrides of `ALE_REPLAY_WINDOW_MS`. */
  @EnvVar({
    name: 'ALE_REPLAY_WINDOW_SITES',
    kind: 'list',
    doc: 'Per-site replay windows overriding ALE_REPLAY_WINDOW_MS, comma-separated siteId=milliseconds pairs (0 turns protection off for that site).',
  })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}=[0-9]{1,15}$/, { each: true, message: 'must be comma-separated siteId=milliseconds pairs' })
  aleReplayWindowSites: string[] = [];

  /** `ALE_REQUIRE_AUTHORIZATION`. */
  @EnvVar({ name: 'ALE_REQUIRE_AUTHORIZATION', kind: 'boolean', doc: 'Refuse ALE requests without an authorization header (errorCode 1).' })
  @IsBoolean({ message: 'must be true or false' })
  aleRequireAuthorization = false;

  /** `ALE_REFRESH_WAIT_MS`. */
  @EnvVar({
    name: 'ALE_REFRESH_WAIT_MS',
    kind: 'integer',
    doc: 'How long a request with an unknown fingerprint waits for the on-demand key refresh (DESIGN §3).',
  })
  @IsIntInRange(0)
  aleRefreshWaitMs = 1500;

  /** `ALE_MAX_BODY_BYTES`. */
  @EnvVar({ name: 'ALE_MAX_BODY_BYTES', kind: 'integer', doc: 'Largest request body accepted (413 payload_too_large above).' })
  @IsIntInRange(1)
  aleMaxBodyBytes = 1_048_576;

  /** `UPSTREAM_TIMEOUT_MS`. */
  @EnvVar({ name: 'UPSTREAM_TIMEOUT_MS', kind: 'integer', doc: 'Deadline of a kitchen request (504 upstream_timeout after).' })
  @IsIntInRange(1)
  upstreamTimeoutMs = 10_000;

  /** `UPSTREAM_CONNECTIONS`. */
  @EnvVar({
    name: 'UPSTREAM_CONNECTIONS',
    kind: 'integer',
    doc: 'Connections the gateway keeps open per kitchen origin (one undici pool per origin); more requests queue.',
  })
  @IsIntInRange(1, MAX_UPSTREAM_CONNECTIONS)
  upstreamConnections = 128;

  /** `HTTP_HEADERS_TIMEOUT_MS`. */
  @EnvVar({
    name: 'HTTP_HEADERS_TIMEOUT_MS',
    kind: 'integer',
    doc: 'A client must send its complete request headers within this long (slowloris guard; 408 and close after).',
  })
  @IsIntInRange(MIN_HTTP_TIMEOUT_MS, MAX_HTTP_TIMEOUT_MS)
  httpHeadersTimeoutMs = 10_000;

  /** `HTTP_REQUEST_TIMEOUT_MS`. */
  @EnvVar({
    name: 'HTTP_REQUEST_TIMEOUT_MS',
    kind: 'integer',
    doc: 'A client must send its whole request (headers and body) within this long (408 and close after); at least HTTP_HEADERS_TIMEOUT_MS.',
  })
  @IsIntInRange(MIN_HTTP_TIMEOUT_MS, MAX_HTTP_TIMEOUT_MS)
  httpRequestTimeoutMs = 30_000;

  /** `HTTP_KEEP_ALIVE_TIMEOUT_MS`. */
  @EnvVar({
    name: 'HTTP_KEEP_ALIVE_TIMEOUT_MS',
    kind: 'integer',
    doc: 'An idle keep-alive client connection is closed after this long.',
  })
  @IsIntInRange(MIN_HTTP_TIMEOUT_MS, MAX_HTTP_TIMEOUT_MS)
  httpKeepAliveTimeoutMs = 72_000;

  /** `ALE_FAILURE_BUDGET`. */
  @EnvVar({
    name: 'ALE_FAILURE_BUDGET',
    kind: 'integer',
    doc: 'Decryption failures allowed per source address per minute before 429 too_many_failures.',
  })
  @IsIntInRange(1)
  aleFailureBudget = 30;

  /** `ALE_WS_HEARTBEAT_MS`. */
  @EnvVar({ name: 'ALE_WS_HEARTBEAT_MS', kind: 'integer', doc: 'Interval of the encrypted isAlive? heartbeat to WebSocket clients (DESIGN §4).' })
  @IsIntInRange(1)
  aleWsHeartbeatMs = 1000;

  /** `ALE_WS_MAX_PAYLOAD_BYTES` (see `ALE_WS_MAX_PAYLOAD_BYTES_DEFAULT` for the reason). */
  @EnvVar({
    name: 'ALE_WS_MAX_PAYLOAD_BYTES',
    kind: 'integer',
    doc: 'Largest ALE WebSocket message a client may send (the whole envelope); larger closes with 1009 (DESIGN §4).',
  })
  @IsIntInRange(1)
  aleWsMaxPayloadBytes = ALE_WS_MAX_PAYLOAD_BYTES_DEFAULT;

  /** `ALE_WS_SEND_QUEUE_MAX_BYTES`. */
  @EnvVar({
    name: 'ALE_WS_SEND_QUEUE_MAX_BYTES',
    kind: 'integer',
    doc: 'Bytes an ALE WebSocket may have queued for sending; a client that falls further behind is closed with 1013 (DESIGN §4).',
  })
  @IsIntInRange(1)
  aleWsSendQueueMaxBytes = ALE_WS_SEND_QUEUE_MAX_BYTES_DEFAULT;

  /** `ALE_WS_MAX_CONNECTIONS_PER_IP`. */
  @EnvVar({
    name: 'ALE_WS_MAX_CONNECTIONS_PER_IP',
    kind: 'integer',
    doc: 'Open ALE WebSocket connections (and pending upgrades) per source address and replica; more get 429. 0 = no limit.',
  })
  @IsIntInRange(0)
  aleWsMaxConnectionsPerIp = ALE_WS_MAX_CONNECTIONS_PER_IP_DEFAULT;

  /** `ALE_WS_PING_MS`. */
  @EnvVar({
    name: 'ALE_WS_PING_MS',
    kind: 'integer',
    doc: 'WebSocket ping period; a client (or kitchen bridge) that has not answered the previous ping is dropped.',
  })
  @IsIntInRange(1)
  aleWsPingMs = ALE_WS_PING_MS_DEFAULT;

  /** `ALE_WS_PERMESSAGE_DEFLATE`. */
  @EnvVar({
    name: 'ALE_WS_PERMESSAGE_DEFLATE',
    kind: 'boolean',
    doc: 'Offer permessage-deflate on the ALE WebSocket (off by default: ciphertext does not compress, zlib costs memory per socket).',
  })
  @IsBoolean({ message: 'must be true or false' })
  aleWsPermessageDeflate = ALE_WS_PERMESSAGE_DEFLATE_DEFAULT;

  /** `TERMINAL_SITES`: `pinpadId=siteId` pairs. */
  @EnvVar({
    name: 'TERMINAL_SITES',
    kind: 'list',
    doc: 'Payment terminals and their sites, comma-separated pinpadId=siteId pairs (DESIGN §5); an unmapped terminal is refused.',
  })
  @Matches(/^[^=\s]+=[^=\s]+$/, { each: true, message: 'must be comma-separated pinpadId=siteId pairs' })
  terminalSites: string[] = [];

  // ── Terminal relay (DESIGN §5, docs/specs/relay.md) ────────────────────────────────────────────

  /** `TERMINAL_PATH`. */
  @EnvVar({ name: 'TERMINAL_PATH', doc: 'Path payment terminals connect on (Sec-WebSocket-Protocol: sci; seed 002 uses /).' })
  @Matches(/^\/[^\s?#]*$/, { message: 'must be an absolute path without spaces or a query' })
  terminalPath = '/';

  /** `TERMINAL_PORT`. */
  @EnvVar({
    name: 'TERMINAL_PORT',
    kind: 'integer',
    doc: 'TLS (wss) listener for payment terminals, opened only when TLS_CERT and TLS_KEY are set; terminals are then refused on HTTP_PORT.',
  })
  @IsPort()
  terminalPort = 8443;

  /** `TLS_CERT`: a PEM file. */
  @EnvVar({ name: 'TLS_CERT', kind: 'string', doc: "PEM file of the gateway's certificate chain for TERMINAL_PORT (with TLS_KEY)." })
  @ValidateIf((c: GatewayConfig) => c.tlsCert !== undefined || c.tlsKey !== undefined || c.terminalTlsCa !== undefined)
  @IsString({ message: 'is required with TLS_KEY and TERMINAL_TLS_CA' })
  @MinLength(1)
  tlsCert?: string;

  /** `TLS_KEY`: a PEM file. */
  @EnvVar({ name: 'TLS_KEY', kind: 'string', doc: 'PEM file of the private key of TLS_CERT.' })
  @ValidateIf((c: GatewayConfig) => c.tlsCert !== undefined || c.tlsKey !== undefined || c.terminalTlsCa !== undefined)
  @IsString({ message: 'is required with TLS_CERT and TERMINAL_TLS_CA' })
  @MinLength(1)
  tlsKey?: string;

  /** `TERMINAL_TLS_CA`: a PEM file; set = mutual TLS. */
  @EnvVar({
    name: 'TERMINAL_TLS_CA',
    kind: 'string',
    doc: 'PEM file of the CA that signs terminal certificates: mutual TLS on TERMINAL_PORT, the certificate must name the pinpad id.',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  terminalTlsCa?: string;

  /** `TERMINAL_PING_INTERVAL_MS`. */
  @EnvVar({
    name: 'TERMINAL_PING_INTERVAL_MS',
    kind: 'integer',
    doc: "Ping interval to terminals (SCA's WEBSOCKETPINGINTERVAL); a terminal silent for two intervals is evicted.",
  })
  @IsIntInRange(100)
  terminalPingIntervalMs = 45_000;

  /** `RELAY_REQUEST_TIMEOUT_MS`. */
  @EnvVar({
    name: 'RELAY_REQUEST_TIMEOUT_MS',
    kind: 'integer',
    doc: 'How long a POS request waits for the terminal (card payments wait on the cardholder); then RESULT_CODE 59021, HTTP 504.',
  })
  @IsIntInRange(100)
  relayRequestTimeoutMs = 120_000;

  /** `RELAY_SESSION_IDLE_MS`. */
  @EnvVar({
    name: 'RELAY_SESSION_IDLE_MS',
    kind: 'integer',
    doc: 'A terminal session (SESSION/START) without requests for this long loses its owning POS.',
  })
  @IsIntInRange(100)
  relaySessionIdleMs = 300_000;

  /** `RELAY_MAX_XML_BYTES`. */
  @EnvVar({ name: 'RELAY_MAX_XML_BYTES', kind: 'integer', doc: 'Largest SCI document relayed, either way (RESULT_CODE 59024 above).' })
  @IsIntInRange(256)
  relayMaxXmlBytes = 65_536;

  /** `RELAY_REGISTRY_TTL_MS`. */
  @EnvVar({
    name: 'RELAY_REGISTRY_TTL_MS',
    kind: 'integer',
    doc: "Lifetime of a terminal's registry entry (terminal → replica) in Redis, refreshed every third of it while connected.",
  })
  @IsIntInRange(300)
  relayRegistryTtlMs = 30_000;
}
