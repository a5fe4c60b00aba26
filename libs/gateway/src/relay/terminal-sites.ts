import { isValidSiteId } from '@pos-link/keyring';

/**
 * Pinpad ids (seed 002 `x-vfi-pinpad-id`): 1–128 visible ASCII characters except `{` and `}` — they become
 * part of a Redis key under the site's hash tag, where braces would change the slot (DESIGN §2).
 */
export const PINPAD_ID_PATTERN = /^[\x21-\x7a\x7c\x7e]{1,128}$/;

/** Whether `value` is a usable pinpad id. */
export function isValidPinpadId(value: unknown): value is string {
  return typeof value === 'string' && PINPAD_ID_PATTERN.test(value);
}

/**
 * Reads `TERMINAL_SITES` (`pinpadId=siteId` items, already split on commas by the config).
 * @throws TypeError naming `TERMINAL_SITES` for a malformed item, a bad id or a pinpad listed twice
 *   (boot fails: DESIGN §8 "a bad value stops the process … naming the variable")
 */
export function parseTerminalSites(items: readonly string[]): ReadonlyMap<string, string> {
  const sites = new Map<string, string>();
  for (const item of items) {
    const at = item.indexOf('=');
    const pinpadId = item.slice(0, at);
    const siteId = item.slice(at + 1);
    if (at < 1 || !isValidPinpadId(pinpadId) || !isValidSiteId(siteId)) {
      throw new TypeError(`TERMINAL_SITES: "${item}" is not pinpadId=siteId with a valid pinpad id and site id`);
    }
    if (sites.has(pinpadId)) throw new TypeError(`TERMINAL_SITES: pinpad ${pinpadId} is listed twice`);
    sites.set(pinpadId, siteId);
  }
  return sites;
}
