/**
 * PES order-event payloads (DESIGN §6 step 4): the decrypted `msg_data` of each known event type.
 *
 * These DTOs VALIDATE only — the ingress stores the exact decrypted text, so unknown fields are kept
 * and nothing is transformed. They check what a consumer of the stream relies on: which order an
 * event belongs to, and that items and amounts are sane. Field names follow the vectors
 * (`order_id`, `items[{name,qty}]`, `item{name,qty}`); the others (`amount`, `tender_type`,
 * `status`, `reason`) are this project's choice, documented in docs/protocols/pes.md.
 */
import {
  ArrayMaxSize,
  IsArray,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsPositive,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { NestedDto } from '../dto/nested-dto';
import {
  PES_EVENT_TEXT_MAX_LENGTH,
  PES_ITEM_NAME_MAX_LENGTH,
  PES_ITEM_QTY_MAX,
  PES_ORDER_ID_MAX_LENGTH,
  PES_ORDER_ITEMS_MAX,
} from './limits';

/** JSON numbers only: no NaN/Infinity (JSON cannot carry them, but a caller's value might). */
const FINITE = { allowNaN: false, allowInfinity: false } as const;

/** A line item: `{"name":"Fries","qty":2}` (vectors). Quantities may be fractional (weighed goods). */
export class PesOrderItem {
  /** Item name as shown on the kitchen screen. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(PES_ITEM_NAME_MAX_LENGTH)
  name!: string;

  /** Quantity, > 0 and ≤ {@link PES_ITEM_QTY_MAX}. */
  @IsNumber(FINITE)
  @IsPositive()
  @Max(PES_ITEM_QTY_MAX)
  qty!: number;
}

/** The item a `remove_item` names: `qty` is optional (absent = the whole line). */
export class PesItemRef {
  /** Item name, as sent in `add_item`. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(PES_ITEM_NAME_MAX_LENGTH)
  name!: string;

  /** Quantity to remove, > 0 and ≤ {@link PES_ITEM_QTY_MAX}; absent = all of it. */
  @IsOptional()
  @IsNumber(FINITE)
  @IsPositive()
  @Max(PES_ITEM_QTY_MAX)
  qty?: number;
}

/** Every order event names its order. */
export class PesOrderEvent {
  /** The POS order id, e.g. `"ORD-1"`. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(PES_ORDER_ID_MAX_LENGTH)
  order_id!: string;
}

/** `create_order`: `{"order_id":"ORD-1","items":[{"name":"Fries","qty":2}]}`; `items` optional. */
export class PesCreateOrderEvent extends PesOrderEvent {
  /** Initial line items (may be absent for an empty order). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(PES_ORDER_ITEMS_MAX)
  @IsObject({ each: true }) // without it, class-validator would walk into `[[{…}]]` and accept it
  @NestedDto(() => PesOrderItem)
  items?: PesOrderItem[];
}

/** `add_item`: `{"order_id":"ORD-1","item":{"name":"Shake","qty":1}}`. */
export class PesAddItemEvent extends PesOrderEvent {
  /** The item added. */
  @IsObject()
  @NestedDto(() => PesOrderItem)
  item!: PesOrderItem;
}

/** `remove_item`: `{"order_id":…,"item":{"name":…[,"qty":…]}}`. */
export class PesRemoveItemEvent extends PesOrderEvent {
  /** The item removed. */
  @IsObject()
  @NestedDto(() => PesItemRef)
  item!: PesItemRef;
}

/** `update_order`: `{"order_id":…[,"items":[…]][,"status":…]}` — other fields free. */
export class PesUpdateOrderEvent extends PesOrderEvent {
  /** The order's line items after the update, when sent. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(PES_ORDER_ITEMS_MAX)
  @IsObject({ each: true }) // without it, class-validator would walk into `[[{…}]]` and accept it
  @NestedDto(() => PesOrderItem)
  items?: PesOrderItem[];

  /** A status label, when sent. */
  @IsOptional()
  @IsString()
  @MaxLength(PES_EVENT_TEXT_MAX_LENGTH)
  status?: string;
}

/** `tender`: `{"order_id":…,"amount":12.5[,"tender_type":"card"]}`. */
export class PesTenderEvent extends PesOrderEvent {
  /** Amount tendered in the site's currency, a finite number ≥ 0. */
  @IsNumber(FINITE)
  @Min(0)
  amount!: number;

  /** How it was paid (`"cash"`, `"card"`, …), when sent. */
  @IsOptional()
  @IsString()
  @MaxLength(PES_EVENT_TEXT_MAX_LENGTH)
  tender_type?: string;
}

/** `close_order`: `{"order_id":…}`. */
export class PesCloseOrderEvent extends PesOrderEvent {}

/** `void_order`: `{"order_id":…[,"reason":…]}`. */
export class PesVoidOrderEvent extends PesOrderEvent {
  /** Why the order was voided, when sent. */
  @IsOptional()
  @IsString()
  @MaxLength(PES_EVENT_TEXT_MAX_LENGTH)
  reason?: string;
}

/** msg_type → payload DTO of every known event type (frozen). */
export const PES_EVENT_DTOS = Object.freeze({
  create_order: PesCreateOrderEvent,
  add_item: PesAddItemEvent,
  remove_item: PesRemoveItemEvent,
  update_order: PesUpdateOrderEvent,
  tender: PesTenderEvent,
  close_order: PesCloseOrderEvent,
  void_order: PesVoidOrderEvent,
});

/** A known event `msg_type`. */
export type PesKnownEventType = keyof typeof PES_EVENT_DTOS;
