import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Answers a not-yet-upgraded socket with a complete HTTP/1.1 response carrying a JSON body, then ends
 * and destroys it. Used for every refused WebSocket handshake (DESIGN §4: "the HTTP 400 JSON error of
 * §3 before upgrading"), so the client sees the same bytes an HTTP request would get. Safe to call on
 * a socket that is already closed.
 *
 * @param socket the raw socket of the `upgrade` event
 * @param status HTTP status, e.g. 400
 * @param body a JSON-serialisable value, or a string already holding the JSON text
 */
export function rejectUpgrade(socket: Duplex, status: number, body: unknown): void {
  if (!Number.isInteger(status) || status < 400 || status > 599) throw new TypeError('rejectUpgrade: status must be an HTTP error status');
  if (socket.destroyed) return;
  const json = typeof body === 'string' ? body : JSON.stringify(body);
  const payload = Buffer.from(json, 'utf8');
  const head =
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
    'Connection: close\r\n' +
    'Content-Type: application/json\r\n' +
    `Content-Length: ${payload.length}\r\n` +
    '\r\n';
  // `end` flushes before closing; `destroy` after the flush guards against a peer that never reads.
  socket.once('error', () => socket.destroy());
  socket.end(Buffer.concat([Buffer.from(head, 'latin1'), payload]), () => socket.destroy());
}
