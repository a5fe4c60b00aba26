/**
 * The upgrade check of the POS's WebSocket to a terminal (`/sites/{siteId}/terminals/{pinpadId}/ws`,
 * `docs/specs/relay.md`): the ALE WebSocket's rules (DESIGN §4 — `checkUpgrade` of the ALE endpoint) with
 * the site fixed by the path, so a key of another site is errorCode 3 before anything is upgraded, and a
 * site without ALE is refused (terminals are never reachable in plaintext).
 */
import type { IncomingMessage } from 'node:http';
import type { AleSuiteName } from '@pos-link/crypto';
import { isValidSiteId } from '@pos-link/keyring';
import { parseAleCredentials } from '../ale/ale-credentials';
import { GatewayError } from '../errors/gateway-error';
import { upgradePath } from '../upgrade/upgrade-matchers';
import { checkUpgradeKey, type UpgradeCheckCore } from '../ws/upgrade-check';
import { upgradeCredentials } from '../ws/upgrade-credentials';
import { ALE_WS_MAX_UPGRADE_URL_LENGTH } from '../ws/ws-limits';
import { isValidPinpadId } from './terminal-sites';

/** `/sites/{siteId}/terminals/{pinpadId}/ws` (segments as sent; the pinpad id percent-decoded). */
const POS_WS_PATH = /^\/sites\/([^/]+)\/terminals\/([^/]+)\/ws$/;

/** The terminal a POS WebSocket addresses, by path. */
export interface PosWsTarget {
  readonly siteId: string;
  readonly pinpadId: string;
}

/** An accepted POS WebSocket. */
export interface PosWsAccepted extends PosWsTarget {
  /** The suite named at the upgrade (`sec-alg`) or the default: every envelope uses it. */
  readonly suite: AleSuiteName;
  /** The upgrade's fingerprint (the client's key until it sends under another). */
  readonly fingerprint: string;
  /** `authorization` was sent with the upgrade. */
  readonly hasAuthorization: boolean;
}

/** Whether a request is for the POS relay WebSocket (by path only: `matches` must be cheap). */
export function isPosWsPath(req: IncomingMessage): boolean {
  return POS_WS_PATH.test(upgradePath(req));
}

/**
 * The route's site and pinpad id.
 * @throws GatewayError `ERR_GATEWAY_WS_PATH_INVALID` (errorCode 1) for a malformed site segment, or
 *   `ERR_GATEWAY_RELAY_PINPAD_ID_INVALID` (404) for a pinpad id that cannot exist
 */
function posWsTarget(req: IncomingMessage): PosWsTarget {
  const match = POS_WS_PATH.exec(upgradePath(req));
  if (match === null || !isValidSiteId(match[1])) throw new GatewayError('ERR_GATEWAY_WS_PATH_INVALID');
  let pinpadId: string;
  try {
    pinpadId = decodeURIComponent(match[2] as string);
  } catch {
    throw new GatewayError('ERR_GATEWAY_RELAY_PINPAD_ID_INVALID');
  }
  if (!isValidPinpadId(pinpadId)) throw new GatewayError('ERR_GATEWAY_RELAY_PINPAD_ID_INVALID');
  return { siteId: match[1] as string, pinpadId };
}

/**
 * Decides a POS relay upgrade before upgrading.
 * @param source the client's address (failure budget)
 * @throws GatewayError, answered by `relayRefusalOf` for the relay's codes, else by `upgradeRefusalOf`
 */
export async function checkPosWsUpgrade(core: UpgradeCheckCore, req: IncomingMessage, source: string): Promise<PosWsAccepted> {
  if ((req.url ?? '').length > ALE_WS_MAX_UPGRADE_URL_LENGTH) throw new GatewayError('ERR_GATEWAY_SITE_UNADDRESSED');
  const target = posWsTarget(req);
  const { raw, hasAuthorization } = upgradeCredentials(req);
  const address = core.verifier.address(target.siteId, raw.fingerprint);
  if (address.kind === 'plaintext') throw new GatewayError('ERR_GATEWAY_RELAY_ALE_REQUIRED');
  const credentials = parseAleCredentials(raw, core.suites);
  await checkUpgradeKey(core, credentials.fingerprint, hasAuthorization, target.siteId, target.siteId, source);
  return { ...target, suite: credentials.suite, fingerprint: credentials.fingerprint, hasAuthorization };
}
