/**
 * Where the CLI gets its key: `--key-value`/`--fingerprint` (or `ALE_KEY_VALUE`/`ALE_FINGERPRINT`), or the
 * Portal (`--portal URL --portal-auth X --site ID`, or `PORTAL_URL`/`PORTAL_AUTH`). Prefer the environment
 * for secrets: command lines are visible to every user of the machine (`ps`).
 */
import { DEFAULT_PORTAL_SERVICE } from '@pos-link/keyring';
import { AleClientError } from './errors';
import { CliUsageError, type CliIo } from './cli-io';
import { fetchPortalKeys } from './portal-keys';

/** The key flags every command takes (parseArgs option descriptors). */
export const KEY_OPTIONS = {
  'key-value': { type: 'string' },
  fingerprint: { type: 'string' },
  portal: { type: 'string' },
  'portal-auth': { type: 'string' },
  site: { type: 'string' },
  service: { type: 'string' },
} as const;

/** The key flags' values. */
export interface KeyFlags {
  readonly 'key-value'?: string;
  readonly fingerprint?: string;
  readonly portal?: string;
  readonly 'portal-auth'?: string;
  readonly site?: string;
  readonly service?: string;
}

/** The key to use and every key held. */
export interface ResolvedKeys {
  /** The fingerprint to encrypt (or decrypt) with. */
  readonly fingerprint: string;
  /** Its value. */
  readonly keyValue: string;
  /** Every key held, fingerprint → value (answers may come under either during a rotation). */
  readonly keys: Readonly<Record<string, string>>;
}

/** The `--help` section about keys. */
export const KEY_HELP = `Key (one of):
  --key-value <v> --fingerprint <f>   the key (env ALE_KEY_VALUE, ALE_FINGERPRINT; prefer env for the value)
  --portal <url> --site <id>          fetch the site's keys from the Portal (env PORTAL_URL)
    --portal-auth <value>             the Portal's Authorization value (env PORTAL_AUTH)
    --service <name>                  security entry to read (default ${DEFAULT_PORTAL_SERVICE})
    --fingerprint <f>                 use this listed key instead of the current one`;

/**
 * Resolves the key from flags, environment or the Portal.
 * @throws CliUsageError when no complete key source is given
 * @throws AleClientError when the Portal fails or lists no usable key
 */
export async function resolveKeys(flags: KeyFlags, io: CliIo): Promise<ResolvedKeys> {
  const keyValue = flags['key-value'] ?? io.env['ALE_KEY_VALUE'];
  const fingerprintFlag = flags.fingerprint ?? io.env['ALE_FINGERPRINT'];
  if (keyValue !== undefined && keyValue !== '') {
    if (fingerprintFlag === undefined || fingerprintFlag === '') throw new CliUsageError('--fingerprint (or ALE_FINGERPRINT) is required with a key value');
    return { fingerprint: fingerprintFlag, keyValue, keys: { [fingerprintFlag]: keyValue } };
  }
  const portalUrl = flags.portal ?? io.env['PORTAL_URL'];
  if (portalUrl === undefined || portalUrl === '') {
    throw new CliUsageError('no key: give --key-value and --fingerprint (or ALE_KEY_VALUE/ALE_FINGERPRINT), or --portal with --site');
  }
  const siteId = flags.site;
  if (siteId === undefined || siteId === '') throw new CliUsageError('--site is required with --portal');
  const auth = flags['portal-auth'] ?? io.env['PORTAL_AUTH'];
  if (auth === undefined || auth === '') throw new CliUsageError('--portal-auth (or PORTAL_AUTH) is required with --portal');
  try {
    new URL(portalUrl);
  } catch {
    throw new CliUsageError('--portal must be a URL');
  }
  const portal = await fetchPortalKeys({ portalUrl, auth, siteId, service: flags.service, now: (io.now ?? Date.now)() });
  const fingerprint = flags.fingerprint ?? portal.current.fingerprint;
  const value = portal.values[fingerprint];
  if (value === undefined) throw new AleClientError('ERR_ALE_CLIENT_FINGERPRINT_UNKNOWN', { reason: 'not listed by the Portal' });
  return { fingerprint, keyValue: value, keys: portal.values };
}
