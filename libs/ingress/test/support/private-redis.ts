import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getFreePort } from '@pos-link/platform/testing';

/**
 * A PRIVATE `redis-server` on a free port, for tests that stop and restart Redis (never the shared
 * server on 6379, which other tests use concurrently). No automatic persistence (`--save ""`,
 * `--appendonly no`); {@link stop} saves one RDB snapshot into a temp dir (`SHUTDOWN SAVE`) so a
 * restart comes back with the data, as a persistent production Redis would.
 */
export class PrivateRedis {
  readonly port: number;
  readonly #dir: string;
  #process: ChildProcess | undefined;

  private constructor(port: number, dir: string) {
    this.port = port;
    this.#dir = dir;
  }

  /** Starts a server; resolves once it accepts connections. */
  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await getFreePort(), await mkdtemp(path.join(tmpdir(), 'poslink-redis-')));
    await redis.restart();
    return redis;
  }

  /** `redis://127.0.0.1:<port>`. */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** (Re)starts the server on the same port and directory (loading the last snapshot). */
  async restart(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.#dir],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    this.#process = child;
    // Readiness signal: the server's own log line, not a sleep.
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      const onData = (chunk: Buffer): void => {
        seen += chunk.toString();
        if (seen.includes('Ready to accept connections')) {
          child.stdout?.off('data', onData);
          child.stdout?.resume();
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.once('exit', (code) => reject(new Error(`redis-server exited with ${String(code)}: ${seen.slice(-500)}`)));
    });
  }

  /** Stops the server after saving a snapshot (`SHUTDOWN SAVE`); resolves when the process has exited. */
  async stop(): Promise<void> {
    const child = this.#process;
    if (child === undefined || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    const cli = spawn('redis-cli', ['-p', String(this.port), 'shutdown', 'save'], { stdio: 'ignore' });
    await once(cli, 'exit');
    await exited;
    this.#process = undefined;
  }

  /** Freezes the process (SIGSTOP): connections stay open, nothing is answered — a hung store. */
  freeze(): void {
    this.#process?.kill('SIGSTOP');
  }

  /** Undoes {@link freeze} (SIGCONT). */
  thaw(): void {
    this.#process?.kill('SIGCONT');
  }

  /** Kills the server and removes its directory. */
  async destroy(): Promise<void> {
    const child = this.#process;
    if (child !== undefined && child.exitCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGCONT');
      child.kill('SIGKILL');
      await exited;
    }
    await rm(this.#dir, { recursive: true, force: true });
  }
}
