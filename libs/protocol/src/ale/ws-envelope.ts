/**
 * The ALE WebSocket envelope (DESIGN §4, seed 000 "Message Example"): every message in both
 * directions is a JSON text frame `{"iv":"…","fingerprint":"…","message":"…"}` with an optional
 * `"ts"` (decimal milliseconds, string or number) that is bound into the GCM AAD as in §3.
 * Decoding the IV and ciphertext is `@pos-link/crypto`'s job; this checks the shape only.
 */
import { ProtocolError } from '../errors';
import { isAleTimestamp } from './timestamp';

/** A parsed ALE WebSocket message. */
export interface AleWsEnvelope {
  /** The IV as sent (base64, base64url or hex). */
  readonly iv: string;
  /** The key's fingerprint. */
  readonly fingerprint: string;
  /** The ciphertext as sent (base64 text). */
  readonly message: string;
  /** The timestamp as decimal text (a number `ts` is rendered in decimal); absent when not sent. */
  readonly ts?: string;
}

/** Fields accepted by {@link buildAleWsEnvelope}. */
export interface AleWsEnvelopeInit {
  /** IV text. */
  readonly iv: string;
  /** Key fingerprint. */
  readonly fingerprint: string;
  /** Ciphertext text. */
  readonly message: string;
  /** Optional timestamp, decimal milliseconds. */
  readonly ts?: string | number;
}

function invalid(): never {
  throw new ProtocolError('ERR_ALE_WS_ENVELOPE_INVALID');
}

function nonEmptyString(value: unknown): string {
  return typeof value === 'string' && value.length > 0 ? value : invalid();
}

/** `ts` as decimal text, or undefined when absent/null; anything else is invalid. */
function normalizeTs(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 0 ? String(value) : invalid();
  }
  // A string is kept exactly as sent: the peer computed its AAD over these characters.
  return typeof value === 'string' && isAleTimestamp(value) ? value : invalid();
}

/**
 * Parses one WebSocket text message. Unknown extra fields are ignored; `"ts": null` counts as absent.
 * @throws TypeError when `text` is not a string
 * @throws ProtocolError `ERR_ALE_WS_ENVELOPE_INVALID` when it is not JSON, not an object, `iv` /
 *   `fingerprint` / `message` are not non-empty strings, or `ts` is not decimal milliseconds
 */
export function parseAleWsEnvelope(text: string): AleWsEnvelope {
  if (typeof text !== 'string') throw new TypeError('text must be a string (decode the frame first)');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    invalid();
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) invalid();
  const raw = value as Record<string, unknown>;
  const envelope = {
    iv: nonEmptyString(raw['iv']),
    fingerprint: nonEmptyString(raw['fingerprint']),
    message: nonEmptyString(raw['message']),
  };
  const ts = normalizeTs(raw['ts']);
  return ts === undefined ? envelope : { ...envelope, ts };
}

/**
 * Serializes an envelope (`iv`, `fingerprint`, `message`, then `ts` as a string when given).
 * @throws TypeError when a field is missing or `ts` is not decimal milliseconds (programmer errors)
 */
export function buildAleWsEnvelope(init: AleWsEnvelopeInit): string {
  for (const field of ['iv', 'fingerprint', 'message'] as const) {
    if (typeof init[field] !== 'string' || init[field].length === 0) {
      throw new TypeError(`${field} must be a non-empty string`);
    }
  }
  let ts: string | undefined;
  try {
    ts = normalizeTs(init.ts);
  } catch {
    throw new TypeError('ts must be decimal milliseconds');
  }
  return JSON.stringify({ iv: init.iv, fingerprint: init.fingerprint, message: init.message, ts });
}
