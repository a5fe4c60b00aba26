/**
 * Named defaults of the ALE WebSocket endpoint (DESIGN §4, §7; STYLE 10), each with the reason next
 * to it. The ones operators tune are `GatewayConfig` properties (`ALE_WS_*`); the rest are internal.
 */

/**
 * `ALE_WS_MAX_PAYLOAD_BYTES`: the largest message a client may send (ws `maxPayload`, close 1009 above).
 * An envelope is base64 (4/3) of the ciphertext plus ≈ 100 bytes of JSON, so 1 MiB carries ≈ 780 KiB of
 * plaintext — far above any POS/kitchen message and the same order as the HTTP `ALE_MAX_BODY_BYTES`.
 */
export const ALE_WS_MAX_PAYLOAD_BYTES_DEFAULT = 1_048_576;

/**
 * `ALE_WS_SEND_QUEUE_MAX_BYTES`: bytes a socket may have queued in user space (ws sender + Node's
 * write buffer, i.e. `bufferedAmount`) before it counts as a slow consumer and is closed with 1013.
 * 1 MiB is minutes of heartbeats and hundreds of kitchen events — a client that far behind is not reading;
 * the kernel's own socket buffer comes on top. Bounded per socket, so one stalled POS never grows the heap.
 */
export const ALE_WS_SEND_QUEUE_MAX_BYTES_DEFAULT = 1_048_576;

/**
 * `ALE_WS_MAX_CONNECTIONS_PER_IP`: a store's POS devices share few addresses (NAT); 1000 leaves room for
 * the largest store and still stops one host from exhausting a replica's sockets. 0 = no limit (behind an
 * L7 proxy every connection has the proxy's address).
 */
export const ALE_WS_MAX_CONNECTIONS_PER_IP_DEFAULT = 1000;

/**
 * `ALE_WS_PING_MS`: WebSocket ping period; a peer that has not answered the previous ping when the next
 * one is due is terminated (dead-peer eviction), so a dead peer is gone within two periods. 30 s is well
 * inside common idle timeouts of NATs and load balancers (60 s and more).
 */
export const ALE_WS_PING_MS_DEFAULT = 30_000;

/** `ALE_WS_PERMESSAGE_DEFLATE`: off by default (DESIGN §4) — ciphertext does not compress, and zlib costs ≈ 300 KB per socket. */
export const ALE_WS_PERMESSAGE_DEFLATE_DEFAULT = false;

/**
 * After a close frame is sent, how long the peer gets to answer before the socket is destroyed. A slow
 * consumer may never read its backlog; 5 s keeps shutdown and eviction bounded (ws' own default is 30 s).
 */
export const ALE_WS_CLOSE_TIMEOUT_MS = 5_000;

/**
 * At shutdown, how long open sockets may flush what is queued (and finish the message being verified)
 * before the 1001 close frames go out. With the close timeout after it, shutdown stays within the
 * platform's default 10 s `DRAIN_TIMEOUT_MS`.
 */
export const ALE_WS_DRAIN_MS = 2_000;

/**
 * How long an accepted upgrade waits for its site's bus subscription before completing anyway (Redis
 * down: the client still gets the kitchen bridge, the heartbeat and its own messages through).
 */
export const ALE_WS_HUB_READY_WAIT_MS = 2_000;

/** Upgrade requests with a URL longer than this are refused as malformed (query credentials included). */
export const ALE_WS_MAX_UPGRADE_URL_LENGTH = 4096;

/** Kitchen messages held while the site's bridge reconnects; older ones are dropped (and counted) beyond it. */
export const KITCHEN_BRIDGE_PENDING_MAX = 1000;

/** First reconnect delay of a kitchen bridge; doubles per failure up to {@link KITCHEN_BRIDGE_BACKOFF_MAX_MS}. */
export const KITCHEN_BRIDGE_BACKOFF_BASE_MS = 100;

/** Reconnect delay cap of a kitchen bridge: a restarted kitchen is found again within seconds. */
export const KITCHEN_BRIDGE_BACKOFF_MAX_MS = 5_000;

/** The EK heartbeat text (DESIGN §4): the gateway sends its own, so the kitchen's copies are not relayed. */
export const ALE_WS_HEARTBEAT_TEXT = 'isAlive?';

/** Entries per `XRANGE` page of a catch-up read: bounds memory per subscribing client. */
export const PES_CATCH_UP_PAGE = 256;

/** Entries per `XREAD` of a site's live tail. */
export const PES_TAIL_BATCH = 512;

/** `BLOCK` of one `XREAD` of a live tail; the loop re-issues it, so it only bounds how long a stop waits. */
export const PES_TAIL_BLOCK_MS = 2_000;

/** Live entries buffered per client while it catches up; past it the catch-up re-reads from the stream. */
export const PES_HANDOVER_BUFFER_MAX = 1024;
