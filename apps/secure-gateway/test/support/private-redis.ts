/**
 * A private `redis-server` for tests that stop Redis (never the shared one on 6379): spawned on a free
 * port without persistence, stopped by signalling its own process id.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { getFreePort } from '@pos-link/platform/testing';

/** A running private Redis. */
export interface PrivateRedis {
  readonly url: string;
  /** Stops the server (SIGTERM to its pid) and resolves once it has exited. Idempotent. */
  stop(): Promise<void>;
}

/** Starts `redis-server --port <free> --save "" --appendonly no` and resolves once it answers PING. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await getFreePort();
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  // redis-server logs this line once it accepts connections: the readiness signal.
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString('utf8');
      if (!seen.includes('Ready to accept connections')) return;
      child.stdout?.off('data', onData);
      child.stdout?.resume();
      resolve();
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code} before it was ready`)));
    child.once('error', reject);
  });
  const url = `redis://127.0.0.1:${port}`;
  let stopped: Promise<void> | undefined;
  return {
    url,
    stop: () => {
      stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exited;
      })();
      return stopped;
    },
  };
}
