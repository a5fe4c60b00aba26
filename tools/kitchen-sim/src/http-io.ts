/**
 * Small HTTP helpers of the simulator (node:http, no framework: the kitchen must never be the bottleneck
 * of a gateway benchmark).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Raised when a request body is over the cap. */
export class BodyTooLargeError extends Error {
  constructor() {
    super('request body over the simulator cap');
    this.name = 'BodyTooLargeError';
  }
}

/** Reads the whole body as bytes, refusing more than `maxBytes`. */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) throw new BodyTooLargeError();
    chunks.push(buffer);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
}

/** Sends a body with an exact content-length (nothing when the response is already gone). */
export function send(
  res: ServerResponse,
  status: number,
  body: Buffer | undefined,
  contentType: string | undefined,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (res.destroyed || res.headersSent) return;
  const head: Record<string, string> = { ...headers };
  if (body !== undefined && body.length > 0) {
    if (contentType !== undefined) head['content-type'] = contentType;
    head['content-length'] = String(body.length);
  } else if (status !== 204 && status !== 304 && status >= 200) {
    head['content-length'] = '0';
  }
  res.writeHead(status, head);
  res.end(body !== undefined && body.length > 0 ? body : undefined);
}

/** Sends a JSON value. */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, Buffer.from(JSON.stringify(value), 'utf8'), 'application/json');
}

/** Parses a JSON admin body (`{}` when empty). */
export function parseJsonBody(body: Buffer): unknown {
  const text = body.toString('utf8').trim();
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new TypeError('body is not JSON');
  }
}
