import { EventEmitter } from 'node:events';
import { PLATFORM_ERROR_CODES } from '../errors/platform-error-codes';
import { createLogger } from '../logging/create-logger';
import { LineCapture } from '../testing';
import { EXIT_CLEAN, EXIT_DRAIN_FAILED, closeWithTimeout, installShutdownHandlers, type SignalSource } from './shutdown';

class FakeProcess extends EventEmitter implements SignalSource {
  readonly exits: number[] = [];
  #onExit: ((code: number) => void) | undefined;

  exited(): Promise<number> {
    return new Promise((resolve) => (this.#onExit = resolve));
  }

  exit(code: number): void {
    this.exits.push(code);
    this.#onExit?.(code);
  }
}

function setup(close: () => Promise<void>, drainTimeoutMs = 1000) {
  const proc = new FakeProcess();
  const out = new LineCapture();
  const logger = createLogger({ app: 'shutdown-test', level: 'info', destination: out });
  const uninstall = installShutdownHandlers({ close }, { drainTimeoutMs, logger, process: proc });
  return { proc, out, uninstall };
}

describe('installShutdownHandlers', () => {
  it('on SIGTERM closes the target, logs, and exits 0', async () => {
    let closed = 0;
    const { proc, out } = setup(async () => void closed++);
    const exited = proc.exited();
    proc.emit('SIGTERM', 'SIGTERM');
    expect(await exited).toBe(EXIT_CLEAN);
    expect(closed).toBe(1);
    expect(out.records().map((r) => r['event'])).toEqual(['ServiceShutdownStarted', 'ServiceShutdownCompleted']);
  });

  it('on SIGINT too; exits 1 when the drain times out', async () => {
    const { proc, out } = setup(() => new Promise(() => undefined), 50);
    const exited = proc.exited();
    proc.emit('SIGINT', 'SIGINT');
    expect(await exited).toBe(EXIT_DRAIN_FAILED);
    const failure = out.records().find((r) => r['event'] === 'ServiceShutdownError');
    expect(failure?.['err']).toMatchObject({ code: PLATFORM_ERROR_CODES.ERR_PLATFORM_DRAIN_TIMEOUT });
  });

  it('exits 1 when close() fails', async () => {
    const { proc } = setup(async () => Promise.reject(new Error('stuck socket')));
    const exited = proc.exited();
    proc.emit('SIGTERM', 'SIGTERM');
    expect(await exited).toBe(EXIT_DRAIN_FAILED);
  });

  it('a second signal during the drain forces exit 1 at once, and close() runs only once', async () => {
    let closes = 0;
    let release: () => void = () => undefined;
    const { proc } = setup(() => {
      closes++;
      return new Promise<void>((resolve) => (release = resolve));
    });
    proc.emit('SIGTERM', 'SIGTERM');
    proc.emit('SIGINT', 'SIGINT');
    expect(proc.exits).toEqual([EXIT_DRAIN_FAILED]);
    expect(closes).toBe(1);
    release();
  });

  it('the uninstaller removes the listeners', () => {
    const { proc, uninstall } = setup(async () => undefined);
    expect(proc.listenerCount('SIGTERM')).toBe(1);
    uninstall();
    expect(proc.listenerCount('SIGTERM')).toBe(0);
    expect(proc.listenerCount('SIGINT')).toBe(0);
  });
});

describe('closeWithTimeout', () => {
  it('resolves when close finishes in time and rejects with ERR_PLATFORM_DRAIN_TIMEOUT otherwise', async () => {
    await expect(closeWithTimeout(async () => undefined, 100)).resolves.toBeUndefined();
    await expect(closeWithTimeout(() => new Promise(() => undefined), 10)).rejects.toMatchObject({
      code: PLATFORM_ERROR_CODES.ERR_PLATFORM_DRAIN_TIMEOUT,
      message: 'drain exceeded 10 ms',
    });
  });
});
