/**
 * A tiny Portal serving seed 001's example site object verbatim in shape — three-digit seconds
 * (`2024-06-11T00:00:000Z`) included — behind an exact Authorization value.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Seed 001's security field (both values "secret", as in the seed). */
export const SEED_SECURITY = {
  XKM: {
    encryption: true,
    keys: [
      { fingerprint: 'b6e4b70983144e192bd7eea24c698f54', value: 'secret', valid_after: '2024-06-11T00:00:000Z', valid_until: '2024-07-11T00:00:000Z' },
      { fingerprint: '8ad8c9b0faedd4799805510a91578849', value: 'secret', valid_after: '2024-07-04T00:00:000Z', valid_until: '2024-08-11T00:00:000Z' },
    ],
  },
};

export interface SeedPortal {
  readonly url: string;
  readonly seen: IncomingHttpHeaders[];
  /** Replace the `security` field served. */
  security: unknown;
  close(): Promise<void>;
}

export async function startSeedPortal(auth: string): Promise<SeedPortal> {
  const state: SeedPortal = { url: '', seen: [], security: SEED_SECURITY, close: async () => undefined };
  const server = createServer((req, res) => {
    state.seen.push(req.headers);
    if (req.headers.authorization !== auth) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"error":"unauthorized"}');
    } else if (req.url !== '/sites/store-1') {
      res.writeHead(404);
      res.end();
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ name: 'Restaurant 1', store_number: '1', security: state.security, timezone: 'US/Pacific' }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(state, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}
