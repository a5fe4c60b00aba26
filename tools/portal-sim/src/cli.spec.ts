import { parseSiteSecurity } from '@pos-link/keyring';
import { USAGE, runPortalSimCli, type CliIo } from './cli';

function collector(env: Record<string, string> = {}): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (l) => out.push(l), stderr: (l) => err.push(l), env };
}

describe('portal-sim CLI', () => {
  it('--help prints the usage and starts nothing', async () => {
    const io = collector();
    expect(await runPortalSimCli(['--help'], io)).toBeUndefined();
    expect(io.out).toEqual([USAGE]);
    for (const flag of ['--port', '--auth', '--sites', '--rotation-ms', '--overlap-ms', '--seed', '/admin/faults']) {
      expect(USAGE).toContain(flag);
    }
  });

  it('refuses unknown flags and bad numbers', async () => {
    await expect(runPortalSimCli(['--bogus'], collector())).rejects.toThrow();
    await expect(runPortalSimCli(['--port', 'eighty'], collector())).rejects.toThrow(TypeError);
    await expect(runPortalSimCli(['--rotation-ms', '-5'], collector())).rejects.toThrow();
  });

  it('starts a simulator from flags and env, printing its URL as one JSON line', async () => {
    const io = collector({ PORTAL_AUTH: 'Bearer from-env', SITE_IDS: 'a,b', PORTAL_SIM_PORT: '0' });
    const sim = await runPortalSimCli(['--plaintext-sites', 'c', '--seed', 'cli'], io);
    try {
      expect(sim).toBeDefined();
      const line = JSON.parse(io.out[0]!) as { url: string; sites: string[] };
      expect(line).toEqual({ event: 'portal-sim listening', url: sim!.url, sites: ['a', 'b', 'c'] });
      const res = await fetch(`${line.url}/sites/a`, { headers: { authorization: 'Bearer from-env' } });
      expect(parseSiteSecurity(await res.json()).keys).toHaveLength(2);
      const plain = await fetch(`${line.url}/sites/c`, { headers: { authorization: 'Bearer from-env' } });
      expect(parseSiteSecurity(await plain.json()).encryption).toBe(false);
    } finally {
      await sim?.close();
    }
  });
});
