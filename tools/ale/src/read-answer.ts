/**
 * Reading what the gateway sends back (DESIGN §3 "Forwarding", §4): an encrypted answer names its key
 * (`sec-fingerprint`), IV (`sec-iv`) and suite (`sec-alg`); its AAD is the fingerprint alone (answers
 * carry no timestamp). Answers without those headers — ALE errors (`errorCode` 1/2/3), the gateway's own
 * failures, empty bodies — are plaintext and returned as they are.
 */
import { aleAad, aleDecrypt, isAleSuiteName, isCryptoError, type AleSuiteName } from '@pos-link/crypto';
import type { AleClientKeys } from './client-keys';
import { AleClientError } from './errors';
import { readIv } from './one-shot';

/** The security fields of an answer or message. */
export interface AleSecurityFields {
  readonly fingerprint: string | undefined;
  readonly iv: string | undefined;
  readonly alg: string | undefined;
  /** Only WebSocket envelopes may carry one (`ts`). */
  readonly timestamp?: string | undefined;
}

/**
 * Decrypts an answer's body with the key its fingerprint names.
 * @param fallbackSuite the suite when the answer names none (the one the request used)
 * @throws AleClientError `ERR_ALE_CLIENT_MESSAGE_INVALID` (only one of fingerprint/IV, bad IV, unknown
 *   suite), `ERR_ALE_CLIENT_FINGERPRINT_UNKNOWN` (another key than this client holds: the client only
 *   has its own keys), `ERR_ALE_CLIENT_DECRYPT_FAILED`
 */
export function openAnswer(keys: AleClientKeys, fields: AleSecurityFields, ciphertext: string | Buffer, fallbackSuite: AleSuiteName): Buffer {
  const { fingerprint, iv, alg } = fields;
  if (fingerprint === undefined || fingerprint === '' || iv === undefined || iv === '') {
    throw new AleClientError('ERR_ALE_CLIENT_MESSAGE_INVALID', { reason: 'fingerprint or iv missing' });
  }
  const suite = alg === undefined ? fallbackSuite : alg;
  if (!isAleSuiteName(suite)) throw new AleClientError('ERR_ALE_CLIENT_MESSAGE_INVALID', { reason: 'unknown suite' });
  const key = keys.key(fingerprint);
  const ivBytes = readIv(suite, iv);
  try {
    return aleDecrypt(suite, key, ivBytes, ciphertext, aleAad(fingerprint, fields.timestamp));
  } catch (cause) {
    if (isCryptoError(cause)) throw new AleClientError('ERR_ALE_CLIENT_DECRYPT_FAILED', { cause });
    throw cause;
  }
}
