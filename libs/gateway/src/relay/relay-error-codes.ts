/**
 * The terminal relay's error codes (DESIGN §5) and the ONE table that maps each to its wire answer
 * (STYLE 4/5). They extend the gateway's `ERR_GATEWAY_…` namespace (`errors/gateway-error-codes.ts`)
 * and never reuse one of its codes; they live beside the relay because only the relay's own edges — a
 * terminal handshake, a POS relay route — answer them (the ALE WebSocket does the same for its codes).
 *
 * Messages are fixed per code and never carry input (pinpad ids, certificate fields) or key material.
 * Never reuse a retired code.
 */

/** code → fixed description (also the error's `message`). */
export const RELAY_ERROR_CODES = Object.freeze({
  /** `x-vfi-pinpad-id` missing, repeated or not 1–128 visible ASCII characters (seed 002). */
  ERR_GATEWAY_TERMINAL_PINPAD_ID_INVALID: 'x-vfi-pinpad-id is missing or malformed',
  /** A terminal (`sci` subprotocol) on another path than `TERMINAL_PATH`. */
  ERR_GATEWAY_TERMINAL_PATH_UNKNOWN: 'Terminals connect on TERMINAL_PATH',
  /** A terminal on the plain HTTP port while terminal TLS is configured (it would bypass mutual TLS). */
  ERR_GATEWAY_TERMINAL_TLS_REQUIRED: 'Terminals must connect over TLS on TERMINAL_PORT',
  /** Mutual TLS is on and the connection carries no client certificate that verified against `TERMINAL_TLS_CA`. */
  ERR_GATEWAY_TERMINAL_CERT_INVALID: 'No valid client certificate',
  /** The client certificate names another terminal than `x-vfi-pinpad-id`. */
  ERR_GATEWAY_TERMINAL_IDENTITY_MISMATCH: 'The client certificate does not match the pinpad id',
  /** The certificate's site and `TERMINAL_SITES` disagree. */
  ERR_GATEWAY_TERMINAL_SITE_CONFLICT: 'The certificate and TERMINAL_SITES name different sites',
  /** Neither `TERMINAL_SITES` nor the certificate names the terminal's site. */
  ERR_GATEWAY_TERMINAL_UNMAPPED: 'The terminal is not mapped to a site',
  /** A POS route names a pinpad id that cannot exist (malformed): answered like an unknown route. */
  ERR_GATEWAY_RELAY_PINPAD_ID_INVALID: 'The route names no valid pinpad id',
  /** A POS route for a site with `encryption: false`: terminals are reachable only with ALE (DESIGN §5). */
  ERR_GATEWAY_RELAY_ALE_REQUIRED: 'Terminals are reachable only with ALE',
  /** A relay message between replicas that is not one of the documented shapes (logged, dropped). */
  ERR_GATEWAY_RELAY_MESSAGE_INVALID: 'Malformed relay message between replicas',
} as const);

/** One relay error code. */
export type RelayErrorCode = keyof typeof RELAY_ERROR_CODES;

/** A refused terminal handshake, or a malformed relay message. Branch on `code`. */
export class RelayError extends Error {
  /** The stable code. */
  readonly code: RelayErrorCode;

  /**
   * @param code the registry code
   * @param options `cause`: the underlying error (a Redis failure), for logs only
   */
  constructor(code: RelayErrorCode, options?: { cause?: unknown }) {
    super(RELAY_ERROR_CODES[code], options);
    this.name = 'RelayError';
    this.code = code;
  }
}

/** True when `error` is a {@link RelayError} (with this `code`, when given). */
export function isRelayError(error: unknown, code?: RelayErrorCode): error is RelayError {
  return error instanceof RelayError && (code === undefined || error.code === code);
}

/** How a refused handshake or POS request is answered: HTTP status and exact JSON body. */
export interface RelayRefusal {
  /** HTTP status of the refusal (a refused handshake is never upgraded). */
  readonly status: number;
  /** Exact JSON body. */
  readonly body: string;
}

function refusal(status: number, error: string): RelayRefusal {
  return Object.freeze({ status, body: JSON.stringify({ error }) });
}

/**
 * THE answer of each relay code that is answered on the wire (STYLE 5): a refused terminal handshake
 * (400 malformed, 401 without a valid certificate, 403 identity or mapping not allowed, 404 wrong path)
 * or a refused POS request (404 for a pinpad id that cannot exist, 403 for a site without ALE). ALE
 * failures of POS requests are the ALE core's (`WIRE_ANSWERS`), answered exactly as on the proxy.
 */
export const RELAY_REFUSALS: Readonly<Record<Exclude<RelayErrorCode, 'ERR_GATEWAY_RELAY_MESSAGE_INVALID'>, RelayRefusal>> =
  Object.freeze({
    ERR_GATEWAY_TERMINAL_PINPAD_ID_INVALID: refusal(400, 'pinpad_id_invalid'),
    ERR_GATEWAY_TERMINAL_PATH_UNKNOWN: refusal(404, 'not_found'),
    ERR_GATEWAY_TERMINAL_TLS_REQUIRED: refusal(403, 'terminal_tls_required'),
    ERR_GATEWAY_TERMINAL_CERT_INVALID: refusal(401, 'client_certificate_required'),
    ERR_GATEWAY_TERMINAL_IDENTITY_MISMATCH: refusal(403, 'terminal_identity_mismatch'),
    ERR_GATEWAY_TERMINAL_SITE_CONFLICT: refusal(403, 'terminal_site_conflict'),
    ERR_GATEWAY_TERMINAL_UNMAPPED: refusal(403, 'terminal_unmapped'),
    ERR_GATEWAY_RELAY_PINPAD_ID_INVALID: refusal(404, 'not_found'),
    ERR_GATEWAY_RELAY_ALE_REQUIRED: refusal(403, 'ale_required'),
  });

/** A message between replicas is never answered; should its code reach an edge, it is a bug (500). */
const INTERNAL = refusal(500, 'internal_error');

/** The answer for a refusal with `code`. */
export function relayRefusalOf(code: RelayErrorCode): RelayRefusal {
  return code === 'ERR_GATEWAY_RELAY_MESSAGE_INVALID' ? INTERNAL : RELAY_REFUSALS[code];
}
