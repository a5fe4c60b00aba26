import type { PortalSimKey } from './sim-key';

/** Default `Authorization` value the simulator requires (override it; `PORTAL_AUTH` in the CLI). */
export const DEFAULT_PORTAL_SIM_AUTH = 'Bearer portal-sim';

/** Default rotation interval: hourly keeps a demo lively without churning key-sync. */
export const DEFAULT_ROTATION_MS = 3_600_000;

/** Default overlap: the previous key stays valid 10 minutes after the next takes over (seed 001). */
export const DEFAULT_OVERLAP_MS = 600_000;

/** Key period when automatic rotation is off (`rotationMs: 0`): a day, like a manual Portal. */
export const DEFAULT_KEY_PERIOD_MS = 86_400_000;

/** The service entry served by default: Enterprise Kitchen's `XKM` (seed 001). */
export const DEFAULT_SERVICE = 'XKM';

/** One simulated site. */
export interface PortalSimSiteOptions {
  /** The site id in `GET /sites/:siteId`. */
  readonly siteId: string;
  /** The `encryption` flag (default true). */
  readonly encryption?: boolean;
  /** Explicit initial keys (deterministic tests); default: a generated previous + current pair. */
  readonly keys?: readonly PortalSimKey[];
  /** Display name (default `Restaurant <n>`). */
  readonly name?: string;
}

/** Options of `startPortalSim`. */
export interface PortalSimOptions {
  /** TCP port (default 0: an ephemeral port; read it back from `url`/`port`). */
  readonly port?: number;
  /** Listen address (default `127.0.0.1`: nothing beyond loopback unless asked). */
  readonly host?: string;
  /** The exact `Authorization` value `GET /sites/:id` requires (default `Bearer portal-sim`). */
  readonly auth?: string;
  /** When set, `/admin/*` requires this `Authorization` value too (default: admin routes are open). */
  readonly adminAuth?: string;
  /** The sites: ids, or full options. */
  readonly sites: ReadonlyArray<string | PortalSimSiteOptions>;
  /** The security-field entry name (default `XKM`). */
  readonly service?: string;
  /** Automatic rotation interval in ms; 0 turns the timer off (rotate through the API). Default 1 h. */
  readonly rotationMs?: number;
  /** How long the previous key stays valid after a rotation (default 10 min). */
  readonly overlapMs?: number;
  /** How long before its `valid_after` a new key is listed (default 0). */
  readonly leadMs?: number;
  /** Makes every generated value and fingerprint reproducible. */
  readonly seed?: string;
  /** Time source for validity (default `Date.now`); the rotation timer still runs on real time. */
  readonly clock?: () => number;
}

/** Options with defaults applied and checked. */
export interface ResolvedPortalSimOptions {
  readonly port: number;
  readonly host: string;
  readonly auth: string;
  readonly adminAuth: string | undefined;
  readonly sites: readonly PortalSimSiteOptions[];
  readonly service: string;
  readonly rotationMs: number;
  readonly overlapMs: number;
  readonly leadMs: number;
  readonly seed: string | undefined;
  readonly clock: () => number;
}

/** URL-safe site ids, the same rule pos-link uses. */
const SITE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$/;

function nonNegativeInteger(value: number | undefined, fallback: number, name: string): number {
  const resolved = value ?? fallback;
  if (!Number.isInteger(resolved) || resolved < 0) throw new TypeError(`${name} must be an integer >= 0`);
  return resolved;
}

/**
 * Applies defaults and checks every option.
 * @throws TypeError naming the bad option
 */
export function resolveOptions(options: PortalSimOptions): ResolvedPortalSimOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  const sites = (options.sites ?? []).map((site) => (typeof site === 'string' ? { siteId: site } : site));
  if (sites.length === 0) throw new TypeError('sites must name at least one site');
  const seen = new Set<string>();
  for (const site of sites) {
    if (!SITE_ID_PATTERN.test(site.siteId)) throw new TypeError(`site id "${site.siteId}" is not URL-safe`);
    if (seen.has(site.siteId)) throw new TypeError(`site id "${site.siteId}" is repeated`);
    seen.add(site.siteId);
  }
  const auth = options.auth ?? DEFAULT_PORTAL_SIM_AUTH;
  if (typeof auth !== 'string' || auth.length === 0) throw new TypeError('auth must be a non-empty string');
  const service = options.service ?? DEFAULT_SERVICE;
  if (typeof service !== 'string' || service.length === 0) throw new TypeError('service must be a non-empty string');
  const port = nonNegativeInteger(options.port, 0, 'port');
  if (port > 65535) throw new TypeError('port must be <= 65535');
  return {
    port,
    host: options.host ?? '127.0.0.1',
    auth,
    adminAuth: options.adminAuth,
    sites,
    service,
    rotationMs: nonNegativeInteger(options.rotationMs, DEFAULT_ROTATION_MS, 'rotationMs'),
    overlapMs: nonNegativeInteger(options.overlapMs, DEFAULT_OVERLAP_MS, 'overlapMs'),
    leadMs: nonNegativeInteger(options.leadMs, 0, 'leadMs'),
    seed: options.seed,
    clock: options.clock ?? Date.now,
  };
}
