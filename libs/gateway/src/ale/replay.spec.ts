import { gatewayErrorCode } from '../testing/capture-gateway-error';
import { ReplayPolicy } from './replay-policy';
import { MemoryReplayStore } from './replay-store';

describe('ReplayPolicy', () => {
  it('applies ALE_REPLAY_WINDOW_MS to every site and ALE_REPLAY_WINDOW_SITES overrides per site', () => {
    const policy = new ReplayPolicy(30_000, ['store-1=5000', 'legacy=0']);
    expect(policy.windowFor('store-1')).toBe(5000);
    expect(policy.windowFor('legacy')).toBe(0);
    expect(policy.windowFor('other')).toBe(30_000);
    expect(new ReplayPolicy(0).windowFor('any')).toBe(0);
  });

  it.each([['store-1'], ['store-1=x'], ['=5'], ['a=1=2'], ['{x}=5']])('refuses the malformed override %s (TypeError)', (entry) => {
    expect(() => new ReplayPolicy(0, [entry])).toThrow(TypeError);
  });

  it('refuses a repeated site', () => {
    expect(() => new ReplayPolicy(0, ['a=1', 'a=2'])).toThrow(/repeated/);
  });
});

describe('MemoryReplayStore.claim', () => {
  const iv = Buffer.from('9e469572a45a4e65563b2d26', 'hex');

  it('accepts a pair once within its lifetime, then again after it expired', async () => {
    let now = 1000;
    const store = new MemoryReplayStore(() => now);
    expect(await store.claim('s', 'fp', iv, 500)).toBe(true);
    expect(await store.claim('s', 'fp', Buffer.from(iv), 500)).toBe(false);
    expect(await store.claim('s2', 'fp', iv, 500)).toBe(true); // another site
    expect(await store.claim('s', 'fp2', iv, 500)).toBe(true); // another key
    now = 1500;
    expect(await store.claim('s', 'fp', iv, 500)).toBe(true);
  });

  it('drops expired entries as it goes, so memory follows the traffic of one window', async () => {
    let now = 0;
    const store = new MemoryReplayStore(() => now);
    for (let i = 0; i < 100; i++) await store.claim('s', 'fp', Buffer.from([i]), 10);
    now = 100;
    for (let i = 0; i < 100; i++) await store.claim('s', 'fp', Buffer.from([200, i]), 10);
    expect(store.size).toBeLessThanOrEqual(100 + 4);
  });

  it('refuses new pairs once full (fail closed) rather than growing without bound', async () => {
    const store = new MemoryReplayStore(() => 0, 2);
    await store.claim('s', 'fp', Buffer.from([1]), 1000);
    await store.claim('s', 'fp', Buffer.from([2]), 1000);
    expect(await gatewayErrorCode(() => store.claim('s', 'fp', Buffer.from([3]), 1000))).toBe('ERR_GATEWAY_REPLAY_STORE_UNAVAILABLE');
    expect(await store.claim('s', 'fp', Buffer.from([1]), 1000)).toBe(false);
  });
});
