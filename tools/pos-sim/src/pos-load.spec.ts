import { IntegratorValidator } from './integrator-validator';
import { runHandshakes, streamFrames } from './pos-load';
import { freshKeyPairs } from './rsa-keys';

describe('pos-sim load mode: misuse', () => {
  const base = { port: 1, keys: freshKeyPairs, validator: new IntegratorValidator({ expected: { keyId: 'k', secretKey: 's' } }) };

  it('runHandshakes refuses a non-positive count or concurrency (TypeError)', async () => {
    await expect(runHandshakes({ ...base, count: 0, concurrency: 1 })).rejects.toThrow(TypeError);
    await expect(runHandshakes({ ...base, count: 1, concurrency: 0.5 })).rejects.toThrow(TypeError);
  });

  it('streamFrames needs one list of frames per client and a positive window (TypeError)', () => {
    expect(() => streamFrames([], [[]])).toThrow(TypeError);
    expect(() => streamFrames([], [], 0)).toThrow(TypeError);
  });

  it('streamFrames over no clients resolves with nothing counted', async () => {
    await expect(streamFrames([], [])).resolves.toMatchObject({ acked: 0, nacked: 0 });
  });
});
