import { validatePesEvent } from '@pos-link/protocol';
import { orderScenario } from './scenario';

describe('orderScenario', () => {
  it('yields known event types whose payloads pass the protocol DTOs, each with a unique msg_id', () => {
    const scenario = orderScenario('T1');
    const events = Array.from({ length: 300 }, () => scenario.next().value);
    for (const event of events) {
      const result = validatePesEvent(event.msgType, JSON.parse(event.data));
      expect({ type: event.msgType, ...result }).toEqual({ type: event.msgType, known: true, errors: [] });
    }
    expect(new Set(events.map((e) => e.msgId)).size).toBe(events.length);
    expect(new Set(events.map((e) => e.msgType))).toEqual(
      new Set(['create_order', 'add_item', 'remove_item', 'update_order', 'tender', 'close_order', 'void_order']),
    );
  });

  it('starts each order with create_order and ends it with close_order or void_order', () => {
    const scenario = orderScenario('T2');
    const first = Array.from({ length: 7 }, () => scenario.next().value);
    expect(first.map((e) => e.msgType)).toEqual(['create_order', 'add_item', 'add_item', 'update_order', 'tender', 'close_order', 'create_order']);
    expect(JSON.parse(first[0].data)).toMatchObject({ order_id: 'T2-ORD-1' });
  });
});
