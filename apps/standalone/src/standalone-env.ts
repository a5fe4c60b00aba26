import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig, type ConfigClass, type ConfigIssue } from '@pos-link/platform';
import { GatewayConfig } from '@pos-link/gateway';
import { IngressConfig } from '@pos-link/ingress';
import { KeySyncConfig } from '@pos-link/key-sync';
import { DEMO_PINPAD_ID } from './demo/demo-manifest';
import { StandaloneConfig } from './standalone-config';

/** The site of the demo (no `SITE_IDS` given): one store, also the gateway's default site. */
export const DEMO_SITE_ID = 'demo-store';
/** The integrator key id of the demo (no `INTEGRATOR_KEY_ID` given). */
export const DEMO_INTEGRATOR_KEY_ID = 'demo-integrator';

/**
 * Variables the apps may leave unset in this process (DESIGN §1, §8): no `REDIS_URL` means
 * in-memory mode; no `PORTAL_URL` (with its `PORTAL_AUTH`) / no `UPSTREAM_URL` means a simulator
 * supplies it (`extra-services.ts`). Once a Portal URL is given, its `PORTAL_AUTH` is required.
 */
export function standaloneAllowUnset(env: NodeJS.ProcessEnv): string[] {
  const allowed = ['REDIS_URL'];
  if (!isSet(env['PORTAL_URL'])) allowed.push('PORTAL_URL', 'PORTAL_AUTH');
  if (!isSet(env['UPSTREAM_URL'])) allowed.push('UPSTREAM_URL');
  return allowed;
}

/** Every config of the standalone process, validated together. */
export interface StandaloneConfigs {
  readonly standalone: StandaloneConfig;
  readonly keySync: KeySyncConfig;
  readonly gateway: GatewayConfig;
  readonly ingress: IngressConfig;
  /** True when `REDIS_URL` is unset: the apps share in-memory seams instead of Redis. */
  readonly inMemory: boolean;
}

function isSet(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}

function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Demo values for what a single box (or a first `npm start`) does not configure: one demo site and
 * demo integrator credentials, the demo terminal (`TERMINAL_SITES`, simulated Portal only), and, in in-memory mode only, a per-process key-wrap secret (nothing
 * wrapped outlives the process; with Redis the operator must set a stable one).
 */
export function demoDefaults(env: NodeJS.ProcessEnv): Record<string, string> {
  const defaults: Record<string, string> = {};
  if (!isSet(env['SITE_IDS'])) {
    defaults['SITE_IDS'] = DEMO_SITE_ID;
    if (!isSet(env['DEFAULT_SITE_ID'])) defaults['DEFAULT_SITE_ID'] = DEMO_SITE_ID;
  }
  if (!isSet(env['SITE_ID'])) {
    defaults['SITE_ID'] = (env['SITE_IDS'] ?? DEMO_SITE_ID).split(',')[0].trim() || DEMO_SITE_ID;
  }
  // The demo's terminal (device-sim) — only with the simulated Portal, so a real site never gets a
  // well-known pinpad id mapped behind the operator's back (an unmapped terminal is refused, DESIGN §5).
  if (!isSet(env['TERMINAL_SITES']) && !isSet(env['PORTAL_URL'])) {
    defaults['TERMINAL_SITES'] = `${DEMO_PINPAD_ID}=${defaults['SITE_ID'] ?? env['SITE_ID']}`;
  }
  if (!isSet(env['INTEGRATOR_KEY_ID'])) defaults['INTEGRATOR_KEY_ID'] = DEMO_INTEGRATOR_KEY_ID;
  if (!isSet(env['INTEGRATOR_SECRET_KEY'])) defaults['INTEGRATOR_SECRET_KEY'] = randomSecret();
  if (!isSet(env['REDIS_URL']) && !isSet(env['KEY_WRAP_SECRET'])) defaults['KEY_WRAP_SECRET'] = randomSecret();
  return defaults;
}

/**
 * The environment one app sees: the real environment wins, then what the simulators provide, then
 * the demo defaults; `OPS_PORT` is that app's own port.
 */
function appEnv(base: NodeJS.ProcessEnv, provided: Record<string, string>, opsPort: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...provided };
  for (const [name, value] of Object.entries(base)) if (isSet(value)) env[name] = value;
  env['OPS_PORT'] = String(opsPort);
  return env;
}

/**
 * Loads and validates the standalone config and the three app configs from one environment,
 * reporting every problem of every app at once (each distinct line once) in one `ConfigError`.
 *
 * @param env the process environment
 * @param provided variables supplied by started simulators (e.g. `PORTAL_URL`); real settings win
 */
export function loadStandaloneConfigs(env: NodeJS.ProcessEnv, provided: Record<string, string> = {}): StandaloneConfigs {
  const issues = new Map<string, ConfigIssue>();
  const attempt = <T extends object>(load: () => T, fallback: () => T): T => {
    try {
      return load();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      for (const issue of error.issues) issues.set(issue.message, issue);
      return fallback();
    }
  };
  const standalone = attempt(
    () => loadConfig(StandaloneConfig, env),
    () => new StandaloneConfig(),
  );
  const withDemo = { ...demoDefaults(env), ...provided };
  const loadApp = <T extends object>(configClass: ConfigClass<T>, opsPort: number): T => {
    const appVars = appEnv(env, withDemo, opsPort);
    return attempt(
      () => loadConfig(configClass, appVars, { allowUnset: standaloneAllowUnset(appVars) }),
      () => new configClass(),
    );
  };
  const keySync = loadApp(KeySyncConfig, standalone.keySyncOpsPort);
  const gateway = loadApp(GatewayConfig, standalone.gatewayOpsPort);
  const ingress = loadApp(IngressConfig, standalone.ingressOpsPort);
  if (issues.size > 0) throw new ConfigError('standalone', [...issues.values()]);
  return { standalone, keySync, gateway, ingress, inMemory: !isSet(env['REDIS_URL']) };
}
