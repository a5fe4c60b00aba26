import type { AesKey } from '@pos-link/crypto';
import type { PesEnvelope } from '@pos-link/protocol';
import type { IngressErrorCode } from '../errors/ingress-errors';
import type { HandshakeOutcome } from '../metrics/ingress-metrics';
import type { IngressTelemetry } from '../metrics/ingress-telemetry';
import { buildRegisterClientRequest, PES_INIT_CLIENT, PES_REGISTER_CLIENT, readInitClient, readRegisterClientAnswer } from './handshake';
import type { PendingFrame, PesSessionSettings } from './pes-session-types';
import type { SessionAnswers } from './session-answers';

/** What the POS's answer to `register_client` (or a frame in its place) leads to. */
export type RegistrationStep =
  /** The POS acked: events flow. */
  | { readonly kind: 'ready' }
  /** An event before the ack: nacked 4, still registering. */
  | { readonly kind: 'answered' }
  /** A protocol violation that closes the connection (counted as a failed handshake by the session). */
  | { readonly kind: 'close'; readonly code: IngressErrorCode }
  /** The POS refused, or its answer is invalid: the handshake failed with this outcome. */
  | {
      readonly kind: 'failed';
      readonly outcome: Exclude<HandshakeOutcome, 'completed'>;
      readonly code: IngressErrorCode;
      readonly posCode?: number;
    };

/** What a {@link SessionHandshake} needs. */
export interface SessionHandshakeDeps {
  /** Connection id for logs. */
  readonly id: string;
  readonly settings: PesSessionSettings;
  readonly telemetry: IngressTelemetry;
  readonly answers: SessionAnswers;
}

/**
 * DESIGN §6 steps 1–3 for one connection: takes the POS's RSA key from `init_client`, answers with the
 * ack and `register_client` (a fresh DEK, the integrator credentials), then reads the POS's answer.
 * Holds the connection's DEK until {@link wipe}.
 */
export class SessionHandshake {
  readonly #id: string;
  readonly #settings: PesSessionSettings;
  readonly #telemetry: IngressTelemetry;
  readonly #answers: SessionAnswers;
  #dek: AesKey | undefined;
  #registerMsgId: string | undefined;
  #source = '';

  constructor(deps: SessionHandshakeDeps) {
    this.#id = deps.id;
    this.#settings = deps.settings;
    this.#telemetry = deps.telemetry;
    this.#answers = deps.answers;
  }

  /** The session DEK once `register_client` was sent. */
  get dek(): AesKey | undefined {
    return this.#dek;
  }

  /** The POS's `source` label from `init_client` (for the log). */
  get source(): string {
    return this.#source;
  }

  /**
   * Step 1 → 2 (state `awaiting_init`): accept the POS's key, ack it, send `register_client`.
   * @returns `undefined` when `register_client` went out, else the code to close with
   */
  start(envelope: PesEnvelope): IngressErrorCode | undefined {
    const init = readInitClient(envelope);
    if (!init.ok) return init.code;
    const { oaepHash, cipher, credentials } = this.#settings;
    const request = buildRegisterClientRequest(init.publicKey, oaepHash, cipher, credentials);
    this.#source = envelope.source;
    this.#dek = request.dek;
    this.#registerMsgId = request.msgId;
    this.#answers.handshake(envelope.msg_id, request.msgId, request.msgData);
    return undefined;
  }

  /** Step 3 (state `registering`): the POS's answer to `register_client`; events before it get nack 4. */
  answer(envelope: PesEnvelope, frame: PendingFrame): RegistrationStep {
    const dek = this.#dek as AesKey;
    if (envelope.msg_type === PES_INIT_CLIENT) return { kind: 'close', code: 'ERR_INGRESS_HANDSHAKE_REPEATED' };
    if (envelope.msg_type !== PES_REGISTER_CLIENT || envelope.msg_resp === undefined) {
      this.#telemetry.eventRejected(this.#id, envelope.msg_id, envelope.msg_type, 'ERR_INGRESS_NOT_REGISTERED');
      this.#answers.failNow(dek, envelope.msg_id, envelope.msg_type, 'ERR_INGRESS_NOT_REGISTERED', frame, 'not_registered');
      return { kind: 'answered' };
    }
    const answer =
      envelope.msg_id === this.#registerMsgId
        ? readRegisterClientAnswer(envelope, this.#settings.cipher, dek)
        : ({ kind: 'invalid' } as const);
    if (answer.kind === 'ack') return { kind: 'ready' };
    if (answer.kind === 'nack') return { kind: 'failed', outcome: 'rejected', code: 'ERR_INGRESS_REGISTER_REJECTED', posCode: answer.posCode };
    return { kind: 'failed', outcome: 'protocol_error', code: 'ERR_INGRESS_REGISTER_ACK_INVALID' };
  }

  /**
   * Drops the DEK (the socket is gone). It is a `KeyObject` whose bytes live in OpenSSL's memory and are
   * freed with it; the raw bytes were zeroed right after the `register_client` was sealed.
   */
  wipe(): void {
    this.#dek = undefined;
  }
}
