/**
 * What the `ale` CLI reads and writes, injectable so tests run `main(argv, io)` in-process.
 */

/** A writable sink (process.stdout/stderr satisfy it). */
export interface CliSink {
  write(chunk: string | Uint8Array): unknown;
}

/** The CLI's environment. */
export interface CliIo {
  /** Output. */
  readonly stdout: CliSink;
  /** Diagnostics. */
  readonly stderr: CliSink;
  /** Input for `--data -` and for encrypt/decrypt without `--data` (process.stdin satisfies it). */
  readonly stdin: AsyncIterable<string | Buffer>;
  /** Environment variables (`ALE_KEY_VALUE`, `ALE_FINGERPRINT`, `PORTAL_URL`, `PORTAL_AUTH`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Clock (for `--timestamp` and Portal key selection); default `Date.now`. */
  readonly now?: () => number;
}

/** Exit codes (documented in `--help` and the README). */
export const EXIT = Object.freeze({
  /** Done; for `send`, the gateway answered with a status below 400. */
  OK: 0,
  /** The other side said no: the gateway answered ≥ 400, an answer or input did not decrypt, the Portal failed. */
  FAILED: 1,
  /** Usage: unknown command or flag, a required flag missing, a malformed value. */
  USAGE: 2,
} as const);

/** A usage mistake: printed with a pointer to `--help`, exit code 2. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

/** Reads all of stdin. */
export async function readAll(input: AsyncIterable<string | Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  return Buffer.concat(chunks);
}
