import { pesAad, pesEncrypt, type PesCipherName, type AesKey } from '@pos-link/crypto';
import { encodePesEnvelope, encodePesFrame, pesNackBody, type PesNackCode } from '@pos-link/protocol';
import { PES_PROTOCOL_VERSION } from './pes-limits';

/**
 * Builds the frames the ingress sends (DESIGN §6): responses echo `msg_id` and `msg_type`; an `ack`
 * carries no `msg_data`; a `nack` carries the session-encrypted `{"code":N,"message":"…"}` with AAD
 * `msg_type.msg_id.nack`.
 */
export class PesResponses {
  readonly #source: string;
  readonly #cipher: PesCipherName;
  /** `{"source":…,"version":"1.0","msg_id":` — the constant head of every ack. */
  readonly #ackHead: string;

  /**
   * @param source the `source` label of every envelope sent
   * @param cipher the session cipher (`PES_CIPHER`)
   * @throws TypeError when `source` is not a valid envelope `source`
   */
  constructor(source: string, cipher: PesCipherName) {
    this.#source = source;
    this.#cipher = cipher;
    // Validates `source` once, through the envelope's one definition (throws TypeError if invalid).
    encodePesEnvelope({ source, version: PES_PROTOCOL_VERSION, msg_id: 'x', msg_type: 'x', msg_resp: 'ack' });
    this.#ackHead = `{"source":${JSON.stringify(source)},"version":${JSON.stringify(PES_PROTOCOL_VERSION)},"msg_id":`;
  }

  /**
   * An `ack` for the message `msgId` of type `msgType` — one per stored event, so it is written from a
   * template: the same bytes `encodePesEnvelope` makes (fields in the envelope's order, `JSON.stringify`
   * escaping; `pes-responses.spec.ts` checks both agree), without validating again what was read from
   * a validated envelope or building an object per ack.
   * @param msgId `msg_id` of a received, validated envelope
   * @param msgType `msg_type` of that envelope
   */
  ack(msgId: string, msgType: string): Buffer {
    return encodePesFrame(`${this.#ackHead}${JSON.stringify(msgId)},"msg_type":${JSON.stringify(msgType)},"msg_resp":"ack"}`);
  }

  /** A `nack` with code `code`, encrypted under the connection's DEK. */
  nack(dek: AesKey, msgId: string, msgType: string, code: PesNackCode): Buffer {
    const body = Buffer.from(pesNackBody(code), 'utf8');
    return encodePesEnvelope({
      source: this.#source,
      version: PES_PROTOCOL_VERSION,
      msg_id: msgId,
      msg_type: msgType,
      msg_resp: 'nack',
      msg_data: pesEncrypt(this.#cipher, dek, pesAad(msgType, msgId, 'nack'), body),
    });
  }

  /** A request (no `msg_resp`), e.g. `register_client`. */
  request(msgId: string, msgType: string, msgData: string): Buffer {
    return encodePesEnvelope({
      source: this.#source,
      version: PES_PROTOCOL_VERSION,
      msg_id: msgId,
      msg_type: msgType,
      msg_data: msgData,
    });
  }
}
