import type { IncomingMessage } from 'node:http';
import { ALE_HEADERS } from '@pos-link/protocol';
import type { RawAleCredentials } from '../ale/ale-credentials';
import { singleHeader } from '../http/header-credentials';

/** The `authorization` field: a header, or (browsers) the query parameter of the same name. */
const AUTHORIZATION = 'authorization';

/** One field: the header when present and non-empty, else the query parameter of the same name. */
function field(req: IncomingMessage, query: URLSearchParams | undefined, name: string): string | undefined {
  const fromHeader = singleHeader(req.headers[name]);
  if (fromHeader !== undefined && fromHeader !== '') return fromHeader;
  return query?.get(name) ?? undefined;
}

/**
 * The security fields of a WebSocket upgrade (DESIGN §4): `sec-fingerprint`, `sec-iv`, `sec-timestamp` and
 * `sec-alg` as headers or — browsers cannot set headers — query parameters of the same names (a header
 * wins over its query parameter).
 */
export function upgradeCredentials(req: IncomingMessage): { readonly raw: RawAleCredentials; readonly hasAuthorization: boolean } {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const query = q === -1 ? undefined : new URLSearchParams(url.slice(q + 1));
  const authorization = field(req, query, AUTHORIZATION);
  return {
    raw: {
      fingerprint: field(req, query, ALE_HEADERS.fingerprint),
      iv: field(req, query, ALE_HEADERS.iv),
      timestamp: field(req, query, ALE_HEADERS.timestamp),
      alg: field(req, query, ALE_HEADERS.alg),
    },
    hasAuthorization: authorization !== undefined && authorization !== '',
  };
}
