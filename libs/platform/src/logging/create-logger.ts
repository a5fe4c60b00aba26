import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevelName } from '../config/service-config';
import { REDACTED, REDACTED_FIELDS, censorSecrets } from './redact';

/**
 * Top-level serializers for the secret names: pino applies serializers to child-logger bindings too, which
 * its `formatters.bindings` does not reach (pino resets that formatter for children). Nested secrets in
 * bindings are not walked: bind identifiers to children, never objects holding keys.
 */
const SECRET_SERIALIZERS: Readonly<Record<string, () => string>> = Object.freeze(
  Object.fromEntries(REDACTED_FIELDS.map((name) => [name, () => REDACTED])),
);

/** Options of `createLogger`. */
export interface CreateLoggerOptions {
  /** The app's name, bound to every line as `app` (standalone runs three apps in one process). */
  readonly app: string;
  /** `LOG_LEVEL`. */
  readonly level: LogLevelName;
  /** Where lines go; default stdout (synchronous writes, so nothing is lost on exit). */
  readonly destination?: DestinationStream;
}

/**
 * The JSON logger of one app instance (DESIGN §7): pino, ISO timestamps, `app` bound to every line,
 * secret fields censored at any depth (see `REDACTED_FIELDS`). One per app, never a global one.
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { app: options.app, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        // One walk per line instead of pino's path-based `redact` (see redact.ts for the measurement).
        log: (object) => censorSecrets(object),
        bindings: (bindings) => censorSecrets(bindings),
      },
      serializers: SECRET_SERIALIZERS,
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
