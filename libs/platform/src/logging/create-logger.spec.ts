import { LineCapture } from '../testing';
import { createLogger } from './create-logger';
import { PinoNestLogger } from './nest-logger';
import { REDACTED, censorSecrets } from './redact';

const SECRET = 'correct-horse-battery-staple-0123456789';

function capture(level: 'info' | 'debug' = 'info') {
  const out = new LineCapture();
  return { out, logger: createLogger({ app: 'test-app', level, destination: out }) };
}

describe('createLogger', () => {
  it('writes one JSON object per line with app, level label and ISO time', () => {
    const { out, logger } = capture();
    logger.info({ event: 'ThingHappened' }, 'hello');
    const [record] = out.records();
    expect(record).toMatchObject({ app: 'test-app', level: 'info', msg: 'hello', event: 'ThingHappened' });
    expect(record['time']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('honours the level', () => {
    const { out, logger } = capture('info');
    logger.debug('hidden');
    logger.warn('shown');
    expect(out.records().map((r) => r['msg'])).toEqual(['shown']);
  });

  it('never writes a secret passed in a log object, at any depth and in arrays', () => {
    const { out, logger } = capture();
    logger.info(
      {
        headers: { authorization: SECRET, Authorization: SECRET },
        site: { keys: [{ fingerprint: 'fp-1', value: SECRET }] },
        wrapSecret: SECRET,
        register: { creds: { key_id: 'k1', secret_key: SECRET, secretKey: SECRET } },
        env: { KEY_WRAP_SECRET: SECRET, PORTAL_AUTH: SECRET, INTEGRATOR_SECRET_KEY: SECRET, REDIS_URL: SECRET },
        config: { keyWrapSecret: SECRET, portalAuth: SECRET, integratorSecretKey: SECRET, redisUrl: SECRET },
        a: { b: { c: { d: { password: SECRET } } } },
      },
      'site loaded',
    );
    const line = out.lines[0];
    expect(line).not.toContain(SECRET);
    const record = out.records()[0] as Record<string, Record<string, unknown>>;
    expect(record['site']).toEqual({ keys: [{ fingerprint: 'fp-1', value: REDACTED }] });
    expect(record['register']).toEqual({ creds: { key_id: 'k1', secret_key: REDACTED, secretKey: REDACTED } });
    expect(record['headers']).toEqual({ authorization: REDACTED, Authorization: REDACTED });
  });

  it('leaves non-secret fields alone', () => {
    const { out, logger } = capture();
    logger.info({ site: { id: 's1', fingerprint: 'fp' } }, 'x');
    expect(out.records()[0]['site']).toEqual({ id: 's1', fingerprint: 'fp' });
  });
});

describe('censorSecrets', () => {
  it('censors by name at every depth and never mutates its input', () => {
    const input = { a: { value: SECRET, keep: 1 }, list: [{ secret_key: SECRET }, 'x'], other: { n: 2 } };
    const out = censorSecrets(input);
    expect(out).toEqual({ a: { value: REDACTED, keep: 1 }, list: [{ secret_key: REDACTED }, 'x'], other: { n: 2 } });
    expect(input.a.value).toBe(SECRET);
    expect((input.list[0] as { secret_key: string }).secret_key).toBe(SECRET);
    expect(out.other).toBe(input.other);
  });

  it('returns the same object when there is nothing to censor', () => {
    const input = { event: 'X', nested: { id: 1, arr: [1, 2] } };
    expect(censorSecrets(input)).toBe(input);
  });

  it('replaces whole whatever is nested deeper than the limit (fail closed)', () => {
    const deep = { l1: { l2: { l3: { secret_key: SECRET } } } };
    expect(censorSecrets(deep, 2)).toEqual({ l1: { l2: { l3: REDACTED } } });
  });

  it('censors child-logger bindings too', () => {
    const { out, logger } = capture();
    logger.child({ authorization: SECRET, site: 's1' }).info('bound');
    expect(out.lines[0]).not.toContain(SECRET);
    expect(out.records()[0]['site']).toBe('s1');
  });
});

describe('PinoNestLogger', () => {
  it('maps Nest calls to pino levels with the context, and framework chatter to debug', () => {
    const { out, logger } = capture('info');
    const nest = new PinoNestLogger(logger);
    nest.log('mapped route', 'RouterExplorer');
    nest.log('key-sync ready', 'KeySync');
    nest.error('failed', 'Error: failed\n    at x', 'ExceptionsHandler');
    nest.warn({ event: 'Odd', value: SECRET });
    const records = out.records();
    expect(records.map((r) => [r['level'], r['msg'], r['context']])).toEqual([
      ['info', 'key-sync ready', 'KeySync'],
      ['error', 'failed', 'ExceptionsHandler'],
      ['warn', undefined, undefined],
    ]);
    expect(records[1]['stack']).toBe('Error: failed\n    at x');
    expect(out.lines.join('\n')).not.toContain(SECRET);
  });
});
