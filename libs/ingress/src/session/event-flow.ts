import type { AesKey } from '@pos-link/crypto';
import type { PesEnvelope } from '@pos-link/protocol';
import { isIngressError, type IngressErrorCode } from '../errors/ingress-errors';
import type { EventOutcome } from '../metrics/ingress-metrics';
import type { IngressTelemetry } from '../metrics/ingress-telemetry';
import type { PesAppendOutcome, PesEventLog, PesEventRecord } from '../store/pes-event-log';
import type { AnswerSlot } from './answer-queue';
import { readPesEvent } from './event-reader';
import type { PendingFrame, PesSessionSettings } from './pes-session-types';
import { receivedAtIso } from './received-at';
import type { SessionAnswers } from './session-answers';

/** Event outcome label of each nack-answered reading failure (metrics). */
const EVENT_OUTCOME_OF: Partial<Record<IngressErrorCode, EventOutcome>> = {
  ERR_INGRESS_ENVELOPE_INVALID: 'envelope_invalid',
  ERR_INGRESS_DECRYPT_FAILED: 'decrypt_failed',
  ERR_INGRESS_EVENT_INVALID: 'invalid',
};

/** What an {@link EventFlow} needs. */
export interface EventFlowDeps {
  /** Connection id for logs. */
  readonly id: string;
  readonly settings: PesSessionSettings;
  readonly eventLog: PesEventLog;
  readonly telemetry: IngressTelemetry;
  readonly answers: SessionAnswers;
}

/**
 * DESIGN §6 step 4 for one connection in state `ready`: read the event (decrypt, validate) at once —
 * so appends are issued in stream order — append it, and answer ack / nack N in receive order.
 */
export class EventFlow {
  readonly #id: string;
  readonly #cipher: PesSessionSettings['cipher'];
  readonly #log: PesEventLog;
  readonly #telemetry: IngressTelemetry;
  readonly #answers: SessionAnswers;
  /**
   * After a nack 5, the `msg_id` the POS must resend before anything else of this connection is
   * stored: later events get nack 5 too, so the store never holds an event ahead of an earlier one of
   * the same connection that is missing (DESIGN §6 "appended in the order received").
   */
  #resendFirst: string | undefined;

  constructor(deps: EventFlowDeps) {
    this.#id = deps.id;
    this.#cipher = deps.settings.cipher;
    this.#log = deps.eventLog;
    this.#telemetry = deps.telemetry;
    this.#answers = deps.answers;
  }

  /** Handles one event envelope under the session key `dek`. */
  handle(envelope: PesEnvelope, frame: PendingFrame, dek: AesKey): void {
    const reading = readPesEvent(envelope, this.#cipher, dek, receivedAtIso(frame.receivedAt));
    if (!reading.ok) {
      this.#telemetry.eventRejected(this.#id, envelope.msg_id, envelope.msg_type, reading.code, reading.violations);
      this.#answers.failNow(dek, envelope.msg_id, envelope.msg_type, reading.code, frame, EVENT_OUTCOME_OF[reading.code] ?? 'invalid');
      return;
    }
    if (this.#resendFirst !== undefined) {
      if (this.#resendFirst !== envelope.msg_id) {
        this.#answers.failNow(dek, envelope.msg_id, envelope.msg_type, 'ERR_INGRESS_STORE_UNAVAILABLE', frame, 'unavailable');
        return;
      }
      this.#resendFirst = undefined;
    }
    if (!reading.known) this.#telemetry.eventUnknownType(this.#id, envelope.msg_id, envelope.msg_type);
    const slot = this.#answers.reserve();
    const record = reading.record;
    this.#log.append(record).then(
      (outcome) => this.#stored(slot, dek, record, outcome, frame),
      (error: unknown) => this.#storeFailed(slot, dek, record, error, frame),
    );
  }

  #stored(slot: AnswerSlot, dek: AesKey, record: PesEventRecord, outcome: PesAppendOutcome, frame: PendingFrame): void {
    if (outcome === 'conflict') {
      this.#telemetry.eventRejected(this.#id, record.msgId, record.msgType, 'ERR_INGRESS_MSG_ID_CONFLICT');
      this.#answers.fail(slot, dek, record.msgId, record.msgType, 'ERR_INGRESS_MSG_ID_CONFLICT', frame, 'conflict');
      return;
    }
    this.#answers.ack(slot, record.msgId, record.msgType, outcome, frame);
  }

  #storeFailed(slot: AnswerSlot, dek: AesKey, record: PesEventRecord, error: unknown, frame: PendingFrame): void {
    // Whatever went wrong, nothing is acknowledged that is not known to be stored: nack 5.
    this.#resendFirst ??= record.msgId;
    this.#telemetry.storeUnavailable(this.#id, record.msgId, isIngressError(error) ? (error.cause ?? error) : error);
    this.#answers.fail(slot, dek, record.msgId, record.msgType, 'ERR_INGRESS_STORE_UNAVAILABLE', frame, 'unavailable');
  }
}
