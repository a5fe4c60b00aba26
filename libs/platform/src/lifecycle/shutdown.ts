import type { Logger } from 'pino';
import { PlatformError } from '../errors/platform-error';
import { PLATFORM_ERROR_CODES } from '../errors/platform-error-codes';

/** Anything with an idempotent `close()` (a `RunnableService`, the standalone composition). */
export interface Closable {
  close(): Promise<void>;
}

/** The part of `process` the shutdown helper uses (tests pass a fake emitter). */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  exit(code: number): never | void;
}

/** Options of `installShutdownHandlers`. */
export interface ShutdownOptions {
  /** `DRAIN_TIMEOUT_MS`: how long `close()` may take before the process exits with status 1. */
  readonly drainTimeoutMs: number;
  /** Where the shutdown is logged. */
  readonly logger: Logger;
  /** Default SIGTERM (orchestrators) and SIGINT (Ctrl-C). */
  readonly signals?: readonly NodeJS.Signals[];
  /** Default `process`. */
  readonly process?: SignalSource;
}

/** Exit status when the drain finished: the orchestrator sees a clean stop. */
export const EXIT_CLEAN = 0;
/** Exit status when the drain timed out or failed, or a second signal forced the exit. */
export const EXIT_DRAIN_FAILED = 1;

/**
 * Runs `close` with a deadline; rejects with `PlatformError` `ERR_PLATFORM_DRAIN_TIMEOUT` when it
 * is exceeded (the close keeps running, but the caller stops waiting).
 */
export async function closeWithTimeout(close: () => Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new PlatformError(PLATFORM_ERROR_CODES.ERR_PLATFORM_DRAIN_TIMEOUT, `drain exceeded ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([close(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The one owner of SIGTERM/SIGINT for a process (every `main.ts` calls it; Nest's
 * `enableShutdownHooks` is not used). On the first signal it calls `target.close()` with the drain
 * deadline, logs, and exits 0, or 1 if the drain failed or timed out; a second signal during the
 * drain exits 1 at once (an operator pressing Ctrl-C twice means it). Returns an uninstaller.
 */
export function installShutdownHandlers(target: Closable, options: ShutdownOptions): () => void {
  const proc = options.process ?? process;
  const signals = options.signals ?? (['SIGTERM', 'SIGINT'] as const);
  const { logger } = options;
  let draining = false;

  const onSignal = (signal: NodeJS.Signals): void => {
    if (draining) {
      logger.warn({ event: 'ServiceShutdownForced', signal }, 'second signal during drain: exiting now');
      proc.exit(EXIT_DRAIN_FAILED);
      return;
    }
    draining = true;
    const started = Date.now();
    logger.info({ event: 'ServiceShutdownStarted', signal, drainTimeoutMs: options.drainTimeoutMs }, 'shutting down');
    closeWithTimeout(() => target.close(), options.drainTimeoutMs).then(
      () => {
        logger.info({ event: 'ServiceShutdownCompleted', durationMs: Date.now() - started }, 'stopped');
        proc.exit(EXIT_CLEAN);
      },
      (error: unknown) => {
        logger.error({ event: 'ServiceShutdownError', err: error, durationMs: Date.now() - started }, 'drain failed');
        proc.exit(EXIT_DRAIN_FAILED);
      },
    );
  };

  for (const signal of signals) proc.on(signal, onSignal);
  return () => {
    for (const signal of signals) proc.off(signal, onSignal);
  };
}
