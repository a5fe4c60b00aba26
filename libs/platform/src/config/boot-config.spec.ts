import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { IsString } from 'class-validator';
import { EXIT_CONFIG_ERROR, EXIT_USAGE, bootConfig, failStartup, loadDotEnv, type CliIo } from './boot-config';
import { ConfigError } from './config-error';
import { EnvVar } from './env-var';
import { IsPort } from './validators';

class CliConfig {
  @EnvVar({ name: 'HTTP_PORT', kind: 'integer', doc: 'Public port.' })
  @IsPort()
  httpPort = 8080;

  @EnvVar({ name: 'SITE_ID', doc: 'The site.' })
  @IsString()
  siteId!: string;
}

class Exit extends Error {
  constructor(readonly status: number) {
    super(`exit ${status}`);
  }
}

function fakeIo(argv: string[], env: NodeJS.ProcessEnv): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    argv,
    env,
    out,
    err,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    exit: (code) => {
      throw new Exit(code);
    },
  };
}

function run(argv: string[], env: NodeJS.ProcessEnv) {
  const io = fakeIo(argv, env);
  try {
    return { config: bootConfig(CliConfig, { app: 'demo', envFile: false }, io), ...io, status: undefined };
  } catch (error) {
    if (!(error instanceof Exit)) throw error;
    return { config: undefined, ...io, status: error.status };
  }
}

describe('bootConfig', () => {
  it('returns the loaded config when the environment is valid', () => {
    const result = run([], { SITE_ID: 's1', HTTP_PORT: '81' });
    expect(result.status).toBeUndefined();
    expect(result.config).toMatchObject({ siteId: 's1', httpPort: 81 });
  });

  it('prints every problem and exits 78 when the environment is invalid', () => {
    const result = run([], { HTTP_PORT: 'abc' });
    expect(result.status).toBe(EXIT_CONFIG_ERROR);
    expect(result.err.join('')).toBe(
      'demo: invalid configuration (CliConfig), 2 problems:\n' +
        '  HTTP_PORT: must be an integer 0..65535 (got "abc")\n' +
        '  SITE_ID: is required (not set)\n',
    );
  });

  it('--check-config validates and exits 0 or 78', () => {
    expect(run(['--check-config'], { SITE_ID: 's' })).toMatchObject({ status: 0, out: ['demo: configuration ok\n'] });
    expect(run(['--check-config'], {}).status).toBe(EXIT_CONFIG_ERROR);
  });

  it('--print-config prints the table (Markdown, or JSON rows) without reading the environment', () => {
    const md = run(['--print-config'], {});
    expect(md.status).toBe(0);
    expect(md.out.join('')).toContain('| `SITE_ID` | string | **required** | The site. |');
    const json = run(['--print-config=json'], {});
    expect(JSON.parse(json.out.join(''))).toEqual([
      { name: 'HTTP_PORT', kind: 'integer', default: '8080', required: false, doc: 'Public port.', secret: false },
      { name: 'SITE_ID', kind: 'string', default: '', required: true, doc: 'The site.', secret: false },
    ]);
  });

  it('--print-env prints a .env template', () => {
    expect(run(['--print-env'], {}).out.join('')).toContain('# HTTP_PORT=8080');
  });

  it('refuses unknown arguments with exit 64', () => {
    const result = run(['--verbose'], {});
    expect(result.status).toBe(EXIT_USAGE);
    expect(result.err.join('')).toContain('unknown arguments: --verbose');
  });
});

describe('failStartup', () => {
  it('exits 78 for a ConfigError and 1 for anything else', () => {
    const io = fakeIo([], {});
    expect(() => failStartup('demo', new ConfigError('X', [{ name: 'A', message: 'A: bad' }]), io)).toThrow('exit 78');
    expect(() => failStartup('demo', new Error('boom'), io)).toThrow('exit 1');
    expect(io.err[1]).toMatch(/^demo: startup failed: Error: boom/);
  });
});

describe('loadDotEnv', () => {
  it('loads a .env file without overriding variables already set', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'poslink-env-'));
    const file = path.join(dir, '.env');
    writeFileSync(file, 'POSLINK_TEST_FROM_FILE=file\nPOSLINK_TEST_ALREADY_SET=file\n');
    process.env['POSLINK_TEST_ALREADY_SET'] = 'real';
    try {
      expect(loadDotEnv(file)).toBe(true);
      expect(process.env['POSLINK_TEST_FROM_FILE']).toBe('file');
      expect(process.env['POSLINK_TEST_ALREADY_SET']).toBe('real');
      expect(loadDotEnv(path.join(dir, 'missing.env'))).toBe(false);
    } finally {
      delete process.env['POSLINK_TEST_FROM_FILE'];
      delete process.env['POSLINK_TEST_ALREADY_SET'];
      rmSync(dir, { recursive: true });
    }
  });
});
