import { buildSciXml } from '@pos-link/protocol';
import { startTerminalServer } from '../test/support/terminal-server';
import { runDeviceSimCli, USAGE } from './cli';
import type { DeviceSim } from './device-sim';

describe('device-sim CLI', () => {
  const collect = () => {
    const lines: string[] = [];
    return { lines, io: { stdout: (l: string) => lines.push(l), stderr: (l: string) => lines.push(l) } };
  };

  it('--help prints the usage and starts nothing', () => {
    const { lines, io } = collect();
    expect(runDeviceSimCli(['--help'], io)).toBeUndefined();
    expect(lines).toEqual([USAGE]);
  });

  it.each([
    [[], '--url is required'],
    [['--url', 'ws://127.0.0.1:1/'], '--pinpad-id is required'],
    [['--url', 'ws://127.0.0.1:1/', '--pinpad-id', '1', '--delay', 'PAYMENT'], '--delay must be CMD=ms'],
    [['--url', 'http://x/', '--pinpad-id', '1'], 'url must be a ws:// or wss:// URL'],
  ])('%j is refused with a TypeError', (argv, message) => {
    const { io } = collect();
    expect(() => runDeviceSimCli(argv, io)).toThrow(message);
  });

  it('prints terminal-screen status lines and one line per request', async () => {
    const server = await startTerminalServer(0);
    const { lines, io } = collect();
    const next = server.nextConnection();
    const sims = runDeviceSimCli(['--url', `ws://127.0.0.1:${server.port}/`, '--pinpad-id', 'P7', '--delay', 'PAYMENT=0'], io) as DeviceSim[];
    try {
      const connection = await next;
      await sims[0]!.waitForStatus('connected');
      await connection.request(buildSciXml('TRANSACTION', { FUNCTION_TYPE: 'PAYMENT', COMMAND: 'SALE', TRANS_AMOUNT: '2.00' }));
      expect(lines).toEqual(['[pinpad P7] connecting', '[pinpad P7] connected', '[pinpad P7] PAYMENT/SALE → APPROVED']);
    } finally {
      await Promise.all(sims.map((s) => s.close()));
      await server.close();
    }
  });
});
