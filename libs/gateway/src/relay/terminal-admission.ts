/**
 * The checks a terminal's WebSocket handshake passes before it is upgraded (DESIGN §5,
 * `docs/protocols/sci.md` §2), in this order:
 *
 * 1. path = `TERMINAL_PATH` (`ERR_GATEWAY_TERMINAL_PATH_UNKNOWN`);
 * 2. when terminal TLS is configured, only on the TLS listener (`ERR_GATEWAY_TERMINAL_TLS_REQUIRED`);
 * 3. `x-vfi-pinpad-id` present once and well formed (`ERR_GATEWAY_TERMINAL_PINPAD_ID_INVALID`);
 * 4. under mutual TLS: a client certificate that verified against `TERMINAL_TLS_CA`
 *    (`ERR_GATEWAY_TERMINAL_CERT_INVALID`) and names this pinpad id (`…_IDENTITY_MISMATCH`);
 * 5. a site from `TERMINAL_SITES` or the certificate's URI — both, if present, agreeing
 *    (`…_SITE_CONFLICT`) — else `ERR_GATEWAY_TERMINAL_UNMAPPED`.
 *
 * The `sci` subprotocol itself is what routes a handshake here (the upgrade router's `matches`).
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { isValidSiteId } from '@pos-link/keyring';
import type { RelayCode } from '../errors/gateway-error-codes';
import { upgradePath } from '../upgrade/upgrade-matchers';
import { certificateIdentity } from './terminal-certificate';
import { isValidPinpadId } from './terminal-sites';

/** The header naming the terminal (seed 002). */
export const PINPAD_ID_HEADER = 'x-vfi-pinpad-id';

/** Options of {@link admitTerminal}. */
export interface TerminalAdmissionOptions {
  /** `TERMINAL_PATH`. */
  readonly path: string;
  /** `TERMINAL_SITES`, parsed. */
  readonly sites: ReadonlyMap<string, string>;
  /** `TERMINAL_TLS_CA` is set: a verified client certificate naming the pinpad id is required. */
  readonly mutualTls: boolean;
  /** Terminal TLS is configured: the plain HTTP port refuses terminals. */
  readonly tlsOnly: boolean;
}

/** An admitted terminal. */
export interface AdmittedTerminal {
  readonly siteId: string;
  readonly pinpadId: string;
}

/** The `x-vfi-pinpad-id` header when it is sent once and well formed. */
export function pinpadIdOf(req: IncomingMessage): string | undefined {
  const raw = req.headers[PINPAD_ID_HEADER];
  return isValidPinpadId(raw) ? raw : undefined;
}

/**
 * Decides one terminal handshake.
 * @param secure whether it arrived on the TLS listener
 * @returns the terminal, or the code that refuses it (answered by `RELAY_REFUSALS`)
 */
export function admitTerminal(req: IncomingMessage, secure: boolean, options: TerminalAdmissionOptions): AdmittedTerminal | RelayCode {
  if (upgradePath(req) !== options.path) return 'ERR_GATEWAY_TERMINAL_PATH_UNKNOWN';
  if (options.tlsOnly && !secure) return 'ERR_GATEWAY_TERMINAL_TLS_REQUIRED';
  const pinpadId = pinpadIdOf(req);
  if (pinpadId === undefined) return 'ERR_GATEWAY_TERMINAL_PINPAD_ID_INVALID';
  let certificateSite: string | undefined;
  if (options.mutualTls) {
    const socket = req.socket as TLSSocket;
    // The TLS listener already refuses unverified peers; checked again so no configuration slip lets one in.
    if (!secure || socket.authorized !== true) return 'ERR_GATEWAY_TERMINAL_CERT_INVALID';
    const identity = certificateIdentity(socket.getPeerCertificate());
    certificateSite = identity.sites.get(pinpadId);
    if (!identity.pinpadIds.has(pinpadId) && certificateSite === undefined) return 'ERR_GATEWAY_TERMINAL_IDENTITY_MISMATCH';
  }
  const configuredSite = options.sites.get(pinpadId);
  if (configuredSite !== undefined && certificateSite !== undefined && configuredSite !== certificateSite) {
    return 'ERR_GATEWAY_TERMINAL_SITE_CONFLICT';
  }
  const siteId = configuredSite ?? certificateSite;
  if (siteId === undefined || !isValidSiteId(siteId)) return 'ERR_GATEWAY_TERMINAL_UNMAPPED';
  return { siteId, pinpadId };
}
