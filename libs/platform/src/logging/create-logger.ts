import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevelName } from '../config/service-config';
import { REDACTED, buildRedactPaths } from './redact';

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
      redact: { paths: buildRedactPaths(), censor: REDACTED },
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
