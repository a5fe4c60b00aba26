/**
 * The PES envelope (DESIGN §6, seed 003): THE one definition of the JSON object every PES frame
 * carries, in both directions. `parsePesFrame` validates against it through the compiled validator
 * (same metadata, no per-message instances); `envelope.spec.ts` proves both paths agree.
 */
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { PES_LABEL_MAX_LENGTH, PES_MSG_ID_MAX_LENGTH, PES_MSG_TYPE_MAX_LENGTH } from './limits';

/** `msg_resp` values: present on responses only. */
export const PES_MSG_RESP_VALUES = Object.freeze(['ack', 'nack'] as const);

/** `"ack"` or `"nack"`. */
export type PesMsgResp = (typeof PES_MSG_RESP_VALUES)[number];

/**
 * One PES message. Unknown extra fields are ignored (not kept) by `parsePesFrame`. `null` for an
 * optional field counts as absent.
 */
export class PesEnvelope {
  /** Sender label, e.g. `"xenial"` (seed 003). */
  @IsString()
  @MaxLength(PES_LABEL_MAX_LENGTH)
  source!: string;

  /** Protocol version, `"1.0"` (DESIGN §6); any short string is accepted, for forward compatibility. */
  @IsString()
  @MaxLength(PES_LABEL_MAX_LENGTH)
  version!: string;

  /** Unique message id; responses echo it. Part of the session cipher's AAD and of the dedupe key. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(PES_MSG_ID_MAX_LENGTH)
  msg_id!: string;

  /** Message type (`init_client`, `register_client`, `create_order`, …); responses echo it. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(PES_MSG_TYPE_MAX_LENGTH)
  msg_type!: string;

  /** `"ack"` / `"nack"` on responses; absent on requests and events. */
  @IsOptional()
  @IsIn(PES_MSG_RESP_VALUES)
  msg_resp?: PesMsgResp;

  /** Payload: clear for `init_client`, else base64 of the session cipher's output (DESIGN §6). */
  @IsOptional()
  @IsString()
  msg_data?: string;
}

/** The fields of a {@link PesEnvelope}, as accepted by `encodePesEnvelope`. */
export type PesEnvelopeInit = Pick<PesEnvelope, 'source' | 'version' | 'msg_id' | 'msg_type' | 'msg_resp' | 'msg_data'>;
