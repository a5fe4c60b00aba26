import { IntegratorValidator, OFFLINE_VALIDATION_WINDOW_MS, POS_REGISTER_NACK } from './integrator-validator';

const expected = { keyId: 'integrator-1', secretKey: 'top-secret' };

describe('IntegratorValidator.validate', () => {
  it('online: accepts exactly the configured credentials', () => {
    const validator = new IntegratorValidator({ expected });
    expect(validator.validate(expected)).toEqual({ ok: true, mode: 'online' });
    expect(validator.validate({ ...expected, secretKey: 'top-secreT' })).toEqual({ ok: false, ...POS_REGISTER_NACK.INVALID_CREDENTIALS });
    expect(validator.validate({ ...expected, keyId: 'integrator-2' })).toEqual({ ok: false, ...POS_REGISTER_NACK.INVALID_CREDENTIALS });
  });

  it('offline: accepts a client validated online up to 30 days ago (inclusive), refuses after', () => {
    let now = 0;
    const validator = new IntegratorValidator({ expected, now: () => now });
    validator.validate(expected);
    validator.setOnline(false);

    now = OFFLINE_VALIDATION_WINDOW_MS;
    expect(validator.validate(expected)).toEqual({ ok: true, mode: 'offline' });
    now += 1;
    expect(validator.validate(expected)).toEqual({ ok: false, ...POS_REGISTER_NACK.OFFLINE_VALIDATION_UNAVAILABLE });
  });

  it('offline: an offline success does not extend the window; only online ones do', () => {
    let now = 0;
    const validator = new IntegratorValidator({ expected, now: () => now });
    validator.validate(expected);
    validator.setOnline(false);
    now = OFFLINE_VALIDATION_WINDOW_MS - 1;
    expect(validator.validate(expected).ok).toBe(true);
    now = OFFLINE_VALIDATION_WINDOW_MS + 1;
    expect(validator.validate(expected).ok).toBe(false);
  });

  it('offline: refuses a client never validated online, and a cached key id with another secret', () => {
    const validator = new IntegratorValidator({ expected, online: false });
    expect(validator.validate(expected).ok).toBe(false);
    validator.setOnline(true);
    validator.validate(expected);
    validator.setOnline(false);
    expect(validator.validate({ ...expected, secretKey: 'guess' })).toEqual({ ok: false, ...POS_REGISTER_NACK.OFFLINE_VALIDATION_UNAVAILABLE });
  });

  it('rejects empty expected credentials (misuse)', () => {
    expect(() => new IntegratorValidator({ expected: { keyId: '', secretKey: 'x' } })).toThrow(TypeError);
  });
});
