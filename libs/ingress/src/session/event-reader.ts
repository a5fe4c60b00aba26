import { isUtf8 } from 'node:buffer';
import { isCryptoError, pesAad, pesDecrypt, type PesCipherName, type AesKey } from '@pos-link/crypto';
import { validatePesEvent, type PesEnvelope } from '@pos-link/protocol';
import type { IngressErrorCode } from '../errors/ingress-errors';
import type { PesEventRecord } from '../store/pes-event-log';

/** What {@link readPesEvent} made of an event frame. */
export type PesEventReading =
  | { readonly ok: true; readonly record: PesEventRecord; readonly known: boolean }
  | { readonly ok: false; readonly code: IngressErrorCode; readonly violations?: readonly string[] };

/** Violations named in logs for envelope rules that are about events, not the envelope DTO. */
const RESP_ON_EVENT = ['msg_resp: must be absent on an event'];
const NO_MSG_DATA = ['msg_data: required on an event'];
const NOT_JSON = ['(root): isJson'];

/**
 * Turns an event envelope into the record to store (DESIGN §6 step 4): decrypt `msg_data` under the
 * session DEK with AAD `msg_type.msg_id.`, require a JSON object, validate known types strictly, keep
 * unknown ones (flagged `known: false`). The stored `data` is the exact decrypted text.
 *
 * Failures map to registry codes: envelope rules → `ERR_INGRESS_ENVELOPE_INVALID` (nack 1), decryption
 * → `ERR_INGRESS_DECRYPT_FAILED` (nack 2), payload → `ERR_INGRESS_EVENT_INVALID` (nack 3).
 */
export function readPesEvent(
  envelope: PesEnvelope,
  cipher: PesCipherName,
  dek: AesKey,
  receivedAt: string,
): PesEventReading {
  if (envelope.msg_resp !== undefined) return { ok: false, code: 'ERR_INGRESS_ENVELOPE_INVALID', violations: RESP_ON_EVENT };
  if (envelope.msg_data === undefined) return { ok: false, code: 'ERR_INGRESS_ENVELOPE_INVALID', violations: NO_MSG_DATA };

  let plaintext: Buffer;
  try {
    plaintext = pesDecrypt(cipher, dek, pesAad(envelope.msg_type, envelope.msg_id), envelope.msg_data);
  } catch (error) {
    if (isCryptoError(error)) return { ok: false, code: 'ERR_INGRESS_DECRYPT_FAILED' };
    throw error;
  }

  // Strict UTF-8 before decoding: toString() would silently replace bad bytes, and the stored text
  // must be exactly what the POS encrypted.
  if (!isUtf8(plaintext)) return { ok: false, code: 'ERR_INGRESS_EVENT_INVALID', violations: NOT_JSON };
  const data = plaintext.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return { ok: false, code: 'ERR_INGRESS_EVENT_INVALID', violations: NOT_JSON };
  }
  const validation = validatePesEvent(envelope.msg_type, value);
  if (validation.errors.length > 0) {
    return { ok: false, code: 'ERR_INGRESS_EVENT_INVALID', violations: validation.errors };
  }
  return {
    ok: true,
    known: validation.known,
    record: { msgId: envelope.msg_id, msgType: envelope.msg_type, source: envelope.source, data, receivedAt },
  };
}
