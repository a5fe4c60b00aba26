import { Readable } from 'node:stream';
import type { CliIo } from '../../src/cli-io';

/** An in-memory CLI environment: collected stdout/stderr, a given stdin and env. */
export interface MemoryIo extends CliIo {
  out(): string;
  outBytes(): Buffer;
  err(): string;
}

export function memoryIo(options: { stdin?: string; env?: Record<string, string>; now?: () => number } = {}): MemoryIo {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const sink = (into: Buffer[]) => ({ write: (chunk: string | Uint8Array) => into.push(Buffer.from(chunk)) });
  return {
    stdout: sink(out),
    stderr: sink(err),
    stdin: Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]),
    env: options.env ?? {},
    now: options.now,
    out: () => Buffer.concat(out).toString('utf8'),
    outBytes: () => Buffer.concat(out),
    err: () => Buffer.concat(err).toString('utf8'),
  };
}
