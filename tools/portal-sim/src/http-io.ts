import type { IncomingMessage, ServerResponse } from 'node:http';

/** Admin request bodies are a few fields; anything bigger is refused before buffering more. */
export const MAX_ADMIN_BODY_BYTES = 16 * 1024;

/** Sends a JSON body with the given status. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendText(res, status, JSON.stringify(body), headers);
}

/** Sends text as `application/json` (also broken JSON, for the faults), with an exact content-length. */
export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  const body = Buffer.from(text, 'utf8');
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(body.length),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(body);
}

/** Sends 204 with no body. */
export function sendEmpty(res: ServerResponse): void {
  res.writeHead(204);
  res.end();
}

/** Error raised while reading an admin body; `status` is the HTTP answer. */
export class BodyError extends Error {
  /** HTTP status to answer with. */
  readonly status: number;

  /** @param status HTTP status @param message what was wrong */
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** Reads and parses a JSON request body (empty body → `{}`). */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_ADMIN_BODY_BYTES) throw new BodyError(413, 'body too large');
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BodyError(400, 'body is not JSON');
  }
}
