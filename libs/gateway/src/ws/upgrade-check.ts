import type { IncomingMessage } from 'node:http';
import type { AleSuiteName } from '@pos-link/crypto';
import type { KeyLookup } from '@pos-link/keyring';
import { parseAleCredentials } from '../ale/ale-credentials';
import type { AleAddress } from '../ale/site-resolver';
import { GatewayError, isGatewayError } from '../errors/gateway-error';
import { wireAnswerOf } from '../errors/wire-answers';
import type { AleWsConnectionInit } from './connection/ale-ws-connection';
import { upgradeCredentials } from './upgrade-credentials';
import { ALE_WS_MAX_UPGRADE_URL_LENGTH } from './ws-limits';
import { aleWsTarget } from './ws-path';

/** The ALE core pieces an upgrade check uses (the same instances the HTTP hook uses). */
export interface UpgradeCheckCore {
  /** Site addressing (DESIGN §3 "Which site"). */
  readonly verifier: { address(prefixSiteId: string | undefined, fingerprint: string | undefined): AleAddress };
  /** Key selection: unknown fingerprint → refresh and wait (errorCode 2); wrong site / validity (errorCode 3). */
  readonly selector: {
    find(fingerprint: string, refreshSiteId: string | undefined): Promise<KeyLookup>;
    check(key: KeyLookup, prefixSiteId: string | undefined, now: number): void;
  };
  /** The per-address budget of errorCode 2 failures. */
  readonly budget: { isExhausted(source: string): boolean; spend(source: string): void };
  /** `ALE_SUITES`, the first being the default. */
  readonly suites: readonly AleSuiteName[];
  /** `ALE_REQUIRE_AUTHORIZATION`. */
  readonly requireAuthorization: boolean;
  /** Time source (ms). */
  readonly clock: () => number;
}

/**
 * Decides an upgrade to the ALE WebSocket BEFORE upgrading (DESIGN §4: "Unknown/invalid key → the HTTP
 * 400 JSON error of §3"), with the HTTP rules of §3 minus the body: site addressing, the form of the
 * security fields (errorCode 1), `authorization` where required, the failure budget, the key (an unknown
 * fingerprint triggers the on-demand refresh, then errorCode 2) and its site and validity (errorCode 3).
 * The upgrade proves no key possession (it carries no ciphertext); the first message does, and everything
 * sent to the client is sealed, so an impostor learns nothing.
 *
 * @param source the client's address
 * @throws GatewayError, answered by `upgradeRefusalOf(code)`
 */
export async function checkUpgrade(core: UpgradeCheckCore, req: IncomingMessage, source: string): Promise<AleWsConnectionInit> {
  if ((req.url ?? '').length > ALE_WS_MAX_UPGRADE_URL_LENGTH) throw new GatewayError('ERR_GATEWAY_SITE_UNADDRESSED');
  const target = aleWsTarget(req);
  if (target === undefined || target.kind === 'invalid-site') throw new GatewayError('ERR_GATEWAY_WS_PATH_INVALID');
  const { raw, hasAuthorization } = upgradeCredentials(req);
  const address = core.verifier.address(target.prefixSiteId, raw.fingerprint);
  if (address.kind === 'plaintext') return { siteId: address.siteId, suite: undefined, fingerprint: undefined, address: source };
  const credentials = parseAleCredentials(raw, core.suites);
  const key = await checkUpgradeKey(core, credentials.fingerprint, hasAuthorization, address.refreshSiteId, address.prefixSiteId, source);
  return { siteId: key.siteId, suite: credentials.suite, fingerprint: credentials.fingerprint, address: source };
}

/**
 * The steps every ALE upgrade (ALE WebSocket, POS relay WebSocket) takes once its security fields are
 * well-formed: `authorization` where required, the failure budget, the key (refresh and wait, errorCode 2)
 * and its site and validity (errorCode 3); errorCode 2 failures spend the source's budget.
 * @throws GatewayError
 */
export async function checkUpgradeKey(
  core: UpgradeCheckCore,
  fingerprint: string,
  hasAuthorization: boolean,
  refreshSiteId: string | undefined,
  prefixSiteId: string | undefined,
  source: string,
): Promise<KeyLookup> {
  if (core.requireAuthorization && !hasAuthorization) throw new GatewayError('ERR_GATEWAY_AUTHORIZATION_MISSING');
  if (core.budget.isExhausted(source)) throw new GatewayError('ERR_GATEWAY_FAILURE_BUDGET_EXCEEDED');
  try {
    const key = await core.selector.find(fingerprint, refreshSiteId);
    core.selector.check(key, prefixSiteId, core.clock());
    return key;
  } catch (error) {
    if (isGatewayError(error) && wireAnswerOf(error.code).spendsBudget) core.budget.spend(source);
    throw error;
  }
}
