/** A key as the simulated Portal holds it (times in ms since the epoch; the wire has ISO-8601). */
export interface PortalSimKey {
  /** MD5 hex of a random UUID (seed 001). */
  readonly fingerprint: string;
  /** The secret value. */
  readonly value: string;
  /** First valid millisecond. */
  readonly validAfter: number;
  /** First invalid millisecond. */
  readonly validUntil: number;
}
