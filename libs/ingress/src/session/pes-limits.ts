/**
 * Named limits of a PES connection (DESIGN §6 "Limits", STYLE 10), each with the reason for its
 * default. The frame cap itself (`PES_MAX_FRAME_BYTES`) is enforced by the protocol lib's decoder.
 */

/**
 * From accept to the POS's `register_client` ack (DESIGN §6: 10 s). A POS does one RSA decryption and
 * one round trip; 10 s also covers an online integrator check, and bounds half-open handshakes.
 */
export const PES_HANDSHAKE_TIMEOUT_MS_DEFAULT = 10_000;

/** No frame in either direction for this long closes the connection (DESIGN §6: 300 s). */
export const PES_IDLE_TIMEOUT_MS_DEFAULT = 300_000;

/**
 * Concurrent connections per ingress (DESIGN §6: 10,000): a site has tens of terminals; the cap bounds
 * memory (< 20 KB per idle connection, DESIGN §7) and file descriptors on a shared box.
 */
export const PES_MAX_CONNECTIONS_DEFAULT = 10_000;

/**
 * Events read but not yet answered, per connection (DESIGN §6: 64). Enough to pipeline appends over a
 * Redis round trip; beyond it the socket stops reading (TCP backpressure reaches the POS) instead of
 * buffering without bound when the store is slow.
 */
export const PES_MAX_IN_FLIGHT_DEFAULT = 64;

/**
 * How long a closing connection may wait for its in-flight answers before it is destroyed. Above the
 * store's append timeout, so every append settles (and is answered) first.
 */
export const PES_CLOSE_DRAIN_MS_DEFAULT = 10_000;

/** The `version` of every envelope the ingress sends (DESIGN §6). */
export const PES_PROTOCOL_VERSION = '1.0';

/** The `source` of every envelope the ingress sends, unless configured otherwise. */
export const PES_INGRESS_SOURCE_DEFAULT = 'pos-link';
