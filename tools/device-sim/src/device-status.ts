/**
 * What the terminal shows (seed 002: "SCA should display proper messages on screen while trying to
 * connect and gives visual indication of retries and status of the connection").
 */

/** The connection status: `connecting` (until the first success), `connected`, `reconnecting (attempt N)`, `closed`. */
export type DeviceStatus = 'connecting' | 'connected' | `reconnecting (attempt ${number})` | 'closed';

/** A scheduled retry. */
export interface DeviceRetry {
  /** The attempt about to be made (from 1 after a loss; from 2 while first connecting). */
  readonly attempt: number;
  /** Wait before it, ms. */
  readonly delayMs: number;
  /** Why the last attempt or connection ended (no secrets: a socket error message or an HTTP status). */
  readonly reason: string | undefined;
}

/**
 * One terminal-screen line: `[pinpad 1] connected`, `[pinpad 1] connecting — attempt 2 in 0.3 s (connect
 * ECONNREFUSED …)`, `[pinpad 1] reconnecting (attempt 3) — in 1.2 s (connection closed (1006))`.
 */
export function screenLine(pinpadId: string, status: DeviceStatus, retry?: DeviceRetry): string {
  const head = `[pinpad ${pinpadId}] ${status}`;
  if (retry === undefined) return head;
  const reason = retry.reason === undefined ? '' : ` (${retry.reason})`;
  const when = `in ${(retry.delayMs / 1000).toFixed(1)} s`;
  // "reconnecting (attempt N)" names the attempt already; "connecting" does not.
  return `${head} — ${status === 'connecting' ? `attempt ${retry.attempt} ${when}` : when}${reason}`;
}
