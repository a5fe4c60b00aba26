import { MemoryKeyStore } from './memory-key-store';
import { RefreshRequestListener, RefreshRequester } from './refresh';
import { ChannelProbe } from './testing/channel-probe';

describe('RefreshRequester / RefreshRequestListener', () => {
  let store: MemoryKeyStore;
  beforeEach(() => {
    store = new MemoryKeyStore();
  });
  afterEach(() => store.close());

  it('a request reaches the listener handler with the site id', async () => {
    const probe = new ChannelProbe();
    const listener = new RefreshRequestListener(store, probe.callback);
    await listener.start();
    const heard = probe.next('s1');
    expect(await new RefreshRequester(store).request('s1')).toBe(true);
    await heard;
    await listener.close();
  });

  it('RefreshRequester.request publishes at most once per site per interval', async () => {
    const probe = new ChannelProbe();
    await store.subscribeRefreshRequests(probe.callback);
    const requester = new RefreshRequester(store, 60_000);
    const heard = probe.next('s2');
    expect(await requester.request('s1')).toBe(true);
    expect(await requester.request('s1')).toBe(false);
    expect(await requester.request('s2')).toBe(true);
    await heard;
    expect(probe.count('s1')).toBe(1);
  });

  it('a throwing or rejecting handler is reported and the listener keeps listening', async () => {
    const errors: Array<[unknown, string]> = [];
    const probe = new ChannelProbe();
    const listener = new RefreshRequestListener(
      store,
      async (siteId) => {
        probe.callback(siteId);
        if (siteId === 'bad') throw new Error('handler failed');
      },
      { onError: (error, siteId) => errors.push([error, siteId]) },
    );
    await listener.start();
    const requester = new RefreshRequester(store, 0);
    const good = probe.next('good');
    await requester.request('bad');
    await requester.request('good');
    await good;
    expect(errors.map(([, siteId]) => siteId)).toEqual(['bad']);
    await listener.close();
  });

  it('close stops the handler', async () => {
    const stopped = new ChannelProbe();
    const active = new ChannelProbe();
    const listener = new RefreshRequestListener(store, stopped.callback);
    await listener.start();
    await listener.close();
    await store.subscribeRefreshRequests(active.callback);
    const heard = active.next('s1');
    await new RefreshRequester(store).request('s1');
    await heard;
    expect(stopped.received).toEqual([]);
  });

  it('request throws TypeError for an invalid site id', async () => {
    await expect(new RefreshRequester(store).request('a b')).rejects.toThrow(TypeError);
  });
});
