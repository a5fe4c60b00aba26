import { ArrayNotEmpty, IsBoolean, IsIn, IsOptional, IsString, MinLength } from 'class-validator';
import { PLATFORM_ERROR_CODES } from '../errors/platform-error-codes';
import { ConfigError } from './config-error';
import { EnvVar } from './env-var';
import { loadConfig } from './load-config';
import { ServiceConfig } from './service-config';
import { IsIntInRange, IsPort, IsUrlWithProtocols } from './validators';

class SampleConfig {
  @EnvVar({ name: 'HTTP_PORT', kind: 'integer', doc: 'port' })
  @IsPort()
  httpPort = 8080;

  @EnvVar({ name: 'RATIO', doc: 'a number' })
  @IsOptional()
  ratio?: number;

  @EnvVar({ name: 'FLAG', doc: 'a boolean' })
  @IsBoolean({ message: 'must be true or false' })
  flag = false;

  @EnvVar({ name: 'SUITES', doc: 'a list' })
  @ArrayNotEmpty()
  @IsIn(['aes-256-gcm', 'aes-256-cbc'], { each: true })
  suites: string[] = ['aes-256-gcm'];

  @EnvVar({ name: 'UPSTREAM_URL', kind: 'url', doc: 'a URL' })
  @IsUrlWithProtocols(['http', 'https'])
  upstreamUrl!: string;

  @EnvVar({ name: 'WRAP_SECRET', secret: true, doc: 'a secret' })
  @IsString()
  @MinLength(32)
  wrapSecret!: string;

  @EnvVar({ name: 'TIMEOUT_MS', kind: 'integer', doc: 'an integer' })
  @IsIntInRange(1)
  timeoutMs = 1000;
}

const VALID = {
  UPSTREAM_URL: 'http://kitchen.local/{site}/api',
  WRAP_SECRET: 'w'.repeat(32),
};

function issuesOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(SampleConfig, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe(PLATFORM_ERROR_CODES.ERR_PLATFORM_CONFIG_INVALID);
    return (error as ConfigError).issues.map((issue) => issue.message);
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('keeps the initializers as defaults when variables are unset or empty', () => {
    const config = loadConfig(SampleConfig, { ...VALID, HTTP_PORT: '', FLAG: undefined });
    expect(config.httpPort).toBe(8080);
    expect(config.flag).toBe(false);
    expect(config.suites).toEqual(['aes-256-gcm']);
    expect(config.ratio).toBeUndefined();
  });

  it('converts integers, numbers, booleans, comma lists and URLs', () => {
    const config = loadConfig(SampleConfig, {
      ...VALID,
      HTTP_PORT: ' 0 ',
      RATIO: '2.5e1',
      FLAG: 'TRUE',
      SUITES: 'aes-256-cbc, aes-256-gcm,',
      TIMEOUT_MS: '+15',
    });
    expect(config).toMatchObject({ httpPort: 0, ratio: 25, flag: true, timeoutMs: 15 });
    expect(config.suites).toEqual(['aes-256-cbc', 'aes-256-gcm']);
    // kept as text: a URL object would percent-encode the {site} placeholder
    expect(config.upstreamUrl).toBe('http://kitchen.local/{site}/api');
  });

  it('returns a frozen instance of the class', () => {
    const config = loadConfig(SampleConfig, VALID);
    expect(config).toBeInstanceOf(SampleConfig);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.suites)).toBe(true);
  });

  it('names the variable, the rule and the value: HTTP_PORT=abc', () => {
    expect(issuesOf({ ...VALID, HTTP_PORT: 'abc' })).toEqual(['HTTP_PORT: must be an integer 0..65535 (got "abc")']);
  });

  it('rejects out-of-range and fractional integers with the same message', () => {
    expect(issuesOf({ ...VALID, HTTP_PORT: '65536' })).toEqual(['HTTP_PORT: must be an integer 0..65535 (got "65536")']);
    expect(issuesOf({ ...VALID, HTTP_PORT: '80.5' })).toEqual(['HTTP_PORT: must be an integer 0..65535 (got "80.5")']);
    expect(issuesOf({ ...VALID, TIMEOUT_MS: '0' })).toEqual(['TIMEOUT_MS: must be an integer >= 1 (got "0")']);
  });

  it('falls back to the conversion problem when no validator speaks for the value', () => {
    expect(issuesOf({ ...VALID, RATIO: 'many' })).toEqual(['RATIO: must be a number (got "many")']);
  });

  it('reports booleans other than true/false', () => {
    expect(issuesOf({ ...VALID, FLAG: 'yes' })).toEqual(['FLAG: must be true or false (got "yes")']);
  });

  it('validates each list item', () => {
    expect(issuesOf({ ...VALID, SUITES: 'aes-256-gcm,rot13' })).toEqual([
      'SUITES: each value in suites must be one of the following values: aes-256-gcm, aes-256-cbc (got "aes-256-gcm,rot13")',
    ]);
    expect(issuesOf({ ...VALID, SUITES: ' , ' })).toEqual(['SUITES: should not be empty (got " , ")']);
  });

  it('reports URLs that do not parse or have the wrong scheme', () => {
    expect(issuesOf({ ...VALID, UPSTREAM_URL: 'kitchen' })).toEqual([
      'UPSTREAM_URL: must be a http:// or https:// URL (got "kitchen")',
    ]);
    expect(issuesOf({ ...VALID, UPSTREAM_URL: 'ftp://kitchen' })).toEqual([
      'UPSTREAM_URL: must be a http:// or https:// URL (got "ftp://kitchen")',
    ]);
  });

  it('reports a required variable that is unset', () => {
    expect(issuesOf({ WRAP_SECRET: VALID.WRAP_SECRET })).toEqual(['UPSTREAM_URL: is required (not set)']);
  });

  it('lists every bad variable at once, in declaration order, in the message too', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig(SampleConfig, { HTTP_PORT: 'abc', FLAG: 'maybe', UPSTREAM_URL: 'x' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.issues.map((i) => i.name)).toEqual(['HTTP_PORT', 'FLAG', 'UPSTREAM_URL', 'WRAP_SECRET']);
    expect(error?.message).toBe(
      [
        'invalid configuration (SampleConfig), 4 problems:',
        '  HTTP_PORT: must be an integer 0..65535 (got "abc")',
        '  FLAG: must be true or false (got "maybe")',
        '  UPSTREAM_URL: must be a http:// or https:// URL (got "x")',
        '  WRAP_SECRET: is required (not set)',
      ].join('\n'),
    );
  });

  it('never shows the value of a secret variable', () => {
    const secret = 'short-Secret-Value';
    let error: ConfigError | undefined;
    try {
      loadConfig(SampleConfig, { ...VALID, WRAP_SECRET: secret });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.issues).toEqual([
      {
        name: 'WRAP_SECRET',
        message: 'WRAP_SECRET: must be longer than or equal to 32 characters (value not shown: secret)',
      },
    ]);
    expect(error?.message).not.toContain(secret);
    expect(error?.stack).not.toContain(secret);
    expect(JSON.stringify(error)).not.toContain(secret);
  });

  it('truncates long values it quotes', () => {
    const [issue] = issuesOf({ ...VALID, HTTP_PORT: '9'.repeat(200) });
    expect(issue).toBe(`HTTP_PORT: must be an integer 0..65535 (got "${'9'.repeat(80)}…")`);
  });
});

class RedisAppConfig extends ServiceConfig {
  override opsPort = 9999;
}

describe('loadConfig with ServiceConfig', () => {
  it('requires REDIS_URL unless the caller allows it unset (standalone in-memory mode)', () => {
    expect(() => loadConfig(RedisAppConfig, {})).toThrow('REDIS_URL: is required (not set)');
    const config = loadConfig(RedisAppConfig, {}, { allowUnset: ['REDIS_URL'] });
    expect(config.redisUrl).toBeUndefined();
    expect(config).toMatchObject({ opsPort: 9999, logLevel: 'info', redisPrefix: 'poslink', drainTimeoutMs: 10_000 });
  });

  it('allowUnset does not excuse a bad value', () => {
    expect(() => loadConfig(RedisAppConfig, { REDIS_URL: 'http://x' }, { allowUnset: ['REDIS_URL'] })).toThrow(
      'REDIS_URL: must be a Redis URL (expected redis://, rediss://, redis+sentinel:// or redis+cluster://) (value not shown: secret)',
    );
  });

  it('never shows a REDIS_URL, which may carry a password', () => {
    const url = 'redis://:hunter2hunter2@h1,h2:6379';
    let message = '';
    try {
      loadConfig(RedisAppConfig, { REDIS_URL: url });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('REDIS_URL: must be a Redis URL (a redis:// URL names one host');
    expect(message).not.toContain('hunter2');
  });

  it('accepts every documented REDIS_URL form', () => {
    for (const url of [
      'redis://127.0.0.1:6379',
      'rediss://user:pw@cache.example:6380/2',
      'redis+sentinel://h1:26379,h2:26379/mymaster',
      'redis+cluster://h1:6379,h2:6379',
    ]) {
      expect(loadConfig(RedisAppConfig, { REDIS_URL: url }).redisUrl).toBe(url);
    }
  });

  it('checks LOG_LEVEL, OPS_PORT and REDIS_PREFIX', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig(RedisAppConfig, { LOG_LEVEL: 'loud', OPS_PORT: '-1', REDIS_PREFIX: 'a{b}' }, { allowUnset: ['REDIS_URL'] });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.issues.map((i) => i.message)).toEqual([
      'LOG_LEVEL: must be one of the following values: fatal, error, warn, info, debug, trace, silent (got "loud")',
      'OPS_PORT: must be an integer 0..65535 (got "-1")',
      'REDIS_PREFIX: must contain only letters, digits and _ . : - (got "a{b}")',
    ]);
  });
});
