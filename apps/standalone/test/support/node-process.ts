import { spawn, type ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/** The workspace root (apps/standalone/test/support → ../../../..). */
export const WORKSPACE = path.resolve(__dirname, '../../../..');

/** Bundles apps with the real build script (`node tools/build/bundle.mjs <app>…`); returns their `main.js` paths. */
export async function bundleApps(...apps: string[]): Promise<Record<string, string>> {
  await promisify(execFile)(process.execPath, ['tools/build/bundle.mjs', ...apps], { cwd: WORKSPACE });
  return Object.fromEntries(apps.map((app) => [app, path.join(WORKSPACE, 'dist/apps', app, 'main.js')]));
}

/** How a child process ended. */
export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * A `node dist/apps/<app>/main.js` child process with its output collected: the tests wait on what
 * it prints (a log event) rather than sleeping.
 */
export class NodeProcess {
  readonly stdoutLines: string[] = [];
  stderr = '';
  readonly #child: ChildProcess;
  readonly #exit: Promise<Exit>;
  #partial = '';
  #waiters: Array<() => void> = [];

  /**
   * @param script the bundled main.js
   * @param env the child's whole environment (nothing is inherited but PATH, so a developer's
   *   variables cannot leak in); the working directory is an empty temp dir, so no `.env` is read
   * @param args command-line arguments
   */
  constructor(script: string, env: Record<string, string>, args: string[] = []) {
    const cwd = mkdtempSync(path.join(tmpdir(), 'poslink-proc-'));
    this.#child = spawn(process.execPath, [script, ...args], {
      cwd,
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child.stdout!.on('data', (chunk: Buffer) => {
      const lines = (this.#partial + chunk.toString()).split('\n');
      this.#partial = lines.pop() ?? '';
      this.stdoutLines.push(...lines);
      this.#notify();
    });
    this.#child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    this.#exit = new Promise((resolve) =>
      this.#child.on('exit', (code, signal) => {
        this.#notify();
        resolve({ code, signal });
      }),
    );
  }

  /** The stdout lines that are JSON objects (log records). */
  records(): Record<string, unknown>[] {
    return this.stdoutLines.flatMap((line) => {
      if (!line.startsWith('{')) return [];
      return [JSON.parse(line) as Record<string, unknown>];
    });
  }

  /** Resolves with the first log record matching `predicate`; rejects if the process exits or `timeoutMs` passes first. */
  async waitForRecord(predicate: (record: Record<string, unknown>) => boolean, timeoutMs = 15_000): Promise<Record<string, unknown>> {
    const line = await this.waitForLine((text) => text.startsWith('{') && predicate(JSON.parse(text) as Record<string, unknown>), timeoutMs);
    return JSON.parse(line) as Record<string, unknown>;
  }

  /** Resolves with the first stdout line matching `predicate`; rejects if the process exits or `timeoutMs` passes first. */
  async waitForLine(predicate: (line: string) => boolean, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.#exit.then(() => (exited = true));
    for (;;) {
      const found = this.stdoutLines.find(predicate);
      if (found !== undefined) return found;
      if (exited) throw new Error(`process exited before the expected line; stderr: ${this.stderr}`);
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no expected line within ${timeoutMs} ms; stdout: ${this.stdoutLines.join('\n')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Sends a signal. */
  kill(signal: NodeJS.Signals): void {
    this.#child.kill(signal);
  }

  /** Resolves when the process exits; kills it and rejects after `timeoutMs`. */
  async exited(timeoutMs = 15_000): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.#child.kill('SIGKILL');
        reject(new Error(`process did not exit within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.#exit, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  #notify(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}
