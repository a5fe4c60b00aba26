import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';

/**
 * Nest's own start-up chatter (module wiring, route mapping) goes to `debug`, so an `info` log shows
 * what the service does rather than how Nest assembled it.
 */
const FRAMEWORK_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

/**
 * Nest `LoggerService` writing through one app's pino logger.
 *
 * Why not nestjs-pino's `Logger`: nestjs-pino 5 keeps ONE process-wide root logger ("whoever gets
 * there first") and its module is `@Global`, while the standalone process runs three apps, each with
 * its own `app` binding and registry (DESIGN §1). Nest only needs this small adapter.
 */
export class PinoNestLogger implements LoggerService {
  readonly #logger: Logger;

  /** @param logger the app's logger (from `createLogger`) */
  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Nest `log` → pino `info` (framework contexts → `debug`). */
  log(message: unknown, ...optional: unknown[]): void {
    const context = this.#context(optional);
    this.#write(context !== undefined && FRAMEWORK_CONTEXTS.has(context) ? 'debug' : 'info', message, optional);
  }

  /** Nest `error`; Nest passes a stack string before the context. */
  error(message: unknown, ...optional: unknown[]): void {
    this.#write('error', message, optional);
  }

  /** Nest `warn` → pino `warn`. */
  warn(message: unknown, ...optional: unknown[]): void {
    this.#write('warn', message, optional);
  }

  /** Nest `debug` → pino `debug`. */
  debug(message: unknown, ...optional: unknown[]): void {
    this.#write('debug', message, optional);
  }

  /** Nest `verbose` → pino `trace`. */
  verbose(message: unknown, ...optional: unknown[]): void {
    this.#write('trace', message, optional);
  }

  /** Nest `fatal` → pino `fatal`. */
  fatal(message: unknown, ...optional: unknown[]): void {
    this.#write('fatal', message, optional);
  }

  #context(optional: readonly unknown[]): string | undefined {
    const last = optional.at(-1);
    return typeof last === 'string' ? last : undefined;
  }

  #write(level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal', message: unknown, optional: readonly unknown[]): void {
    // Nest calls (message, ...params, context): the last string is the context, a string before it
    // on `error` is a stack trace.
    const context = this.#context(optional);
    const rest = context === undefined ? optional : optional.slice(0, -1);
    const fields: Record<string, unknown> = context === undefined ? {} : { context };
    const stack = rest.find((p): p is string => typeof p === 'string');
    if (stack !== undefined && level === 'error') fields['stack'] = stack;
    if (message instanceof Error) {
      this.#logger[level]({ ...fields, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.#logger[level]({ ...fields, ...(message as Record<string, unknown>) });
    } else {
      this.#logger[level](fields, String(message));
    }
  }
}
