import { randomUUID } from 'node:crypto';

/** One event the POS will send: its `msg_id` stays the same across resends, and so does `data`. */
export interface PosEvent {
  readonly msgId: string;
  readonly msgType: string;
  /** The plaintext `msg_data` (a JSON object's text), encrypted anew on every send. */
  readonly data: string;
}

const MENU = ['Burger', 'Fries', 'Shake', 'Salad', 'Nuggets', 'Soda', 'Coffee', 'Wrap'] as const;
const TENDERS = ['cash', 'card', 'mobile'] as const;

/**
 * A realistic order flow, one order after another (DESIGN §6 step 4): `create_order`, two `add_item`,
 * sometimes a `remove_item`, an `update_order`, then either `tender` + `close_order` or (every
 * seventh order) a `void_order`. Payloads satisfy the protocol lib's event DTOs. Deterministic for a
 * given `terminal` apart from the `msg_id`s.
 *
 * @param terminal a label that makes order ids unique per terminal (e.g. `"T3"`)
 */
export function* orderScenario(terminal: string): Generator<PosEvent, never, undefined> {
  for (let order = 1; ; order += 1) {
    const orderId = `${terminal}-ORD-${order}`;
    const first = MENU[order % MENU.length];
    const second = MENU[(order * 3 + 1) % MENU.length];
    const third = MENU[(order * 5 + 2) % MENU.length];
    yield event('create_order', { order_id: orderId, items: [{ name: first, qty: 1 + (order % 3) }] });
    yield event('add_item', { order_id: orderId, item: { name: second, qty: 1 } });
    yield event('add_item', { order_id: orderId, item: { name: third, qty: 2 } });
    if (order % 2 === 0) yield event('remove_item', { order_id: orderId, item: { name: third, qty: 1 } });
    yield event('update_order', { order_id: orderId, status: 'in_progress' });
    if (order % 7 === 0) {
      yield event('void_order', { order_id: orderId, reason: 'customer left' });
      continue;
    }
    yield event('tender', { order_id: orderId, amount: 5 + (order % 17) + 0.25, tender_type: TENDERS[order % TENDERS.length] });
    yield event('close_order', { order_id: orderId });
  }
}

/** Builds one event with a fresh `msg_id`. */
export function posEvent(msgType: string, payload: object | string): PosEvent {
  return event(msgType, payload);
}

function event(msgType: string, payload: object | string): PosEvent {
  return { msgId: randomUUID(), msgType, data: typeof payload === 'string' ? payload : JSON.stringify(payload) };
}
