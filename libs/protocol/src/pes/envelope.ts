/**
 * Reading and writing PES envelopes (DESIGN §6). The error split follows what can be answered:
 *
 * | input | code | ingress reaction |
 * |---|---|---|
 * | not valid UTF-8, not JSON, or JSON but not an object | `ERR_PES_NOT_JSON` | close |
 * | object without a string `msg_id` | `ERR_PES_NO_MSG_ID` | close |
 * | other fields missing / ill-typed (incl. empty or over-long `msg_id`) | `ERR_PES_ENVELOPE_INVALID` | nack code 1 |
 *
 * `ERR_PES_ENVELOPE_INVALID` is a {@link PesEnvelopeError} carrying the `msg_id` / `msg_type` to echo.
 */
import { isUtf8 } from 'node:buffer';
import { compileDtoValidator } from '../dto/compile-validator';
import { PesEnvelopeError, ProtocolError } from '../errors';
import { PesEnvelope, type PesEnvelopeInit } from './envelope.dto';
import { encodePesFrame } from './frame-encoder';

const validateEnvelope = compileDtoValidator(PesEnvelope);

/**
 * Parses and validates one frame body (as returned by `PesFrameDecoder.push`).
 * @returns a new {@link PesEnvelope} holding only the envelope fields (`null` optional fields dropped)
 * @throws ProtocolError `ERR_PES_NOT_JSON` | `ERR_PES_NO_MSG_ID`; PesEnvelopeError `ERR_PES_ENVELOPE_INVALID`
 */
export function parsePesFrame(body: Buffer): PesEnvelope {
  // Strict UTF-8 first: toString() would silently turn bad bytes into U+FFFD.
  if (!isUtf8(body)) throw new ProtocolError('ERR_PES_NOT_JSON');
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ProtocolError('ERR_PES_NOT_JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ProtocolError('ERR_PES_NOT_JSON');
  const raw = value as Record<string, unknown>;
  if (typeof raw['msg_id'] !== 'string') throw new ProtocolError('ERR_PES_NO_MSG_ID');

  const violations: string[] = [];
  validateEnvelope(raw, '', violations);
  if (violations.length > 0) {
    const msgType = typeof raw['msg_type'] === 'string' ? raw['msg_type'] : undefined;
    throw new PesEnvelopeError(raw['msg_id'], msgType, violations);
  }

  const envelope = new PesEnvelope();
  envelope.source = raw['source'] as string;
  envelope.version = raw['version'] as string;
  envelope.msg_id = raw['msg_id'];
  envelope.msg_type = raw['msg_type'] as string;
  // `null` counts as absent (IsOptional); absent fields stay `undefined`, which JSON omits.
  envelope.msg_resp = (raw['msg_resp'] ?? undefined) as PesEnvelope['msg_resp'];
  envelope.msg_data = (raw['msg_data'] ?? undefined) as string | undefined;
  return envelope;
}

/**
 * Serializes an envelope as JSON (fields in the seed's order: source, version, msg_id, msg_type,
 * msg_resp, msg_data; absent ones omitted) and frames it.
 * @throws TypeError when `envelope` does not satisfy {@link PesEnvelope} (a programmer error)
 */
export function encodePesEnvelope(envelope: PesEnvelopeInit): Buffer {
  if (envelope === null || typeof envelope !== 'object') throw new TypeError('envelope must be an object');
  const violations: string[] = [];
  validateEnvelope(envelope as unknown as Record<string, unknown>, '', violations);
  if (violations.length > 0) throw new TypeError(`invalid PES envelope: ${violations.join(', ')}`);
  const ordered: PesEnvelopeInit = {
    source: envelope.source,
    version: envelope.version,
    msg_id: envelope.msg_id,
    msg_type: envelope.msg_type,
    msg_resp: envelope.msg_resp ?? undefined,
    msg_data: envelope.msg_data ?? undefined,
  };
  return encodePesFrame(JSON.stringify(ordered));
}
