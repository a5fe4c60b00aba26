/** ASCII whitespace the ciphertext may be surrounded by (DESIGN §3; `libs/crypto` ignores the same). */
function isSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

/**
 * The ciphertext text of an ALE request body (DESIGN §3): base64 text as is, or a JSON string literal
 * holding it (unwrapped here). `undefined` for an empty body (errorCode 1). A body that starts like a JSON
 * string but is not one is returned raw: its quote then fails the strict base64 decoder, so it is refused
 * by the same cipher pass as any other bad ciphertext (no early return, no distinct timing).
 */
export function ciphertextText(body: Buffer): string | undefined {
  if (body.length === 0) return undefined;
  let first = 0;
  while (isSpace(body[first])) first++;
  // latin1: one char per byte, no UTF-8 validation; any non-ASCII byte fails base64 decoding anyway.
  const text = body.toString('latin1');
  if (body[first] !== 0x22 /* " */) return text;
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return typeof value === 'string' ? value : text;
  } catch {
    return text;
  }
}
