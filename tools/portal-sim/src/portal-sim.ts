import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_FAULT_LATENCY_MS, assertPortalFault, type PortalFault } from './faults';
import { BodyError, readJsonBody, sendEmpty, sendJson, sendText } from './http-io';
import { resolveOptions, type PortalSimOptions } from './options';
import { PortalState, type PortalSimStats, type RotationListener } from './portal-state';
import type { PortalSimKey } from './sim-key';
import { renderSiteObject, type ObjectFaultKind } from './site-object';

/** A running simulated Portal. */
export interface PortalSim {
  /** Base URL, e.g. `http://127.0.0.1:41234` (key-sync's `PORTAL_URL`). */
  readonly url: string;
  /** The bound port. */
  readonly port: number;
  /** The `Authorization` value it requires (key-sync's `PORTAL_AUTH`). */
  readonly auth: string;
  /** Stops the rotation timer and the server, dropping open connections. */
  close(): Promise<void>;
  /** Rotates a site's keys now; returns the new key. */
  rotate(siteId: string): PortalSimKey;
  /** Turns a site's `encryption` flag on or off. */
  setEncryption(siteId: string, enabled: boolean): void;
  /** Queues a fault for the next matching fetches. */
  injectFault(fault: PortalFault): void;
  /** Removes every queued fault. */
  clearFaults(): void;
  /** The counters (fetches per site, faults served, …). */
  stats(): PortalSimStats;
  /** Zeroes the counters. */
  resetStats(): void;
  /** The keys the Portal lists for a site now (values included: tests act as the POS). */
  currentKeys(siteId: string): PortalSimKey[];
  /** The site object a fetch would get now, without faults. */
  siteObject(siteId: string): Record<string, unknown>;
  /** Calls `listener` after every rotation; returns its remover. */
  onRotate(listener: RotationListener): () => void;
}

const OBJECT_FAULTS: ReadonlySet<string> = new Set<ObjectFaultKind>([
  'seed-timestamps',
  'three-keys',
  'duplicate-fingerprint',
  'until-before-after',
  'encryption-not-boolean',
]);

/**
 * Starts the Portal simulator (DESIGN §1 `tools/portal-sim`, seed 001): a real HTTP server with
 * `GET /sites/:siteId` behind an exact `Authorization` value, keys rotating on a schedule with an overlap,
 * admin routes (`/admin/…`, see the README) and injectable faults.
 */
export async function startPortalSim(options: PortalSimOptions): Promise<PortalSim> {
  const resolved = resolveOptions(options);
  const state = new PortalState(resolved);
  const pending = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    handle(state, pending, req, res).catch((error: unknown) => {
      if (error instanceof BodyError) sendJson(res, error.status, { error: 'bad_request', message: error.message });
      else if (error instanceof TypeError) sendJson(res, 400, { error: 'bad_request', message: error.message });
      else if (!res.headersSent) sendJson(res, 500, { error: 'simulator_error' });
    });
  });
  await listen(server, resolved.port, resolved.host);
  const { port } = server.address() as AddressInfo;
  const timer = resolved.rotationMs > 0 ? setInterval(() => state.rotateAll(), resolved.rotationMs) : undefined;
  timer?.unref();
  const host = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;

  return {
    url: `http://${host}:${port}`,
    port,
    auth: resolved.auth,
    close: async () => {
      if (timer !== undefined) clearInterval(timer);
      for (const t of pending) clearTimeout(t);
      pending.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
    rotate: (siteId) => state.rotate(siteId),
    setEncryption: (siteId, enabled) => {
      if (typeof enabled !== 'boolean') throw new TypeError('enabled must be a boolean');
      state.get(siteId).encryption = enabled;
    },
    injectFault: (fault) => state.injectFault(fault),
    clearFaults: () => state.faults.clear(),
    stats: () => state.stats(),
    resetStats: () => state.resetStats(),
    currentKeys: (siteId) => state.get(siteId).listed(resolved.clock()),
    siteObject: (siteId) =>
      renderSiteObject(state.get(siteId), resolved.service, resolved.clock(), state.random),
    onRotate: (listener) => state.onRotate(listener),
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function authorized(header: string | undefined, expected: string): boolean {
  if (header === undefined) return false;
  const given = Buffer.from(header, 'utf8');
  const wanted = Buffer.from(expected, 'utf8');
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** Splits the path into decoded segments; undefined when a segment is not valid percent-encoding. */
function segments(url: string | undefined): string[] | undefined {
  const path = new URL(url ?? '/', 'http://portal-sim').pathname;
  try {
    return path.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

async function handle(state: PortalState, pending: Set<NodeJS.Timeout>, req: IncomingMessage, res: ServerResponse) {
  const parts = segments(req.url);
  if (parts === undefined) return sendJson(res, 404, { error: 'not_found' });
  if (parts.length === 2 && parts[0] === 'sites') return getSite(state, pending, parts[1] ?? '', req, res);
  if (parts[0] === 'admin') {
    const { adminAuth } = state.options;
    if (adminAuth !== undefined && !authorized(req.headers.authorization, adminAuth)) {
      return sendJson(res, 401, { error: 'unauthorized' });
    }
    return admin(state, parts.slice(1), req, res);
  }
  return sendJson(res, 404, { error: 'not_found' });
}

async function getSite(
  state: PortalState,
  pending: Set<NodeJS.Timeout>,
  siteId: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (req.method !== 'GET') return sendJson(res, 405, { error: 'method_not_allowed' }, { allow: 'GET' });
  // Authorization first: an unauthenticated caller learns nothing, not even whether the site exists.
  if (!authorized(req.headers.authorization, state.options.auth)) {
    state.countUnauthorized();
    return sendJson(res, 401, { error: 'unauthorized' });
  }
  const site = state.find(siteId);
  if (site === undefined) {
    state.countNotFound();
    return sendJson(res, 404, { error: 'not_found' });
  }
  state.countFetch(siteId);
  const fault = state.faults.take(siteId);
  if (fault !== undefined) state.countFault(fault.kind);
  if (fault?.kind === 'latency') await delay(pending, fault.latencyMs ?? DEFAULT_FAULT_LATENCY_MS);
  if (res.destroyed) return;
  const now = state.options.clock();
  const objectFault = fault !== undefined && OBJECT_FAULTS.has(fault.kind) ? (fault.kind as ObjectFaultKind) : undefined;
  const body = JSON.stringify(renderSiteObject(site, state.options.service, now, state.random, objectFault));
  switch (fault?.kind) {
    case 'http500':
      return sendJson(res, 500, { error: 'internal_server_error' });
    case 'http503':
      return sendJson(res, 503, { error: 'service_unavailable' }, { 'retry-after': '1' });
    case 'reset':
      req.socket.destroy(); // no status line at all: the client sees a connection reset
      return;
    case 'truncated-json':
      return sendText(res, 200, body.slice(0, Math.floor(body.length / 2)));
    case 'invalid-json':
      return sendText(res, 200, `${body.slice(0, -1)},}`); // a trailing comma: JSON.parse refuses it
    default:
      return sendText(res, 200, body);
  }
}

async function admin(state: PortalState, parts: string[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const [area, siteId, action] = parts;
  const method = req.method ?? 'GET';
  if (area === 'sites' && siteId !== undefined && parts.length === 3) {
    const site = state.find(siteId);
    if (site === undefined) return sendJson(res, 404, { error: 'not_found' });
    if (method !== 'POST') return sendJson(res, 405, { error: 'method_not_allowed' }, { allow: 'POST' });
    if (action === 'rotate') {
      const key = state.rotate(siteId);
      return sendJson(res, 200, { siteId, rotated: key.fingerprint, keys: site.listed(state.options.clock()) });
    }
    if (action === 'encryption') {
      const body = (await readJsonBody(req)) as { enabled?: unknown };
      if (typeof body?.enabled !== 'boolean') throw new TypeError('body must be {"enabled": true|false}');
      site.encryption = body.enabled;
      return sendJson(res, 200, { siteId, encryption: site.encryption });
    }
  }
  if (area === 'faults' && parts.length === 1) {
    if (method === 'DELETE') {
      state.faults.clear();
      return sendEmpty(res);
    }
    if (method !== 'POST') return sendJson(res, 405, { error: 'method_not_allowed' }, { allow: 'POST, DELETE' });
    const fault = await readJsonBody(req);
    assertPortalFault(fault);
    state.injectFault(fault);
    return sendJson(res, 201, { queued: state.faults.size });
  }
  if (area === 'stats' && parts.length === 1) {
    if (method === 'GET') return sendJson(res, 200, state.stats());
    if (method === 'DELETE') {
      state.resetStats();
      return sendEmpty(res);
    }
    return sendJson(res, 405, { error: 'method_not_allowed' }, { allow: 'GET, DELETE' });
  }
  return sendJson(res, 404, { error: 'not_found' });
}

function delay(pending: Set<NodeJS.Timeout>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      pending.delete(timer);
      resolve();
    }, ms);
    pending.add(timer);
  });
}
