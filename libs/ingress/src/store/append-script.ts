/**
 * The Lua script behind {@link RedisPesEventLog.append}: for each event of a batch, de-duplication and
 * append in ONE atomic step (DESIGN §6 "the msg_id recorded atomically with the append"). Redis runs a
 * script without interleaving other commands, so two concurrent resends of one event can never both
 * append, and a crash can never leave an entry without its dedupe record or the reverse.
 *
 * One script call carries a batch of events (up to {@link PES_APPEND_BATCH_MAX}), in the order the
 * ingress issued them: the per-call costs (the script text on the wire, its lookup and the Lua call in
 * Redis, one command object in the client) are paid once per batch instead of once per event — about
 * 5 µs of ingress CPU per event (measured, issue 7). Each event is still checked and appended on its
 * own; the batch only adds that no other client's command runs between them.
 *
 * KEYS[1] the stream; KEYS[1 + i] the dedupe key `<prefix>:{site:<id>}:pes:msg:<msg_id>` of event i
 * (same hash tag: one Redis Cluster slot). ARGV[1] the TTL in seconds, then per event i six values from
 * ARGV[2 + 6(i−1)]: content hash, msg_id, msg_type, source, data, received_at.
 * Returns one of `stored`, `duplicate`, `conflict` per event, in order. A failing write (e.g. OOM)
 * aborts the script there: earlier events stay stored, later ones are not written, and the whole call
 * fails (every event of the batch is nacked 5; the resend of a stored one is a `duplicate`).
 */
export const PES_APPEND_SCRIPT = `
local ttl = ARGV[1]
local outcomes = {}
for i = 2, #KEYS do
  local a = (i - 2) * 6 + 1
  local previous = redis.call('GET', KEYS[i])
  if previous then
    if previous == ARGV[a + 1] then outcomes[i - 1] = 'duplicate' else outcomes[i - 1] = 'conflict' end
  else
    redis.call('XADD', KEYS[1], '*',
      'msg_id', ARGV[a + 2], 'msg_type', ARGV[a + 3], 'source', ARGV[a + 4], 'data', ARGV[a + 5], 'received_at', ARGV[a + 6])
    redis.call('SET', KEYS[i], ARGV[a + 1], 'EX', ttl)
    outcomes[i - 1] = 'stored'
  end
end
return outcomes
`;

/**
 * Events per script call. A script blocks Redis while it runs (≈ 5–10 µs per event here, so ≈ 1 ms
 * for a full batch); 128 keeps that short while the per-call costs are already spread thin. A larger
 * pipeline batch becomes several calls in one pipeline, in order.
 */
export const PES_APPEND_BATCH_MAX = 128;

/** Values per event after ARGV[1] (see {@link PES_APPEND_SCRIPT}). */
export const PES_APPEND_ARGS_PER_EVENT = 6;
