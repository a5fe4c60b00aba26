import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

/**
 * Write coalescing for the WebSocket hot path (DESIGN §7). `ws` writes every frame with its own system
 * call; under load one read of a client's socket carries several frames, and each produces a frame to the
 * kitchen (and each kitchen echo one to the client). Corking the socket at the first send of an event-loop
 * turn and uncorking once in the check phase (`setImmediate`: after every microtask of the turn, so the
 * async verification of each message has run) turns those N frames into one `writev`. Measured with
 * tools/bench/src/gateway-ws.bench.ts: loopback system calls dominated the gateway's CPU profile.
 *
 * The price is at most one loop turn of latency for a send; nothing is held across turns. `ws` exposes its
 * `net.Socket` only as the internal `_socket`; a socket without one (not yet open, or closed) is left as is.
 */
const corked = new Set<Socket>();
let scheduled = false;

function uncorkAll(): void {
  scheduled = false;
  for (const socket of corked) socket.uncork();
  corked.clear();
}

/** Holds `ws`'s writes until the end of this event-loop turn (see the file comment). Cheap when already held. */
export function coalesceWrites(ws: WebSocket): void {
  const socket = (ws as unknown as { readonly _socket?: Socket | null })._socket;
  if (socket === undefined || socket === null || socket.destroyed || corked.has(socket)) return;
  socket.cork();
  corked.add(socket);
  if (!scheduled) {
    scheduled = true;
    setImmediate(uncorkAll);
  }
}
