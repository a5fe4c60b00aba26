import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../errors/gateway-error';

/**
 * Reads a request body from the raw stream with a hard cap (DESIGN §7: "raw bytes in, with its own body
 * limit"). A declared `content-length` over the cap is refused before a byte is read; a chunked body is
 * refused as soon as it passes the cap. Resolves `undefined` when the client goes away mid-body (nothing
 * to answer).
 *
 * @throws GatewayError `ERR_GATEWAY_BODY_TOO_LARGE` (rejects)
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = req.headers['content-length'];
  const length = declared === undefined ? undefined : Number(declared);
  if (length !== undefined && length > limit) return Promise.reject(new GatewayError('ERR_GATEWAY_BODY_TOO_LARGE'));
  if (length === 0 || (length === undefined && req.headers['transfer-encoding'] === undefined)) {
    return Promise.resolve(EMPTY);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        reject(new GatewayError('ERR_GATEWAY_BODY_TOO_LARGE'));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    };
    const onGone = (): void => {
      cleanup();
      resolve(undefined);
    };
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onGone);
      req.off('close', onGone);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onGone);
    req.on('close', onGone);
  });
}

const EMPTY = Buffer.alloc(0);
