import { ValidateBy, type ValidationOptions } from 'class-validator';
import { parseRedisUrl } from '../redis/redis-url';

/**
 * Config validators whose messages read well after a variable name
 * (`HTTP_PORT: must be an integer 0..65535 (got "abc")`). Messages never contain the value:
 * `loadConfig` adds `(got "…")` itself, and only for variables not marked secret.
 */

/** The largest TCP port number. */
const MAX_PORT = 65535;

/** An integer TCP port, 0..65535 (0 = any free port, useful for tests). */
export function IsPort(options?: ValidationOptions): PropertyDecorator {
  return IsIntInRange(0, MAX_PORT, options);
}

/** An integer in `min..max` (inclusive); `max` omitted = no upper bound. */
export function IsIntInRange(min: number, max?: number, options?: ValidationOptions): PropertyDecorator {
  const range = max === undefined ? `>= ${min}` : `${min}..${max}`;
  return ValidateBy(
    {
      name: 'isIntInRange',
      constraints: [min, max],
      validator: {
        validate: (value: unknown) =>
          Number.isSafeInteger(value) && (value as number) >= min && (max === undefined || (value as number) <= max),
        defaultMessage: () => `must be an integer ${range}`,
      },
    },
    options,
  );
}

/**
 * A URL (WHATWG-parsable) whose scheme is one of `protocols` (without the colon, e.g. `['http','https']`).
 * Used for `PORTAL_URL`, `UPSTREAM_URL`, `UPSTREAM_WS_URL`; `{site}` placeholders are allowed.
 */
export function IsUrlWithProtocols(protocols: readonly string[], options?: ValidationOptions): PropertyDecorator {
  const schemes = protocols.map((p) => `${p}://`).join(' or ');
  return ValidateBy(
    {
      name: 'isUrlWithProtocols',
      constraints: [protocols],
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string' || !URL.canParse(value)) return false;
          const url = new URL(value);
          return protocols.includes(url.protocol.slice(0, -1)) && url.hostname !== '';
        },
        defaultMessage: () => `must be a ${schemes} URL`,
      },
    },
    options,
  );
}

/** A `REDIS_URL` in one of the documented forms (see `parseRedisUrl`). */
export function IsRedisUrl(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isRedisUrl',
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          try {
            parseRedisUrl(value);
            return true;
          } catch {
            return false;
          }
        },
        defaultMessage: (args) => {
          try {
            parseRedisUrl(String(args?.value));
            return 'must be a Redis URL';
          } catch (error) {
            return `must be a Redis URL (${(error as Error).message.replace(/^invalid Redis URL: /, '')})`;
          }
        },
      },
    },
    options,
  );
}
