import type { IncomingMessage } from 'node:http';

/**
 * Small pure helpers for `UpgradeHandler.matches` (DESIGN §4/§5: terminals are told apart by the
 * `sci` subprotocol, POS clients by the `/ws` paths).
 */

/** The request's path without the query string (`/sites/1/ws?x=1` → `/sites/1/ws`). */
export function upgradePath(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** The subprotocols the client offers in `Sec-WebSocket-Protocol`, trimmed, in order. */
export function offeredSubprotocols(req: IncomingMessage): readonly string[] {
  const raw = req.headers['sec-websocket-protocol'];
  if (raw === undefined || raw === '') return [];
  return raw.split(',').map((p) => p.trim()).filter((p) => p !== '');
}

/** Whether the client offers `protocol` (case-sensitive, as RFC 6455 §4.1 compares tokens). */
export function offersSubprotocol(req: IncomingMessage, protocol: string): boolean {
  return offeredSubprotocols(req).includes(protocol);
}
