import { ConfigError, describeConfig, loadConfig } from '@pos-link/platform';
import { GatewayConfig } from './gateway-config';

const REQUIRED = {
  REDIS_URL: 'redis://127.0.0.1:6379',
  KEY_WRAP_SECRET: 'k'.repeat(32),
  UPSTREAM_URL: 'http://kitchen/{site}',
};

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(GatewayConfig, { ...REQUIRED, ...env });
  } catch (error) {
    return (error as ConfigError).issues.map((i) => i.message);
  }
  return [];
}

describe('GatewayConfig', () => {
  it('declares every secure-gateway variable of DESIGN §8 (plus LOG_LEVEL, DRAIN_TIMEOUT_MS, OPS_HOST, HTTP_HOST)', () => {
    expect(describeConfig(GatewayConfig).map((row) => row.name)).toEqual([
      'LOG_LEVEL',
      'DRAIN_TIMEOUT_MS',
      'OPS_HOST',
      'OPS_PORT',
      'REDIS_URL',
      'REDIS_PREFIX',
      'KEY_WRAP_SECRET',
      'KEY_SKEW_MS',
      'KEY_GRACE_MS',
      'HTTP_HOST',
      'HTTP_PORT',
      'UPSTREAM_URL',
      'UPSTREAM_WS_URL',
      'DEFAULT_SITE_ID',
      'ALE_SUITES',
      'ALE_REPLAY_WINDOW_MS',
      'ALE_REPLAY_WINDOW_SITES',
      'ALE_REQUIRE_AUTHORIZATION',
      'ALE_REFRESH_WAIT_MS',
      'ALE_MAX_BODY_BYTES',
      'UPSTREAM_TIMEOUT_MS',
      'UPSTREAM_CONNECTIONS',
      'HTTP_HEADERS_TIMEOUT_MS',
      'HTTP_REQUEST_TIMEOUT_MS',
      'HTTP_KEEP_ALIVE_TIMEOUT_MS',
      'ALE_FAILURE_BUDGET',
      'ALE_WS_HEARTBEAT_MS',
      'ALE_WS_MAX_PAYLOAD_BYTES',
      'ALE_WS_SEND_QUEUE_MAX_BYTES',
      'ALE_WS_MAX_CONNECTIONS_PER_IP',
      'ALE_WS_PING_MS',
      'ALE_WS_PERMESSAGE_DEFLATE',
      'TERMINAL_SITES',
      'TERMINAL_PATH',
      'TERMINAL_PORT',
      'TLS_CERT',
      'TLS_KEY',
      'TERMINAL_TLS_CA',
      'TERMINAL_PING_INTERVAL_MS',
      'RELAY_REQUEST_TIMEOUT_MS',
      'RELAY_SESSION_IDLE_MS',
      'RELAY_MAX_XML_BYTES',
      'RELAY_REGISTRY_TTL_MS',
    ]);
  });

  it('has the defaults DESIGN §3, §4 and §8 give', () => {
    const config = loadConfig(GatewayConfig, REQUIRED);
    expect({ ...config }).toMatchObject({
      opsPort: 9080,
      httpPort: 8080,
      redisPrefix: 'poslink',
      aleSuites: ['aes-256-gcm'],
      aleReplayWindowMs: 0,
      aleRequireAuthorization: false,
      aleRefreshWaitMs: 1500,
      aleMaxBodyBytes: 1_048_576,
      upstreamTimeoutMs: 10_000,
      aleFailureBudget: 30,
      aleWsHeartbeatMs: 1000,
      keySkewMs: 60_000,
      keyGraceMs: 60_000,
      terminalSites: [],
    });
    expect(config.upstreamWsUrl).toBeUndefined();
    expect(config.defaultSiteId).toBeUndefined();
  });

  it('requires REDIS_URL, KEY_WRAP_SECRET and UPSTREAM_URL when running on its own', () => {
    expect(() => loadConfig(GatewayConfig, {})).toThrow(ConfigError);
    const names = (() => {
      try {
        loadConfig(GatewayConfig, {});
      } catch (error) {
        return (error as ConfigError).issues.map((i) => i.name);
      }
      return [];
    })();
    expect(names).toEqual(['REDIS_URL', 'KEY_WRAP_SECRET', 'UPSTREAM_URL']);
  });

  it('validates suites, URLs, pairs and the wrap secret length without showing the secret', () => {
    expect(
      problems({
        ALE_SUITES: 'aes-256-cbc,des',
        UPSTREAM_WS_URL: 'http://kitchen/ws',
        TERMINAL_SITES: 'pp1=s1,pp2',
        KEY_WRAP_SECRET: 'too-short-secret',
        ALE_REQUIRE_AUTHORIZATION: 'yes',
      }),
    ).toEqual([
      'KEY_WRAP_SECRET: must be longer than or equal to 32 characters (value not shown: secret)',
      'UPSTREAM_WS_URL: must be a ws:// or wss:// URL (got "http://kitchen/ws")',
      'ALE_SUITES: each value in aleSuites must be one of the following values: aes-256-gcm, aes-256-cbc (got "aes-256-cbc,des")',
      'ALE_REQUIRE_AUTHORIZATION: must be true or false (got "yes")',
      'TERMINAL_SITES: must be comma-separated pinpadId=siteId pairs (got "pp1=s1,pp2")',
    ]);
  });
});
