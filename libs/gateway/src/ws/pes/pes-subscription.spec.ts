import type { PesFeedEntry } from './pes-event-feed';
import { MemoryPesEventFeed, type PesEventSource } from './memory-pes-event-feed';
import { PesSubscription } from './pes-subscription';

/** An in-memory event log shaped like the ingress's `MemoryPesEventLog`. */
class FakeLog implements PesEventSource {
  readonly #entries: PesFeedEntry[] = [];
  readonly #listeners = new Set<(entry: PesFeedEntry) => void>();
  #n = 0;

  append(count = 1): string[] {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const n = ++this.#n;
      const entry = { id: `1000-${n}`, msgId: `m${n}`, msgType: 'add_item', source: 'pos', data: `{"n":${n}}`, receivedAt: '2026-01-01T00:00:00.000Z' };
      this.#entries.push(entry);
      ids.push(entry.id);
      for (const listener of this.#listeners) listener(entry);
    }
    return ids;
  }

  entries(): readonly PesFeedEntry[] {
    return [...this.#entries];
  }

  subscribe(listener: (entry: PesFeedEntry) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

describe('PesSubscription', () => {
  let log: FakeLog;
  let feed: MemoryPesEventFeed;

  beforeEach(() => {
    log = new FakeLog();
    feed = new MemoryPesEventFeed([['s1', log]]);
  });

  it('from $ starts after the newest entry and then delivers live entries', async () => {
    log.append(3);
    const got: string[] = [];
    const started: string[] = [];
    const sub = new PesSubscription({ feed, siteId: 's1', from: '$', deliver: async (e) => void got.push(e.id), onStarted: (id) => started.push(id) });
    await sub.start();
    expect(started).toEqual(['1000-3']);
    expect(sub.live).toBe(true);
    expect(got).toEqual([]);
    const live = log.append(2);
    expect(got).toEqual(live);
    await sub.stop();
    log.append(1);
    expect(got).toEqual(live);
  });

  it('resumes after an id with exactly the entries after it, paging, and hands over to the live tail', async () => {
    const ids = log.append(10);
    const got: string[] = [];
    const sub = new PesSubscription({
      feed,
      siteId: 's1',
      from: ids[3]!,
      pageSize: 2,
      // every delivery during the catch-up lets the log grow: entries land both in the stream and the tail
      deliver: async (e) => {
        got.push(e.id);
        if (!sub.live && got.length % 2 === 0) ids.push(...log.append(1));
      },
    });
    await sub.start();
    ids.push(...log.append(2));
    expect(got).toEqual(ids.slice(4));
  });

  it('a hand-over buffer overflow falls back to reading the stream: still no gap, no duplicate', async () => {
    const ids = log.append(5);
    const got: string[] = [];
    const sub = new PesSubscription({
      feed,
      siteId: 's1',
      from: '0-0',
      pageSize: 2,
      bufferMax: 3,
      deliver: async (e) => {
        got.push(e.id);
        if (got.length === 1) ids.push(...log.append(10)); // a burst larger than the buffer
      },
    });
    await sub.start();
    expect(got).toEqual(ids);
    expect(new Set(got).size).toBe(got.length);
  });

  it('start rejects (and the subscription stops) when the feed fails', async () => {
    const failing = { ...feed, tail: feed.tail.bind(feed), lastId: feed.lastId.bind(feed), close: feed.close.bind(feed), range: async () => Promise.reject(new Error('down')) };
    const sub = new PesSubscription({ feed: failing, siteId: 's1', from: '0-0', deliver: async () => undefined });
    await expect(sub.start()).rejects.toThrow('down');
    expect(sub.live).toBe(false);
  });

  it('refuses a malformed from or limit as a TypeError', () => {
    const deliver = async (): Promise<void> => undefined;
    expect(() => new PesSubscription({ feed, siteId: 's1', from: 'later', deliver })).toThrow(TypeError);
    expect(() => new PesSubscription({ feed, siteId: 's1', from: '$', pageSize: 0, deliver })).toThrow(TypeError);
  });
});

describe('MemoryPesEventFeed', () => {
  it('reads a connected source like a stream and an unconnected site as empty', async () => {
    const log = new FakeLog();
    const ids = log.append(4);
    const feed = new MemoryPesEventFeed();
    feed.connect('s1', log);
    expect(() => feed.connect('s1', log)).toThrow(TypeError);
    expect((await feed.range('s1', ids[1]!, 10)).map((e) => e.id)).toEqual(ids.slice(2));
    expect((await feed.range('s1', '0-0', 1)).map((e) => e.id)).toEqual([ids[0]]);
    expect(await feed.lastId('s1')).toBe(ids[3]);
    expect(await feed.lastId('other')).toBe('0-0');
    expect(await feed.range('other', '0-0', 10)).toEqual([]);
  });

  it('never lets a listener exception reach the appender', async () => {
    const log = new FakeLog();
    const errors: unknown[] = [];
    const feed = new MemoryPesEventFeed([['s1', log]], (e) => errors.push(e));
    await feed.tail('s1', () => {
      throw new Error('listener bug');
    });
    expect(() => log.append(1)).not.toThrow();
    expect(errors).toHaveLength(1);
    await feed.close();
    log.append(1);
    expect(errors).toHaveLength(1);
  });
});
