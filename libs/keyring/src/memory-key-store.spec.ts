import { MemoryKeyStore } from './memory-key-store';
import { ChannelProbe } from './testing/channel-probe';
import { describeKeyStoreContract } from './testing/key-store-contract';
import { makeSiteKey, makeSiteKeys } from './testing/fixtures';

describeKeyStoreContract('MemoryKeyStore', async ({ clock, graceMs }) => {
  // One process: the "peer" is the same instance.
  const store = new MemoryKeyStore({ clock, graceMs });
  return { store, peer: store, close: () => store.close() };
});

describe('MemoryKeyStore', () => {
  it('reports a throwing subscriber to onListenerError and still notifies the others', async () => {
    const errors: unknown[] = [];
    const store = new MemoryKeyStore({ onListenerError: (error) => errors.push(error) });
    await store.subscribeChanges(() => {
      throw new Error('subscriber bug');
    });
    const probe = new ChannelProbe();
    await store.subscribeChanges(probe.callback);
    const heard = probe.next('s1');
    await store.replaceSite(makeSiteKeys('s1', [makeSiteKey()]));
    await heard;
    expect(errors).toHaveLength(1);
  });

  it('throws TypeError for a negative grace', () => {
    expect(() => new MemoryKeyStore({ graceMs: -1 })).toThrow(TypeError);
  });
});
