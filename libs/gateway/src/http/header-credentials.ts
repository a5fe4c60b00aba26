import type { IncomingHttpHeaders } from 'node:http';
import { ALE_HEADERS } from '@pos-link/protocol';
import type { RawAleCredentials } from '../ale/ale-credentials';

/** A header's value as Node parsed it; of a repeated header, the first. */
export function singleHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The security fields of an HTTP request (DESIGN §3): its `sec-*` headers, as received. */
export function headerCredentials(headers: IncomingHttpHeaders): RawAleCredentials {
  return {
    fingerprint: singleHeader(headers[ALE_HEADERS.fingerprint]),
    iv: singleHeader(headers[ALE_HEADERS.iv]),
    timestamp: singleHeader(headers[ALE_HEADERS.timestamp]),
    alg: singleHeader(headers[ALE_HEADERS.alg]),
  };
}
