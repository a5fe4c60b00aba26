/**
 * `received_at` of a stored event (DESIGN §6: ISO-8601 UTC with milliseconds), from the `Date.now()`
 * at which its frame was read. Formatting a `Date` costs about a microsecond; the frames of one read
 * (a pipelined burst) share their millisecond, so the last one formatted is kept.
 */
let lastMs = Number.NaN;
let lastIso = '';

/** `new Date(ms).toISOString()`, reusing the previous result for the same millisecond. */
export function receivedAtIso(ms: number): string {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
}
