/**
 * Redis Stream entry ids (`<ms>-<seq>`, both unsigned 64-bit decimals) as resume positions
 * (docs/specs/gateway-ws.md: `from`).
 */

/** A full entry id: two decimal numbers without leading zeros (`0` itself allowed). */
const FULL_ID = /^(0|[1-9]\d{0,19})-(0|[1-9]\d{0,19})$/;

/** 2^64 - 1: the largest `ms` or `seq` Redis accepts. */
const U64_MAX = (1n << 64n) - 1n;

/** The position before every entry. */
export const STREAM_START_ID = '0-0';

/** Whether `id` is a full stream entry id within Redis' range. */
export function isStreamId(id: unknown): id is string {
  if (typeof id !== 'string') return false;
  const match = FULL_ID.exec(id);
  return match !== null && BigInt(match[1] ?? '0') <= U64_MAX && BigInt(match[2] ?? '0') <= U64_MAX;
}

function parts(id: string): [bigint, bigint] {
  const dash = id.indexOf('-');
  if (dash === -1 || !isStreamId(id)) throw new TypeError(`not a stream id: ${id}`);
  return [BigInt(id.slice(0, dash)), BigInt(id.slice(dash + 1))];
}

/**
 * Orders two entry ids: negative when `a` comes first, 0 when equal, positive after.
 * @throws TypeError when either is not a full id
 */
export function compareStreamIds(a: string, b: string): number {
  if (a === b) return 0;
  const [am, as] = parts(a);
  const [bm, bs] = parts(b);
  if (am !== bm) return am < bm ? -1 : 1;
  return as < bs ? -1 : as > bs ? 1 : 0;
}

/**
 * The smallest id after `id` (for an inclusive `XRANGE` start that excludes `id`; works on every Redis
 * version, unlike the `(` prefix of 6.2+). Undefined after the very last possible id.
 */
export function nextStreamId(id: string): string | undefined {
  const [ms, seq] = parts(id);
  if (seq < U64_MAX) return `${ms}-${seq + 1n}`;
  if (ms < U64_MAX) return `${ms + 1n}-0`;
  return undefined;
}
