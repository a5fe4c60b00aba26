/**
 * The seam between the ingress and its durable event store (DESIGN §6/§8): Redis Streams in
 * distributed mode ({@link RedisPesEventLog}), memory in standalone mode ({@link MemoryPesEventLog}).
 * The session only ever talks to this interface.
 */

/** One accepted event, exactly as it is appended (DESIGN §8 stream fields). */
export interface PesEventRecord {
  /** The envelope's `msg_id` (also the dedupe key). */
  readonly msgId: string;
  /** The envelope's `msg_type`; unknown types are stored like known ones (DESIGN §6). */
  readonly msgType: string;
  /** The envelope's `source`. */
  readonly source: string;
  /** The decrypted `msg_data`, the exact text (never re-serialized). */
  readonly data: string;
  /** When the frame was read: ISO-8601 UTC with milliseconds (DESIGN §6). */
  readonly receivedAt: string;
}

/**
 * Outcome of {@link PesEventLog.append}:
 * - `stored`: appended now;
 * - `duplicate`: the same `msg_id` with the same content is already stored (ack, no second entry);
 * - `conflict`: the `msg_id` is stored with different content (nack 6), nothing appended.
 */
export type PesAppendOutcome = 'stored' | 'duplicate' | 'conflict';

/**
 * A durable, de-duplicating event log. `append` records the `msg_id` atomically with the append, so a
 * resend after a lost ack never yields a second entry (DESIGN §6).
 *
 * Calls made in order by one caller are applied in that order (the per-connection order of DESIGN §6).
 */
export interface PesEventLog {
  /**
   * Appends `event` unless its `msg_id` is already recorded.
   * @throws PesStoreUnavailableError when the store cannot take the write (nack 5; resend later)
   */
  append(event: PesEventRecord): Promise<PesAppendOutcome>;
}
