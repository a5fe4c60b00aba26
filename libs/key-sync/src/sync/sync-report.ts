import type { KeyValidity, ReplaceSiteResult } from '@pos-link/keyring';

/**
 * The result of one Portal fetch, the `outcome` label of `poslink_keysync_portal_fetches_total` (a bounded
 * set, STYLE 13): `ok` — a valid site object (written, or refused only by the store/fencing); `http_error` —
 * a non-200 status or a transport failure; `timeout`; `invalid` — not JSON, too large, or a site object that
 * breaks a DESIGN §2 rule; `conflict` — a fingerprint another site already uses.
 */
export type FetchOutcome = 'ok' | 'http_error' | 'timeout' | 'invalid' | 'conflict';

/** Every {@link FetchOutcome}, in documentation order (metrics are pre-created for each). */
export const FETCH_OUTCOMES: readonly FetchOutcome[] = ['ok', 'http_error', 'timeout', 'invalid', 'conflict'];

/**
 * What one sync of one site did:
 * - `written`: the keys are in the store (`result` says what changed);
 * - `rejected`: the Portal answered but the object is unusable (`invalid`/`conflict`): last good keys kept;
 * - `fetch_failed`: the Portal did not answer usefully (`http_error`/`timeout`/`invalid` body);
 * - `store_failed`: valid keys, but the store write failed: last good keys kept;
 * - `fenced`: valid keys, but this replica is no longer the leader: nothing written.
 */
export type SyncStatus = 'written' | 'rejected' | 'fetch_failed' | 'store_failed' | 'fenced';

/** The report of one sync, for the engine's bookkeeping, metrics and logs. Holds no key value. */
export interface SyncReport {
  /** The site. */
  readonly siteId: string;
  /** What happened. */
  readonly status: SyncStatus;
  /** The Portal fetch's outcome (the metric label). */
  readonly outcome: FetchOutcome;
  /** The error code of a failure (`ERR_KEYSYNC_*` or the keyring's `ERR_KEYRING_*`). */
  readonly errorCode?: string;
  /** The error's message (never a value, body or credential: see the error registries). */
  readonly reason?: string;
  /** The encryption flag listed (when the object was valid). */
  readonly encryption?: boolean;
  /** The validity of the keys listed (when the object was valid), for poll scheduling. */
  readonly listed?: readonly KeyValidity[];
  /** What the store did (status `written`). */
  readonly written?: ReplaceSiteResult;
}
