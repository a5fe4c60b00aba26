/**
 * Admin routes under `/_sim/` (never recorded), so a test or an operator in another process — the CLI
 * simulator, a demo — can inspect and steer the kitchen over HTTP:
 *
 * | route | does |
 * |---|---|
 * | `GET /_sim/received` | recorded requests (`body` as text and `bodyBase64`) |
 * | `DELETE /_sim/received` | forget recorded requests and WebSocket messages |
 * | `GET /_sim/received-ws` | recorded WebSocket messages |
 * | `GET /_sim/connections` | open WebSocket connections |
 * | `POST /_sim/behaviour` | add a behaviour (JSON {@link KitchenBehaviour}) |
 * | `DELETE /_sim/behaviour` | remove every behaviour |
 * | `POST /_sim/emit` | `{"site":"42","event":{…}}` → `{"delivered":n}` |
 * | `POST /_sim/drop` | `{"site"?:"42"}` → `{"dropped":n}` |
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KitchenBehaviour } from './behaviours';
import { parseJsonBody, readBody, send, sendJson } from './http-io';
import type { KitchenConnection } from './ws-side';
import type { RecordedRequest, RecordedWsMessage } from './records';

/** Prefix of the admin routes. */
export const ADMIN_PREFIX = '/_sim/';

/** Admin bodies are a few fields. */
const MAX_ADMIN_BODY_BYTES = 64 * 1024;

/** What the admin routes act on. */
export interface AdminTarget {
  received(): RecordedRequest[];
  receivedWs(): RecordedWsMessage[];
  clear(): void;
  connections(): KitchenConnection[];
  setBehaviour(behaviour: KitchenBehaviour): void;
  resetBehaviours(): void;
  emit(site: string, event: object | string): number;
  dropConnections(site?: string): number;
}

/** A recorded request as JSON (bytes as base64 beside the text). */
function requestJson(r: RecordedRequest): Record<string, unknown> {
  const { rawBody, ...rest } = r;
  return { ...rest, bodyBase64: rawBody.toString('base64') };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Answers one admin request.
 * @throws TypeError for a malformed body (the caller answers 400)
 */
export async function handleAdmin(target: AdminTarget, route: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const key = `${req.method ?? 'GET'} ${route}`;
  const body = async (): Promise<unknown> => parseJsonBody(await readBody(req, MAX_ADMIN_BODY_BYTES));
  switch (key) {
    case 'GET /_sim/received':
      return sendJson(res, 200, target.received().map(requestJson));
    case 'DELETE /_sim/received':
      target.clear();
      return send(res, 204, undefined, undefined);
    case 'GET /_sim/received-ws':
      return sendJson(res, 200, target.receivedWs());
    case 'GET /_sim/connections':
      return sendJson(res, 200, target.connections());
    case 'POST /_sim/behaviour': {
      const behaviour = await body();
      if (!isRecord(behaviour)) throw new TypeError('body must be a behaviour object');
      target.setBehaviour(behaviour as KitchenBehaviour);
      return send(res, 204, undefined, undefined);
    }
    case 'DELETE /_sim/behaviour':
      target.resetBehaviours();
      return send(res, 204, undefined, undefined);
    case 'POST /_sim/emit': {
      const value = await body();
      if (!isRecord(value) || typeof value['site'] !== 'string') throw new TypeError('body must be {"site": "...", "event": {...}}');
      return sendJson(res, 200, { delivered: target.emit(value['site'], value['event'] as object | string) });
    }
    case 'POST /_sim/drop': {
      const value = await body();
      const site = isRecord(value) ? value['site'] : undefined;
      if (site !== undefined && typeof site !== 'string') throw new TypeError('site must be a string');
      return sendJson(res, 200, { dropped: target.dropConnections(site) });
    }
    default:
      return sendJson(res, 404, { error: 'not_found' });
  }
}
