/**
 * The subscribe/resume messages of the ALE WebSocket (docs/specs/gateway-ws.md §6). They travel as
 * plaintext INSIDE the encrypted envelope, like every message, and are told apart from messages for the
 * kitchen by their shape: a JSON object with `"stream":"pes"` and an `op` of `subscribe`/`unsubscribe`.
 * Anything else is the kitchen's.
 *
 * Client → gateway:
 *   {"op":"subscribe","stream":"pes","from":"$" | "0-0" | "<ms>-<seq>"}   (from defaults to "$")
 *   {"op":"unsubscribe","stream":"pes"}
 * Gateway → client:
 *   {"op":"subscribed","stream":"pes","from":"<id the events follow>"}
 *   {"op":"event","stream":"pes","id":"…","msg_id":"…","msg_type":"…","source":"…","data":"…","received_at":"…"}
 *   {"op":"unsubscribed","stream":"pes"}
 *   {"op":"error","stream":"pes","error":"invalid_request" | "unavailable"}
 */
import type { PesFeedEntry } from './pes-event-feed';
import { isStreamId } from './stream-id';

/** The stream name clients use. */
export const PES_STREAM_NAME = 'pes';

/** A parsed control message. */
export type PesControlMessage =
  | { readonly op: 'subscribe'; readonly from: string }
  | { readonly op: 'unsubscribe' }
  | { readonly op: 'invalid' };

/** Control messages are small; longer plaintexts are never parsed here (the hot path stays a length check). */
const MAX_CONTROL_BYTES = 512;

/** The marker every control message carries; its absence skips the JSON parse. */
const STREAM_MARKER = Buffer.from('"stream"');

/**
 * Reads a decrypted plaintext as a control message; undefined when it is not one (forward it).
 * `invalid` is a message for the gateway that is malformed (answered with `error`/`invalid_request`).
 */
export function parsePesControl(plaintext: Buffer): PesControlMessage | undefined {
  if (plaintext.length > MAX_CONTROL_BYTES || plaintext.indexOf(STREAM_MARKER) === -1) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(plaintext.toString('utf8'));
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const message = value as Record<string, unknown>;
  if (message['stream'] !== PES_STREAM_NAME) return undefined;
  const op = message['op'];
  if (op === 'unsubscribe') return { op };
  if (op !== 'subscribe') return undefined;
  const from = message['from'] ?? '$';
  if (from === '$') return { op, from };
  if (from === '0') return { op, from: '0-0' };
  return isStreamId(from) ? { op, from } : { op: 'invalid' };
}

/** `{"op":"subscribed",…}`. */
export function pesSubscribedText(fromId: string): string {
  return JSON.stringify({ op: 'subscribed', stream: PES_STREAM_NAME, from: fromId });
}

/** `{"op":"unsubscribed",…}`. */
export function pesUnsubscribedText(): string {
  return JSON.stringify({ op: 'unsubscribed', stream: PES_STREAM_NAME });
}

/** The error kinds a subscription reports. */
export type PesControlError = 'invalid_request' | 'unavailable';

/** `{"op":"error",…}`. */
export function pesErrorText(error: PesControlError): string {
  return JSON.stringify({ op: 'error', stream: PES_STREAM_NAME, error });
}

/** `{"op":"event",…}`: the stream entry with its DESIGN §8 field names; `data` is the stored text, unchanged. */
export function pesEventText(entry: PesFeedEntry): string {
  return JSON.stringify({
    op: 'event',
    stream: PES_STREAM_NAME,
    id: entry.id,
    msg_id: entry.msgId,
    msg_type: entry.msgType,
    source: entry.source,
    data: entry.data,
    received_at: entry.receivedAt,
  });
}
