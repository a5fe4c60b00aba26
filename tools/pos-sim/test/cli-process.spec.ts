import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';

const ROOT = path.resolve(__dirname, '../../..');

/** Runs the bundled CLI (outside the workspace, so npm packages are found through NODE_PATH);  resolves with its exit code and output. */
async function run(cli: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env['PATH'], NODE_PATH: path.join(ROOT, 'node_modules') } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

describe('pos-sim CLI (src/cli.ts)', () => {
  let dir: string;
  let cli: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'pos-sim-cli-'));
    cli = path.join(dir, 'cli.js');
    await build({
      entryPoints: [path.join(ROOT, 'tools/pos-sim/src/cli.ts')],
      outfile: cli,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      packages: 'external',
      tsconfig: path.join(ROOT, 'tsconfig.base.json'),
      logLevel: 'silent',
    });
  }, 30_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('--help prints the options and exits 0', async () => {
    const { code, stdout } = await run(cli, ['--help']);
    expect(code).toBe(0);
    for (const option of ['--port', '--connections', '--events', '--rate', '--key-pool', '--offline', '--oaep']) expect(stdout).toContain(option);
  });

  it('refuses a bad option value with exit 2 and a message naming it', async () => {
    const { code, stderr } = await run(cli, ['--key-id', 'k', '--secret-key', 's', '--cipher', 'rot13']);
    expect(code).toBe(2);
    expect(stderr).toBe('pos-sim: --cipher must be aes-256-gcm or aes-256-cbc\n');
  });

  it('without credentials says which options are missing', async () => {
    const { code, stderr } = await run(cli, []);
    expect(code).toBe(2);
    expect(stderr).toContain('--key-id and --secret-key');
  });
});
