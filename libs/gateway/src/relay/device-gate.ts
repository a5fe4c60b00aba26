/**
 * The relay rules of one terminal (DESIGN §5, `docs/protocols/sci.md` §5), as a small state machine
 * without I/O:
 *
 * - one outstanding **primary** request; one outstanding **secondary** (`SECONDARYPORT`) request
 *   alongside it — SCI answers carry no request id, so the relay never lets two requests of one kind
 *   overlap (that keeps every answer attributable);
 * - `SESSION`/`START` makes the sending POS the **owner** until `SESSION`/`FINISH` is answered, the POS
 *   disconnects, the session stays idle for `sessionIdleMs`, or the terminal's connection ends;
 * - while a session is owned, every request of another POS is refused (`SESSION_OWNED`, 59003); a
 *   request whose slot is taken is refused (`DEVICE_BUSY`, 59002).
 */
import type { SciCommandKind } from '@pos-link/protocol';
import type { SynthesizedName } from './synthesized-responses';

/** Which of the two request slots a request occupies. */
export type DeviceSlot = 'primary' | 'secondary';

/** A granted request: its slot, and whether it opened the session (so a failed START can undo it). */
export interface Admitted {
  readonly slot: DeviceSlot;
  readonly kind: SciCommandKind;
  readonly clientId: string;
  /** True when this `SESSION`/`START` made `clientId` the owner. */
  readonly grantedSession: boolean;
}

/** How a request ended, for the ownership rules. */
export type Completion =
  /** The terminal answered; `succeeded` = `TERMINATION_STATUS` SUCCESS. */
  | { readonly by: 'device'; readonly succeeded: boolean }
  /** The relay answered (timeout, offline, invalid answer). */
  | { readonly by: 'relay' };

/** Options of {@link DeviceGate}. */
export interface DeviceGateOptions {
  /** A session without requests for this long loses its owner (`RELAY_SESSION_IDLE_MS`). */
  readonly sessionIdleMs: number;
  /** Told when a session ends by idleness (telemetry). */
  readonly onSessionExpired?: (clientId: string) => void;
}

/** The rules of one terminal. See the file header. */
export class DeviceGate {
  readonly #options: DeviceGateOptions;
  readonly #busy = new Set<DeviceSlot>();
  #owner: string | undefined;
  #idleTimer: NodeJS.Timeout | undefined;

  /** @param options idle timeout and hooks */
  constructor(options: DeviceGateOptions) {
    if (!Number.isSafeInteger(options.sessionIdleMs) || options.sessionIdleMs < 1) throw new TypeError('sessionIdleMs must be a positive integer');
    this.#options = options;
  }

  /** The POS that owns the session, if any. */
  get owner(): string | undefined {
    return this.#owner;
  }

  /** Whether a slot is taken. */
  isBusy(slot: DeviceSlot): boolean {
    return this.#busy.has(slot);
  }

  /**
   * Decides one request and, when it may pass, reserves its slot (and the session for a START).
   * @returns the grant, or the synthesized answer that refuses it
   */
  admit(clientId: string, kind: SciCommandKind): Admitted | SynthesizedName {
    if (this.#owner !== undefined && this.#owner !== clientId) return 'SESSION_OWNED';
    const slot: DeviceSlot = kind === 'secondary' ? 'secondary' : 'primary';
    if (this.#busy.has(slot)) return 'DEVICE_BUSY';
    this.#busy.add(slot);
    const grantedSession = kind === 'session-start' && this.#owner === undefined;
    if (grantedSession) this.#owner = clientId;
    if (this.#owner === clientId) this.#stopIdleTimer(); // the session is in use
    return { slot, kind, clientId, grantedSession };
  }

  /** Frees the slot of a finished request and applies the session rules. */
  complete(admitted: Admitted, completion: Completion): void {
    this.#busy.delete(admitted.slot);
    if (this.#owner !== admitted.clientId) return;
    const failed = completion.by === 'relay' || !completion.succeeded;
    if (admitted.kind === 'session-finish' || (admitted.grantedSession && failed)) {
      this.#endSession();
      return;
    }
    if (!this.#busy.has('primary') && !this.#busy.has('secondary')) this.#startIdleTimer();
  }

  /** The POS went away (its WebSocket closed): it no longer owns the session. */
  releaseClient(clientId: string): void {
    if (this.#owner === clientId) this.#endSession();
  }

  /** Ends everything (the terminal's connection closed): no owner, no timers. */
  close(): void {
    this.#endSession();
    this.#busy.clear();
  }

  #endSession(): void {
    this.#stopIdleTimer();
    this.#owner = undefined;
  }

  #startIdleTimer(): void {
    this.#stopIdleTimer();
    const owner = this.#owner;
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = undefined;
      if (this.#owner !== owner || owner === undefined) return;
      this.#owner = undefined;
      this.#options.onSessionExpired?.(owner);
    }, this.#options.sessionIdleMs);
    this.#idleTimer.unref();
  }

  #stopIdleTimer(): void {
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
  }
}
