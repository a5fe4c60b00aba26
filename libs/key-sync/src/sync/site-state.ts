import type { KeyValidity } from '@pos-link/keyring';
import type { FetchOutcome } from './sync-report';

/**
 * The engine's bookkeeping for one configured site (never a key value). Only the leader updates it; the
 * failure streak and back-off are reset at every leadership change (they belong to one term).
 */
export class SiteState {
  /** The configured site id. */
  readonly siteId: string;
  /** The next poll (leader only). */
  timer: NodeJS.Timeout | undefined;
  /** The sync in flight (refresh requests and polls coalesce on it). */
  running: Promise<void> | undefined;
  /**
   * A refresh was requested while a sync ran: that sync may have fetched before what the reader saw (a key
   * rotation), so one more fetch follows it (docs/specs/key-sync.md §7).
   */
  refreshAgain = false;
  /** The next timer is a follow-up fetch (so more requests do not push it back). Reset with the timer. */
  followUpDue = false;
  /** Consecutive failed syncs (0 after a success): > 0 means degraded (stale-while-error). */
  failures = 0;
  /** Wall-clock ms before which the Portal is not asked again for this site (back-off). */
  backoffUntil = 0;
  /** When the current run of failures began (wall-clock ms), for the recovery log. */
  failingSince: number | undefined;
  /** The last fetch outcome and error code. */
  lastOutcome: FetchOutcome | undefined;
  lastErrorCode: string | undefined;
  /** Validity of the keys the Portal last listed (poll scheduling). */
  listed: readonly KeyValidity[] = [];

  /** @param siteId the configured site id */
  constructor(siteId: string) {
    this.siteId = siteId;
  }

  /** Cancels the next poll. */
  cancelTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.followUpDue = false;
  }
}
