/**
 * The logging surface the ingress needs: structurally a subset of a pino `Logger`, so the platform's
 * pino instance (or a child of it) is passed as is and tests can pass a recorder.
 */
export interface IngressLogger {
  debug(obj: Record<string, unknown>, msg: string): void;
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
  /**
   * Whether `level` is logged (pino's `isLevelEnabled`). Lets a per-connection debug event skip the work
   * of gathering its fields when debug is off; absent = every level is on.
   */
  isLevelEnabled?(level: string): boolean;
}

/** A logger that drops everything (library default when the caller passes none). */
export const SILENT_INGRESS_LOGGER: IngressLogger = Object.freeze({
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
});
