import { MemoryPesEventLog } from './memory-event-log';
import type { PesEventRecord } from './pes-event-log';

const record = (msgId: string, data = '{"order_id":"ORD-1"}'): PesEventRecord => ({
  msgId,
  msgType: 'create_order',
  source: 'pos',
  data,
  receivedAt: '2026-11-21T12:00:00.000Z',
});

describe('MemoryPesEventLog.append', () => {
  it('stores once; the same msg_id with the same text is a duplicate, with other text a conflict', async () => {
    const log = new MemoryPesEventLog();
    await expect(log.append(record('a'))).resolves.toBe('stored');
    await expect(log.append(record('a'))).resolves.toBe('duplicate');
    await expect(log.append(record('a', '{"order_id":"ORD-2"}'))).resolves.toBe('conflict');
    expect(log.entries().map((e) => [e.msgId, e.data])).toEqual([['a', '{"order_id":"ORD-1"}']]);
  });

  it('forgets a msg_id after the dedupe TTL (injected clock)', async () => {
    let now = 1_000_000;
    const log = new MemoryPesEventLog({ dedupeTtlSeconds: 60, now: () => now });
    await log.append(record('a'));
    now += 59_999;
    await expect(log.append(record('a'))).resolves.toBe('duplicate');
    now += 1;
    await expect(log.append(record('a'))).resolves.toBe('stored');
    expect(log.entries()).toHaveLength(2);
  });

  it('gives entries increasing stream-like ids and tells subscribers', async () => {
    const log = new MemoryPesEventLog({ now: () => 5 });
    const seen: string[] = [];
    const unsubscribe = log.subscribe((entry) => seen.push(entry.id));
    await log.append(record('a'));
    await log.append(record('b'));
    unsubscribe();
    await log.append(record('c'));
    expect(seen).toEqual(['5-0', '5-1']);
    expect(log.entries().map((e) => e.id)).toEqual(['5-0', '5-1', '5-2']);
  });

  it('keeps at most maxEntries, oldest dropped first', async () => {
    const log = new MemoryPesEventLog({ maxEntries: 2 });
    for (const id of ['a', 'b', 'c']) await log.append(record(id));
    expect(log.entries().map((e) => e.msgId)).toEqual(['b', 'c']);
  });

  it('rejects misuse with TypeError', () => {
    expect(() => new MemoryPesEventLog({ dedupeTtlSeconds: 0 })).toThrow(TypeError);
    expect(() => new MemoryPesEventLog({ maxEntries: 1.5 })).toThrow(TypeError);
  });
});
