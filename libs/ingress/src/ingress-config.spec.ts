import { ConfigError, describeConfig, loadConfig } from '@pos-link/platform';
import { IngressConfig } from './ingress-config';

const REQUIRED = {
  REDIS_URL: 'redis://127.0.0.1:6379',
  KEY_WRAP_SECRET: 'k'.repeat(32),
  SITE_ID: 's1',
  INTEGRATOR_KEY_ID: 'key-1',
  INTEGRATOR_SECRET_KEY: 'integrator-secret-value',
};

describe('IngressConfig', () => {
  it('declares every event-stream-ingress variable of DESIGN §8 and the §6 limits', () => {
    expect(describeConfig(IngressConfig).map((row) => row.name)).toEqual([
      'LOG_LEVEL',
      'DRAIN_TIMEOUT_MS',
      'OPS_HOST',
      'OPS_PORT',
      'REDIS_URL',
      'REDIS_PREFIX',
      'KEY_WRAP_SECRET',
      'KEY_SKEW_MS',
      'KEY_GRACE_MS',
      'PES_HOST',
      'PES_PORT',
      'SITE_ID',
      'INTEGRATOR_KEY_ID',
      'INTEGRATOR_SECRET_KEY',
      'PES_OAEP_HASH',
      'PES_CIPHER',
      'PES_MAX_FRAME_BYTES',
      'PES_DEDUPE_TTL_S',
      'PES_HANDSHAKE_TIMEOUT_MS',
      'PES_IDLE_TIMEOUT_MS',
      'PES_MAX_CONNECTIONS',
      'PES_MAX_IN_FLIGHT',
    ]);
  });

  it('has the defaults DESIGN §6 and §8 give', () => {
    expect({ ...loadConfig(IngressConfig, REQUIRED) }).toMatchObject({
      opsPort: 9082,
      pesPort: 5555,
      pesOaepHash: 'sha256',
      pesCipher: 'aes-256-gcm',
      pesMaxFrameBytes: 1_048_576,
      pesDedupeTtlS: 86_400,
      pesHandshakeTimeoutMs: 10_000,
      pesIdleTimeoutMs: 300_000,
      pesMaxConnections: 10_000,
      pesMaxInFlight: 64,
    });
  });

  it('refuses unknown OAEP hashes and ciphers, and never shows INTEGRATOR_SECRET_KEY', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig(IngressConfig, { ...REQUIRED, PES_OAEP_HASH: 'md5', PES_CIPHER: 'rc4', INTEGRATOR_SECRET_KEY: '' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.issues.map((i) => i.name)).toEqual(['INTEGRATOR_SECRET_KEY', 'PES_OAEP_HASH', 'PES_CIPHER']);
    expect(error?.message).not.toContain('integrator-secret-value');
  });
});
