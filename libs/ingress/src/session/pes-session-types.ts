import type { OaepHash, PesCipherName } from '@pos-link/crypto';
import type { IngressTelemetry } from '../metrics/ingress-telemetry';
import type { PesEventLog } from '../store/pes-event-log';

/** The per-connection states (DESIGN §6 handshake). */
export const PesSessionState = Object.freeze({
  /** Accepted; only a valid `init_client` may come. */
  AWAITING_INIT: 'awaiting_init',
  /** `init_client` acked, `register_client` sent; waiting for the POS's answer. */
  REGISTERING: 'registering',
  /** The POS acked `register_client`: events flow. */
  READY: 'ready',
  /** Stopped reading; answering what is in flight, then ending the socket. */
  CLOSING: 'closing',
  /** The socket is gone. */
  CLOSED: 'closed',
} as const);

/** One of {@link PesSessionState}'s values. */
export type PesSessionState = (typeof PesSessionState)[keyof typeof PesSessionState];

/** The session's view of its socket (implemented by the transport). */
export interface PesSessionIo {
  /** Hands a frame to the socket; false once it can no longer write. */
  write(frame: Buffer): boolean;
  /** Resumes (true) or pauses (false) reading from the socket: the backpressure switch. */
  setReading(reading: boolean): void;
  /** Ends the socket once written data is flushed (the session has nothing more to say). */
  end(): void;
}

/** Per-app settings every session of a listener shares. */
export interface PesSessionSettings {
  /** `PES_CIPHER`. */
  readonly cipher: PesCipherName;
  /** `PES_OAEP_HASH`. */
  readonly oaepHash: OaepHash;
  /** UTF-8 of `{"key_id":…,"secret_key":…}` (`INTEGRATOR_KEY_ID`/`INTEGRATOR_SECRET_KEY`); never logged. */
  readonly credentials: Buffer;
  /** `source` of the envelopes the ingress sends. */
  readonly source: string;
  /** Events read but unanswered before reading pauses (DESIGN §6: 64). */
  readonly maxInFlight: number;
  /** From accept to the POS's `register_client` ack (DESIGN §6: 10 s). */
  readonly handshakeTimeoutMs: number;
}

/** What a session needs. */
export interface PesSessionDeps {
  /** Connection id for logs (no address: that is logged once at accept). */
  readonly id: string;
  readonly settings: PesSessionSettings;
  readonly eventLog: PesEventLog;
  readonly telemetry: IngressTelemetry;
  readonly io: PesSessionIo;
}

/** One frame body read from the socket and not yet processed, with its timestamps. */
export interface PendingFrame {
  readonly body: Buffer;
  /** `Date.now()` when read: the event's `received_at` (DESIGN §6). */
  readonly receivedAt: number;
  /** `performance.now()` when read: start of the ack latency. */
  readonly startedAt: number;
}
