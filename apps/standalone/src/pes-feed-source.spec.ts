import { MemoryPesEventFeed } from '@pos-link/gateway';
import { MemoryPesEventLog } from '@pos-link/ingress';
import { pesFeedSourceOf } from './pes-feed-source';

const event = (msgId: string, data: string) => ({
  msgId,
  msgType: 'create_order',
  source: 'pos-1',
  data,
  receivedAt: '2026-11-21T23:00:00.000Z',
});

describe('pesFeedSourceOf', () => {
  it('lets the gateway feed read what the ingress log stored, and tail what it appends next, in order', async () => {
    let now = 1_700_000_000_000;
    const log = new MemoryPesEventLog({ now: () => now });
    const feed = new MemoryPesEventFeed([['s1', pesFeedSourceOf(log)]]);
    expect(await log.append(event('m1', '{"order_id":"1"}'))).toBe('stored');

    expect(await feed.lastId('s1')).toBe(`${now}-0`);
    expect(await feed.range('s1', '0-0', 10)).toEqual([{ id: `${now}-0`, ...event('m1', '{"order_id":"1"}') }]);

    const tailed: string[] = [];
    const stop = await feed.tail('s1', (entry) => tailed.push(`${entry.id} ${entry.msgId} ${entry.data}`));
    now += 5;
    await log.append(event('m2', '{"order_id":"2"}'));
    await log.append(event('m2', '{"order_id":"2"}')); // a resend: stored once, pushed once
    await log.append(event('m3', '{"order_id":"3"}'));
    expect(tailed).toEqual([`${now}-0 m2 {"order_id":"2"}`, `${now}-1 m3 {"order_id":"3"}`]);

    await stop();
    await log.append(event('m4', '{}'));
    expect(tailed).toHaveLength(2);
    await feed.close();
  });

  it('hands the feed copies with only the feed fields (the log entries stay the ingress’s)', () => {
    const log = new MemoryPesEventLog();
    void log.append(event('m1', '{}'));
    const [entry] = pesFeedSourceOf(log).entries();
    expect(Object.keys(entry!).sort()).toEqual(['data', 'id', 'msgId', 'msgType', 'receivedAt', 'source']);
    expect(entry).not.toBe(log.entries()[0]);
  });
});
