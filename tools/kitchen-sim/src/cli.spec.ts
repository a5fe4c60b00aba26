import { runKitchenSimCli, USAGE } from './cli';

describe('kitchen-sim CLI', () => {
  const collect = (): { lines: string[]; io: { stdout: (l: string) => void; stderr: (l: string) => void } } => {
    const lines: string[] = [];
    return { lines, io: { stdout: (l) => lines.push(l), stderr: (l) => lines.push(l) } };
  };

  it('--help prints the usage and starts nothing', async () => {
    const { lines, io } = collect();
    expect(await runKitchenSimCli(['--help'], io)).toBeUndefined();
    expect(lines).toEqual([USAGE]);
    expect(USAGE).toContain('--heartbeat-ms');
  });

  it('starts on the given port and prints its URLs as one JSON line', async () => {
    const { lines, io } = collect();
    const sim = await runKitchenSimCli(['--port', '0', '--heartbeat-ms', '0'], io);
    try {
      expect(JSON.parse(lines[0]!)).toEqual({
        event: 'kitchen-sim listening',
        url: sim!.url,
        upstreamUrl: `${sim!.url}/sites/{site}`,
        upstreamWsUrl: `${sim!.wsUrl}/ws/{site}`,
      });
    } finally {
      await sim?.close();
    }
  });

  it('refuses unknown flags and bad numbers with TypeError', async () => {
    const { io } = collect();
    // parseArgs throws Node's own TypeError (another realm under Jest): compare by name.
    await expect(runKitchenSimCli(['--nope'], io)).rejects.toMatchObject({ name: 'TypeError', code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' });
    await expect(runKitchenSimCli(['--port', 'x'], io)).rejects.toThrow(TypeError);
  });
});
