/**
 * Named limits of the PES wire format (DESIGN §6, seed 003). Each carries the reason for its value.
 */

/** The length prefix: 4 bytes, unsigned, little-endian, not counting itself (seed 003). */
export const PES_FRAME_HEADER_BYTES = 4;

/**
 * Default cap on one frame's body (`PES_MAX_FRAME_BYTES`, DESIGN §8): 1 MiB. Order events are a few
 * hundred bytes; the cap exists so a declared length is refused before memory is committed — an HTTP
 * `GET ` sent to this port reads as 0x20544547 = 542 MB.
 */
export const PES_MAX_FRAME_BYTES_DEFAULT = 1024 * 1024;

/** The largest length a 4-byte prefix can declare; also the highest cap one may configure. */
export const PES_FRAME_LENGTH_MAX = 0xffff_ffff;

/**
 * A body that arrives in pieces is copied into a buffer that grows by doubling from this size (capped
 * at the declared length), so memory held follows the bytes actually received, not the length a peer
 * merely declared: 10,000 connections each declaring 1 MiB and trickling bytes cost what they sent.
 */
export const PES_PARTIAL_BODY_INITIAL_BYTES = 16 * 1024;

/**
 * `msg_id` length cap: ids are UUIDs in practice (seed 003 example); the id becomes part of a
 * Redis dedupe key and of every AAD, so an unbounded one is refused.
 */
export const PES_MSG_ID_MAX_LENGTH = 128;

/** `msg_type` length cap: type names are short identifiers (`create_order` …); it is part of the AAD. */
export const PES_MSG_TYPE_MAX_LENGTH = 64;

/** `source` and `version` length cap: short labels (`"xenial"`, `"1.0"`). */
export const PES_LABEL_MAX_LENGTH = 128;

/** Order id cap in event payloads: POS order ids are short references (`"ORD-1"`, UUIDs). */
export const PES_ORDER_ID_MAX_LENGTH = 128;

/** Item name cap: menu item names, generous for modifiers spelled into the name. */
export const PES_ITEM_NAME_MAX_LENGTH = 256;

/** Largest sane quantity of one line item; anything above is a unit or typing error. */
export const PES_ITEM_QTY_MAX = 10_000;

/** Most line items in one event: far above a real order, low enough to bound validation work. */
export const PES_ORDER_ITEMS_MAX = 1_000;

/** Cap for short free-text labels in events (`tender_type`, `status`, `reason`). */
export const PES_EVENT_TEXT_MAX_LENGTH = 256;
