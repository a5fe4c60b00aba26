/**
 * Kitchen events as EK sends them to the POS over its WebSocket (DESIGN §4 "Kitchen → POS"): JSON text
 * frames such as `{"type":"bump","order_id":"…"}`. The exact EK event schema is not in the seeds; the
 * simulator sends this small, documented shape.
 */

/** The event types the simulator emits on its schedule. */
export const KITCHEN_EVENT_TYPES = Object.freeze(['item-ready', 'bump', 'recall'] as const);

/** One of {@link KITCHEN_EVENT_TYPES}. */
export type KitchenEventType = (typeof KITCHEN_EVENT_TYPES)[number];

/** A kitchen event. */
export interface KitchenEvent {
  /** What happened. */
  readonly type: KitchenEventType | string;
  /** The order it concerns. */
  readonly order_id: string;
  /** The site the event belongs to, when known. */
  readonly site?: string;
  /** When it happened, ISO-8601 UTC. */
  readonly at: string;
}

/**
 * Builds a kitchen event.
 * @param now epoch milliseconds (injectable for deterministic tests)
 */
export function kitchenEvent(type: KitchenEventType | string, orderId: string, site?: string, now: number = Date.now()): KitchenEvent {
  const event = { type, order_id: orderId, at: new Date(now).toISOString() };
  return site === undefined ? event : { type, order_id: orderId, site, at: event.at };
}

/**
 * The n-th scheduled event (n from 0): orders `ORD-1`, `ORD-2`, … each go item-ready → bump → recall, so a
 * demo shows every type in turn.
 */
export function scheduledEvent(n: number, site: string | undefined, now: number = Date.now()): KitchenEvent {
  const type = KITCHEN_EVENT_TYPES[n % KITCHEN_EVENT_TYPES.length] ?? 'bump';
  return kitchenEvent(type, `ORD-${Math.floor(n / KITCHEN_EVENT_TYPES.length) + 1}`, site, now);
}
