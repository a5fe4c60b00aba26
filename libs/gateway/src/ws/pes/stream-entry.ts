import type { PesFeedEntry } from './pes-event-feed';

/** A raw `XRANGE`/`XREAD` entry: `[id, [field, value, …]]`. */
export type RawStreamEntry = [id: string, fields: string[]];

/** Maps a raw stream entry to a feed entry (missing fields read as empty text). */
export function toFeedEntry([id, fields]: RawStreamEntry): PesFeedEntry {
  const values: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) values[fields[i] as string] = fields[i + 1] as string;
  return {
    id,
    msgId: values['msg_id'] ?? '',
    msgType: values['msg_type'] ?? '',
    source: values['source'] ?? '',
    data: values['data'] ?? '',
    receivedAt: values['received_at'] ?? '',
  };
}
