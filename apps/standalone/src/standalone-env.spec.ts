import { ConfigError } from '@pos-link/platform';
import { DEMO_INTEGRATOR_KEY_ID, DEMO_SITE_ID, demoDefaults, loadStandaloneConfigs } from './standalone-env';

describe('loadStandaloneConfigs', () => {
  it('with an empty environment: in-memory mode, demo site and credentials, per-app ops ports', () => {
    const configs = loadStandaloneConfigs({});
    expect(configs.inMemory).toBe(true);
    expect(configs.keySync).toMatchObject({ opsPort: 9081, siteIds: [DEMO_SITE_ID], redisUrl: undefined, portalUrl: undefined });
    expect(configs.gateway).toMatchObject({ opsPort: 9080, defaultSiteId: DEMO_SITE_ID, upstreamUrl: undefined });
    expect(configs.ingress).toMatchObject({ opsPort: 9082, siteId: DEMO_SITE_ID, integratorKeyId: DEMO_INTEGRATOR_KEY_ID });
    // one per-process wrap secret for all three apps (in-memory only)
    expect(configs.gateway.keyWrapSecret).toHaveLength(43);
    expect(configs.keySync.keyWrapSecret).toBe(configs.gateway.keyWrapSecret);
    expect(configs.ingress.keyWrapSecret).toBe(configs.gateway.keyWrapSecret);
  });

  it('real settings win over demo values and simulator-provided ones', () => {
    const configs = loadStandaloneConfigs(
      { SITE_IDS: 'a,b', PORTAL_URL: 'http://real-portal', GATEWAY_OPS_PORT: '0' },
      { PORTAL_URL: 'http://127.0.0.1:4000', PORTAL_AUTH: 'sim-auth', UPSTREAM_URL: 'http://127.0.0.1:4001/{site}' },
    );
    expect(configs.keySync).toMatchObject({ siteIds: ['a', 'b'], portalUrl: 'http://real-portal', portalAuth: 'sim-auth' });
    expect(configs.gateway).toMatchObject({ opsPort: 0, upstreamUrl: 'http://127.0.0.1:4001/{site}' });
    expect(configs.gateway.defaultSiteId).toBeUndefined();
    expect(configs.ingress.siteId).toBe('a');
  });

  it('a given PORTAL_URL needs its PORTAL_AUTH (only the simulator supplies both)', () => {
    expect(() => loadStandaloneConfigs({ PORTAL_URL: 'https://portal.example' })).toThrow(/PORTAL_AUTH: is required \(not set\)/);
  });

  it('with REDIS_URL set, KEY_WRAP_SECRET must be given (wrapped keys outlive the process)', () => {
    expect(() => loadStandaloneConfigs({ REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(
      /KEY_WRAP_SECRET: is required \(not set\)/,
    );
    const configs = loadStandaloneConfigs({ REDIS_URL: 'redis://127.0.0.1:6379', KEY_WRAP_SECRET: 'w'.repeat(32) });
    expect(configs.inMemory).toBe(false);
  });

  it('collects the problems of all four configs into one ConfigError, each line once', () => {
    let error: ConfigError | undefined;
    try {
      loadStandaloneConfigs({ OPS_PORT: '1', KEYSYNC_OPS_PORT: 'x', LOG_LEVEL: 'loud', HTTP_PORT: '-1' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.issues.map((i) => i.message)).toEqual([
      'LOG_LEVEL: must be one of the following values: fatal, error, warn, info, debug, trace, silent (got "loud")',
      'KEYSYNC_OPS_PORT: must be an integer 0..65535 (got "x")',
      'OPS_PORT: is not used in standalone mode: set KEYSYNC_OPS_PORT, GATEWAY_OPS_PORT and INGRESS_OPS_PORT (got "1")',
      'HTTP_PORT: must be an integer 0..65535 (got "-1")',
    ]);
  });
});

describe('demoDefaults', () => {
  it('fills only what is unset (empty counts as unset)', () => {
    const defaults = demoDefaults({ SITE_IDS: '', INTEGRATOR_KEY_ID: 'mine', KEY_WRAP_SECRET: 'w'.repeat(32) });
    expect(defaults).toMatchObject({ SITE_IDS: DEMO_SITE_ID, SITE_ID: DEMO_SITE_ID, DEFAULT_SITE_ID: DEMO_SITE_ID });
    expect(defaults).not.toHaveProperty('INTEGRATOR_KEY_ID');
    expect(defaults).not.toHaveProperty('KEY_WRAP_SECRET');
    expect(defaults['INTEGRATOR_SECRET_KEY']).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('maps the demo terminal to the demo site only when the Portal is the simulator', () => {
    expect(demoDefaults({})['TERMINAL_SITES']).toBe('demo-pinpad=demo-store');
    expect(demoDefaults({ SITE_ID: 's9' })['TERMINAL_SITES']).toBe('demo-pinpad=s9');
    expect(demoDefaults({ PORTAL_URL: 'https://portal.example' })).not.toHaveProperty('TERMINAL_SITES');
    expect(demoDefaults({ TERMINAL_SITES: 'p1=s1' })).not.toHaveProperty('TERMINAL_SITES');
    expect(loadStandaloneConfigs({}).gateway.terminalSites).toEqual(['demo-pinpad=demo-store']);
  });
});
