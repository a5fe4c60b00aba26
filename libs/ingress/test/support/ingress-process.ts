import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

/** The workspace root (this file is libs/ingress/test/support). */
const ROOT = path.resolve(__dirname, '../../../..');

/** The bundled app, as operators run it (DESIGN §8: `node dist/apps/<app>/main.js`). */
const MAIN = path.join(ROOT, 'dist/apps/event-stream-ingress/main.js');

/** Bundles the app (`node tools/build/bundle.mjs event-stream-ingress`). */
export async function bundleIngress(): Promise<void> {
  const child = spawn(process.execPath, [path.join(ROOT, 'tools/build/bundle.mjs'), 'event-stream-ingress'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`bundling event-stream-ingress failed (exit ${String(code)})`);
}

/** The ingress as a child process, started and killed by a test. */
export class IngressProcess {
  readonly #env: NodeJS.ProcessEnv;
  #child: ChildProcess | undefined;

  /** @param env the app's environment (REDIS_URL, PES_PORT, …) */
  constructor(env: NodeJS.ProcessEnv) {
    this.#env = env;
  }

  /** Starts `node dist/apps/event-stream-ingress/main.js`; resolves on its `ServiceStarted` log line. */
  async start(): Promise<void> {
    const child = spawn(process.execPath, [MAIN], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'], ...this.#env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        for (const line of output.split('\n')) {
          if (line.includes('"event":"ServiceStarted"')) {
            child.stdout?.off('data', onData);
            child.stdout?.resume(); // keep draining, or the child blocks on a full pipe
            child.off('exit', onExit);
            resolve();
            return;
          }
        }
      };
      const onExit = (code: number | null): void => reject(new Error(`ingress exited (${String(code)}) before it started:\n${output.slice(-2000)}`));
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', onExit);
    });
  }

  /** `kill -9`: no drain, no goodbye. Resolves when the process is gone. */
  async kill9(): Promise<void> {
    const child = this.#child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }

  /** Graceful stop (SIGTERM); resolves with the exit code. */
  async stop(): Promise<number | null> {
    const child = this.#child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    const exited = once(child, 'exit') as Promise<[number | null]>;
    child.kill('SIGTERM');
    const [code] = await exited;
    return code;
  }
}
