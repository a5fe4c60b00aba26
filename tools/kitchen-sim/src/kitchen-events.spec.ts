import { kitchenEvent, scheduledEvent } from './kitchen-events';

const T = Date.UTC(2026, 0, 1, 12, 0, 0, 5);

describe('kitchenEvent', () => {
  it('builds {type, order_id, site?, at}', () => {
    expect(JSON.stringify(kitchenEvent('bump', 'ORD-7', '42', T))).toBe(
      '{"type":"bump","order_id":"ORD-7","site":"42","at":"2026-01-01T12:00:00.005Z"}',
    );
    expect(kitchenEvent('recall', 'ORD-7', undefined, T)).toEqual({ type: 'recall', order_id: 'ORD-7', at: '2026-01-01T12:00:00.005Z' });
  });
});

describe('scheduledEvent', () => {
  it('walks each order through item-ready, bump, recall', () => {
    const seq = [0, 1, 2, 3].map((n) => scheduledEvent(n, 's', T));
    expect(seq.map((e) => `${e.type}:${e.order_id}`)).toEqual(['item-ready:ORD-1', 'bump:ORD-1', 'recall:ORD-1', 'item-ready:ORD-2']);
  });
});
