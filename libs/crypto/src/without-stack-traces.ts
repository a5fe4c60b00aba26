/**
 * Runs a synchronous `node:crypto` call with stack-trace capture off. Internal to this lib.
 *
 * Why: on Node 24, every function that takes a key (`publicEncrypt`, `createCipheriv`, `createHmac` …)
 * first asks `isKeyObject(x)` and then `isCryptoKey(x)` (lib/internal/crypto/keys.js). Each is a
 * try/catch around a private-field brand check, so for any object that is not that kind — a `Buffer`
 * key, or the `{ key, padding, oaepHash }` options object that is the only way to ask for OAEP-SHA-256 —
 * V8 constructs and throws a `TypeError` and Node catches and drops it. Building that error captures a
 * stack trace, which is most of its cost: `publicEncrypt({ key, padding, oaepHash }, dek)` measured
 * 27.4 µs, 20.8 µs with `Error.stackTraceLimit = 0` (Node 24.21, RSA-2048; the RSA work itself is the
 * 19.8 µs of `publicEncrypt(keyObject, dek)`). The errors are never seen by anyone, so their stacks are
 * pure waste.
 *
 * Safe because the call is synchronous: no other JavaScript runs while the limit is 0, and it is restored
 * in `finally`. An error that does escape `fn` gets its stack captured again (from here) before it is
 * rethrown, so a real failure is still diagnosable.
 */
export function withoutStackTraces<T>(fn: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return fn();
  } catch (error) {
    Error.stackTraceLimit = limit;
    if (error instanceof Error) Error.captureStackTrace(error, withoutStackTraces);
    throw error;
  } finally {
    Error.stackTraceLimit = limit;
  }
}
