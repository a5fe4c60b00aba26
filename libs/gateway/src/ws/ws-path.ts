import type { IncomingMessage } from 'node:http';
import { isValidSiteId } from '@pos-link/keyring';
import { upgradePath } from '../upgrade/upgrade-matchers';

/** The ALE WebSocket's paths (DESIGN §4): `/ws`, and `/sites/{siteId}/ws` to address a site explicitly. */
const WS_PATH = /^\/(?:sites\/([^/]*)\/)?ws\/?$/;

/** Where an upgrade to the ALE WebSocket points. */
export type AleWsTarget =
  | { readonly kind: 'ale-ws'; readonly prefixSiteId: string | undefined }
  /** `/sites/{x}/ws` whose `x` is not a valid site id (answered errorCode 1). */
  | { readonly kind: 'invalid-site' };

/** Reads the ALE WebSocket target of an upgrade, or undefined for another path. */
export function aleWsTarget(req: IncomingMessage): AleWsTarget | undefined {
  const match = WS_PATH.exec(upgradePath(req));
  if (match === null) return undefined;
  const site = match[1];
  if (site === undefined) return { kind: 'ale-ws', prefixSiteId: undefined };
  return isValidSiteId(site) ? { kind: 'ale-ws', prefixSiteId: site } : { kind: 'invalid-site' };
}
