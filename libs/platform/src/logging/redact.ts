/**
 * What the loggers censor (DESIGN §2: no key value ever appears in a log line). Field names are
 * matched at any depth up to `REDACT_DEPTH` nested objects/arrays, because pino's redaction takes
 * explicit paths (`*` stands for exactly one level).
 */
export const REDACTED_FIELDS = [
  'authorization',
  'Authorization',
  'value',
  'secret_key',
  'secretKey',
  'password',
  'wrapSecret',
  'KEY_WRAP_SECRET',
  'PORTAL_AUTH',
  'INTEGRATOR_SECRET_KEY',
  'REDIS_URL',
] as const;

/** How deep a secret field is still found (`a.b.c.d.value`); deeper structures must not be logged whole. */
export const REDACT_DEPTH = 5;

/** The censor written in place of a secret. */
export const REDACTED = '[REDACTED]';

/** pino `redact.paths` for `REDACTED_FIELDS` at every depth up to `REDACT_DEPTH`. */
export function buildRedactPaths(fields: readonly string[] = REDACTED_FIELDS, depth = REDACT_DEPTH): string[] {
  const paths: string[] = [];
  for (const field of fields) {
    let path = field;
    for (let level = 0; level <= depth; level++) {
      paths.push(path);
      path = `*.${path}`;
    }
  }
  return paths;
}
