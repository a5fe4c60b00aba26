import { KeyringError } from './errors';

/**
 * Longest text worth matching: `YYYY-MM-DDTHH:MM:SSS.fffffffff+HH:MM` is 36 characters. Anything longer is
 * refused before the regular expression runs.
 */
const MAX_TIMESTAMP_LENGTH = 40;

/**
 * ISO-8601 extended-format date-time with a UTC designator or offset (seed 001: "UTC timestamp in ISO-8601
 * format"). Seconds are optional (`HH:MM` is ISO-8601 too) and may have three digits: the seed's own example
 * writes `2024-06-11T00:00:000Z` (DESIGN §2: `0SS` reads as `SS`). The fraction takes `.` or `,` (both
 * ISO-8601) and up to nine digits; the date/time separator is `T` (RFC 3339 also allows `t` or a space).
 * A text without `Z` or an offset is local time of an unknown zone: refused, never guessed.
 */
const TIMESTAMP_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2,3})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)$/;

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;

/**
 * Reads a Portal timestamp (DESIGN §2) into milliseconds since the epoch.
 *
 * Accepted: `YYYY-MM-DDTHH:MM[:SS[.f…]](Z|±HH[:MM]|±HHMM)`, fraction truncated to milliseconds, `24:00:00`
 * as the end of the day, and the seed's three-digit seconds `0SS` read as `SS` (`000`→`00`, `059`→`59`).
 * Refused with `ERR_KEYRING_TIMESTAMP_INVALID`: anything else, out-of-range fields (month 13, 30 February,
 * second 60, other three-digit seconds), or no zone. The message never repeats the text.
 *
 * @param text the timestamp as the Portal sent it
 * @returns milliseconds since the epoch (UTC)
 * @throws TypeError when `text` is not a string (callers type-check untrusted JSON first)
 */
export function parsePortalTimestamp(text: string): number {
  if (typeof text !== 'string') throw new TypeError('parsePortalTimestamp expects a string');
  const match = text.length <= MAX_TIMESTAMP_LENGTH ? TIMESTAMP_PATTERN.exec(text) : null;
  if (match === null) throw invalid('not an ISO-8601 date-time with a UTC designator or offset');
  const [, y, mo, d, h, mi, s = '00', frac = '', zulu, sign, oh, om = '00'] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = readSeconds(s);
  const millis = Number(frac.slice(0, 3).padEnd(3, '0'));

  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) throw invalid('date out of range');
  const endOfDay = hour === 24 && minute === 0 && second === 0 && /^0*$/.test(frac);
  if ((hour > 23 && !endOfDay) || minute > 59) throw invalid('time out of range');

  let offsetMinutes = 0;
  if (zulu === undefined) {
    const offH = Number(oh);
    const offM = Number(om);
    if (offH > 23 || offM > 59) throw invalid('offset out of range');
    offsetMinutes = (sign === '-' ? -1 : 1) * (offH * 60 + offM);
  }
  const dayMs = daysFromCivil(year, month, day) * MS_PER_DAY;
  const timeMs = ((hour * 60 + minute) * 60 + second) * 1000 + millis;
  return dayMs + timeMs - offsetMinutes * MS_PER_MINUTE;
}

/** Two digits `00`–`59`, or the seed's three-digit form `000`–`059` (DESIGN §2); anything else is refused. */
function readSeconds(text: string): number {
  if (text.length === 3 && text[0] !== '0') throw invalid('three-digit seconds other than 0SS');
  const seconds = Number(text);
  // 60 would be a leap second; it cannot be represented in epoch milliseconds, so it is refused (fail closed).
  if (seconds > 59) throw invalid('seconds out of range');
  return seconds;
}

function invalid(detail: string): KeyringError {
  return new KeyringError('ERR_KEYRING_TIMESTAMP_INVALID', detail);
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`). Used instead of
 * `Date.UTC`, which maps years 0–99 to 1900–1999.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}
