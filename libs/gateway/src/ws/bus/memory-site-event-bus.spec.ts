import { MemorySiteEventBus } from './memory-site-event-bus';

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('MemorySiteEventBus', () => {
  it('delivers to every subscriber of the site and topic, asynchronously, and to nobody else', async () => {
    const bus = new MemorySiteEventBus();
    const got: string[] = [];
    await bus.subscribe('s1', 'to-pos', (t) => got.push(`a:${t}`));
    await bus.subscribe('s1', 'to-pos', (t) => got.push(`b:${t}`));
    await bus.subscribe('s2', 'to-pos', (t) => got.push(`other-site:${t}`));
    await bus.subscribe('s1', 'to-kitchen', (t) => got.push(`other-topic:${t}`));
    const published = bus.publish('s1', 'to-pos', 'hello');
    expect(got).toEqual([]); // not on the publisher's stack
    await published;
    await settle();
    expect(got).toEqual(['a:hello', 'b:hello']);
  });

  it('unsubscribe stops delivery (also of a message already queued), close stops everything', async () => {
    const errors: unknown[] = [];
    const bus = new MemorySiteEventBus((e) => errors.push(e));
    const got: string[] = [];
    const off = await bus.subscribe('s1', 'to-pos', (t) => got.push(t));
    await bus.subscribe('s1', 'to-pos', () => {
      throw new Error('listener bug');
    });
    const published = bus.publish('s1', 'to-pos', 'one');
    const unsubscribed = off(); // synchronously removed: the queued delivery finds it gone
    await Promise.all([published, unsubscribed]);
    await settle();
    expect(got).toEqual([]);
    expect(errors).toHaveLength(1);
    await bus.close();
    await bus.publish('s1', 'to-pos', 'two');
    await expect(bus.subscribe('s1', 'to-pos', () => undefined)).rejects.toThrow(TypeError);
  });

  it('refuses a bad site id or topic as a TypeError', async () => {
    const bus = new MemorySiteEventBus();
    await expect(bus.publish('{x}', 'to-pos', 't')).rejects.toThrow(TypeError);
    await expect(bus.publish('s1', 'sideways' as never, 't')).rejects.toThrow(TypeError);
  });
});
