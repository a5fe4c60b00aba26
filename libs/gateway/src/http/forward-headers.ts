import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { ALE_HEADER_PREFIX } from '@pos-link/protocol';

/** DESIGN §3: the gateway tells the kitchen which site a forwarded request is for. */
export const SITE_ID_HEADER = 'x-site-id';

/**
 * Request headers never forwarded: hop-by-hop (RFC 9110 §7.6.1) and what the gateway re-derives — `host`
 * (the kitchen's, set by the HTTP client), `content-length` (the plaintext's), `expect` (the body is
 * already read) and `x-site-id` (set by the gateway: a client must not choose it).
 */
const DROPPED_REQUEST_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'http2-settings',
  'host',
  'content-length',
  'expect',
  SITE_ID_HEADER,
]);

/**
 * Response headers never passed back: hop-by-hop, and `content-length` (the answer's length is the
 * gateway's to set).
 */
const DROPPED_RESPONSE_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'content-length',
]);

function isAleHeader(name: string): boolean {
  return name.startsWith(ALE_HEADER_PREFIX);
}

/** Extra hop-by-hop names a `connection` header lists (RFC 9110 §7.6.1); usually none. */
function connectionTokens(value: string | string[] | undefined): ReadonlySet<string> | undefined {
  if (value === undefined) return undefined;
  const text = Array.isArray(value) ? value.join(',') : value;
  if (text === 'keep-alive' || text === 'close') return undefined;
  return new Set(text.split(',').map((token) => token.trim().toLowerCase()));
}

/**
 * The headers the kitchen receives (DESIGN §3): the request's minus every `sec-*` header and the dropped
 * ones above, plus `x-site-id`. `authorization` passes untouched. For ALE requests `accept-encoding` is
 * dropped too: the answer is sealed as a whole and sent as base64 text, so the kitchen must not compress
 * it.
 */
export function forwardRequestHeaders(headers: IncomingHttpHeaders, siteId: string, encrypted: boolean): Record<string, string | string[]> {
  const extra = connectionTokens(headers.connection);
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || DROPPED_REQUEST_HEADERS.has(name) || isAleHeader(name)) continue;
    if (encrypted && name === 'accept-encoding') continue;
    if (extra !== undefined && extra.has(name)) continue;
    out[name] = value;
  }
  out[SITE_ID_HEADER] = siteId;
  return out;
}

/**
 * The kitchen's answer headers as passed to the client: hop-by-hop and `content-length` dropped, and any
 * `sec-*` header (only the gateway writes those). For a sealed answer `content-type` and
 * `content-encoding` describe the plaintext, not the base64 text: they are dropped here (the content
 * type travels as `sec-content-type`).
 */
export function answerHeaders(upstream: IncomingHttpHeaders, sealed: boolean): OutgoingHttpHeaders {
  const extra = connectionTokens(upstream.connection);
  const out: OutgoingHttpHeaders = {};
  for (const name in upstream) {
    const value = upstream[name];
    if (value === undefined || DROPPED_RESPONSE_HEADERS.has(name) || isAleHeader(name)) continue;
    if (sealed && (name === 'content-type' || name === 'content-encoding')) continue;
    if (extra !== undefined && extra.has(name)) continue;
    out[name] = value;
  }
  return out;
}
