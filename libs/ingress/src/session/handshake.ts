import { randomUUID, type KeyObject } from 'node:crypto';
import {
  buildRegisterClient,
  toAesKeyObject,
  type AesKey,
  generateDek,
  importRsaPublicKey,
  isCryptoError,
  pesAad,
  pesDecrypt,
  type OaepHash,
  type PesCipherName,
} from '@pos-link/crypto';
import type { PesEnvelope } from '@pos-link/protocol';
import type { IngressErrorCode } from '../errors/ingress-errors';

/** The handshake's message types (DESIGN §6 steps 1–3). */
export const PES_INIT_CLIENT = 'init_client';
/** @see PES_INIT_CLIENT */
export const PES_REGISTER_CLIENT = 'register_client';

/**
 * Step 1: reads the POS's RSA public key from an `init_client` request (PEM SPKI; base64 DER SPKI or
 * PKCS#1 also accepted; modulus ≥ 2048 bits — the crypto lib enforces the forms and sizes).
 */
export function readInitClient(
  envelope: PesEnvelope,
): { readonly ok: true; readonly publicKey: KeyObject } | { readonly ok: false; readonly code: IngressErrorCode } {
  if (envelope.msg_type !== PES_INIT_CLIENT || envelope.msg_resp !== undefined) {
    return { ok: false, code: 'ERR_INGRESS_BEFORE_INIT' };
  }
  if (envelope.msg_data === undefined) return { ok: false, code: 'ERR_INGRESS_RSA_KEY_INVALID' };
  try {
    return { ok: true, publicKey: importRsaPublicKey(envelope.msg_data) };
  } catch (error) {
    if (isCryptoError(error, 'ERR_CRYPTO_RSA_KEY_TOO_SMALL')) return { ok: false, code: 'ERR_INGRESS_RSA_KEY_TOO_SMALL' };
    if (isCryptoError(error)) return { ok: false, code: 'ERR_INGRESS_RSA_KEY_INVALID' };
    throw error;
  }
}

/** What step 2 produced: the connection's DEK and the `register_client` to send. */
export interface RegisterClientRequest {
  /**
   * A fresh 32-byte DEK (seed 003: a new one for every connection), as a secret `KeyObject`: every event
   * of the connection is decrypted with it, and Node 24 ciphers take a `KeyObject` far faster than bytes.
   */
  readonly dek: KeyObject;
  /** The request's `msg_id`; the POS's answer must echo it. */
  readonly msgId: string;
  /** The `msg_data`: base64( RSA-OAEP(DEK) ‖ IV ‖ sealed credentials ). */
  readonly msgData: string;
}

/**
 * Step 2: a fresh DEK and the `register_client` `msg_data` carrying it and the integrator credentials
 * (`credentials` = UTF-8 of `{"key_id":…,"secret_key":…}`), sealed with AAD `register_client.<id>.`.
 */
export function buildRegisterClientRequest(
  publicKey: KeyObject,
  oaepHash: OaepHash,
  cipher: PesCipherName,
  credentials: Buffer,
): RegisterClientRequest {
  const dekBytes = generateDek();
  const msgId = randomUUID();
  const msgData = buildRegisterClient({
    publicKey,
    dek: dekBytes,
    oaepHash,
    cipher,
    aad: pesAad(PES_REGISTER_CLIENT, msgId),
    credentials,
  });
  const dek = toAesKeyObject(dekBytes);
  dekBytes.fill(0);
  return { dek, msgId, msgData };
}

/** How the POS answered `register_client` (step 3). */
export type RegisterClientAnswer =
  | { readonly kind: 'ack' }
  | { readonly kind: 'nack'; readonly posCode: number | undefined }
  | { readonly kind: 'invalid' };

/**
 * Step 3: reads the POS's answer to our `register_client`. An `ack` may carry an encrypted `msg_data`
 * or none (DESIGN §6); when it carries one, it must decrypt — a POS without our DEK could not read
 * anything later either. A `nack`'s encrypted `{"code":…}` is read only for the log (best effort).
 * Call only for `register_client` responses (`msg_resp` set) echoing `msgId`.
 */
export function readRegisterClientAnswer(
  envelope: PesEnvelope,
  cipher: PesCipherName,
  dek: AesKey,
): RegisterClientAnswer {
  const resp = envelope.msg_resp as 'ack' | 'nack';
  let plaintext: Buffer | undefined;
  if (envelope.msg_data !== undefined) {
    try {
      plaintext = pesDecrypt(cipher, dek, pesAad(envelope.msg_type, envelope.msg_id, resp), envelope.msg_data);
    } catch (error) {
      if (!isCryptoError(error)) throw error;
      if (resp === 'ack') return { kind: 'invalid' };
    }
  }
  if (resp === 'ack') return { kind: 'ack' };
  return { kind: 'nack', posCode: nackCode(plaintext) };
}

function nackCode(plaintext: Buffer | undefined): number | undefined {
  if (plaintext === undefined) return undefined;
  try {
    const body: unknown = JSON.parse(plaintext.toString('utf8'));
    const code = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['code'] : undefined;
    return typeof code === 'number' && Number.isSafeInteger(code) ? code : undefined;
  } catch {
    return undefined;
  }
}
