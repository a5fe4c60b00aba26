/**
 * The `ale` commands: `encrypt`, `decrypt`, `send`. Each parses its own flags (node `util.parseArgs`,
 * strict) and returns an exit code.
 */
import { parseArgs } from 'node:util';
import { isAleSuiteName, type AleSuiteName } from '@pos-link/crypto';
import { AleClient } from './ale-client';
import { EXIT, CliUsageError, readAll, type CliIo } from './cli-io';
import { KEY_HELP, KEY_OPTIONS, resolveKeys } from './cli-keys';
import { decryptAle, encryptAle } from './one-shot';

/** `ale encrypt --help`. */
export const ENCRYPT_USAGE = `ale encrypt — encrypt a payload; prints the security headers, a blank line, the body

Usage: ale encrypt [key] [--data <text>] [options]     (without --data the payload is read from stdin)

  --data <text>         the plaintext
  --suite <name>        aes-256-gcm (default) or aes-256-cbc
  --timestamp           add sec-timestamp (now), bound into the AAD
  --timestamp-ms <n>    add this sec-timestamp
  --iv <iv>             a fixed IV (base64 or hex) — only to reproduce known answers; never reuse one
  --json                print {"headers":{…},"body":"…"} instead
  -h, --help            print this text

${KEY_HELP}
`;

/** `ale decrypt --help`. */
export const DECRYPT_USAGE = `ale decrypt — decrypt a payload; prints the plaintext exactly

Usage: ale decrypt [key] --fingerprint <f> --iv <iv> [--data <base64>] [options]   (without --data: stdin)

  --iv <iv>             the sec-iv (base64, base64url or hex)
  --data <base64>       the ciphertext (HTTP body or envelope "message")
  --suite <name>        aes-256-gcm (default) or aes-256-cbc
  --timestamp-ms <n>    the sec-timestamp / "ts" the sender bound into the AAD
  -h, --help            print this text

${KEY_HELP}
`;

/** `ale send --help`. */
export const SEND_USAGE = `ale send — encrypt a request, send it to the gateway, decrypt and print the answer

Usage: ale send [key] --url <http://gw:8080/order> [--data <text>] [options]

  --url <url>           the gateway URL with the kitchen path and query
  --data <text>         the plaintext body ("-" = read stdin); default empty (still encrypted)
  --method <m>          HTTP method (default POST)
  --content-type <t>    the plaintext's content type (default application/json)
  --header <k: v>       an extra header (repeatable)
  --authorization <v>   the authorization header (forwarded to the kitchen)
  --timestamp           add sec-timestamp (now): needed when the gateway has replay protection on
  --suite <name>        aes-256-gcm (default) or aes-256-cbc
  --site-prefix         address the site explicitly: /sites/{--site}/<path>
  --verbose             print the answer's headers too
  -h, --help            print this text

Prints "HTTP <status>", then the plaintext answer (decrypted when encrypted; ALE errors such as
{"errorCode":2,"message":"Unable to decrypt payload"} and gateway errors are plaintext already).

${KEY_HELP}
`;

function suiteOf(text: string | undefined): AleSuiteName {
  const suite = text ?? 'aes-256-gcm';
  if (!isAleSuiteName(suite)) throw new CliUsageError('--suite must be aes-256-gcm or aes-256-cbc');
  return suite;
}

function timestampOf(now: boolean | undefined, exact: string | undefined): string | boolean | undefined {
  if (exact !== undefined) {
    if (!/^\d{1,16}$/.test(exact)) throw new CliUsageError('--timestamp-ms must be decimal milliseconds');
    return exact;
  }
  return now;
}

async function dataOf(data: string | undefined, io: CliIo, stdinWhenAbsent: boolean): Promise<Buffer> {
  if (data === '-' || (data === undefined && stdinWhenAbsent)) return readAll(io.stdin);
  return Buffer.from(data ?? '', 'utf8');
}

/** `ale encrypt`. */
export async function runEncrypt(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      ...KEY_OPTIONS,
      data: { type: 'string' },
      suite: { type: 'string' },
      timestamp: { type: 'boolean' },
      'timestamp-ms': { type: 'string' },
      iv: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    io.stdout.write(ENCRYPT_USAGE);
    return EXIT.OK;
  }
  const suite = suiteOf(values.suite);
  const timestamp = timestampOf(values.timestamp, values['timestamp-ms']);
  const keys = await resolveKeys(values, io);
  const plaintext = await dataOf(values.data, io, true);
  const sealed = encryptAle({ keyValue: keys.keyValue, fingerprint: keys.fingerprint, plaintext, suite, timestamp, iv: values.iv, now: io.now });
  if (values.json === true) {
    io.stdout.write(`${JSON.stringify({ headers: sealed.headers, body: sealed.ciphertext })}\n`);
  } else {
    const head = Object.entries(sealed.headers).map(([name, value]) => `${name}: ${value}\n`).join('');
    io.stdout.write(`${head}\n${sealed.ciphertext}\n`);
  }
  return EXIT.OK;
}

/** `ale decrypt`. */
export async function runDecrypt(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      ...KEY_OPTIONS,
      iv: { type: 'string' },
      data: { type: 'string' },
      suite: { type: 'string' },
      'timestamp-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    io.stdout.write(DECRYPT_USAGE);
    return EXIT.OK;
  }
  const suite = suiteOf(values.suite);
  if (values.iv === undefined) throw new CliUsageError('--iv is required');
  if ((values.fingerprint ?? io.env['ALE_FINGERPRINT']) === undefined) {
    throw new CliUsageError('--fingerprint is required: the message names its key');
  }
  const timestamp = timestampOf(undefined, values['timestamp-ms']);
  const keys = await resolveKeys(values, io);
  const ciphertext = (await dataOf(values.data, io, true)).toString('utf8');
  const timestampText = typeof timestamp === 'string' ? timestamp : undefined;
  io.stdout.write(decryptAle({ keyValue: keys.keyValue, fingerprint: keys.fingerprint, iv: values.iv, ciphertext, suite, timestamp: timestampText }));
  return EXIT.OK;
}

function headersOf(list: readonly string[] | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of list ?? []) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new CliUsageError(`--header must be "name: value", got ${JSON.stringify(line)}`);
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** `ale send`. */
export async function runSend(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      ...KEY_OPTIONS,
      url: { type: 'string' },
      data: { type: 'string' },
      method: { type: 'string' },
      'content-type': { type: 'string' },
      header: { type: 'string', multiple: true },
      authorization: { type: 'string' },
      timestamp: { type: 'boolean' },
      suite: { type: 'string' },
      'site-prefix': { type: 'boolean' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    io.stdout.write(SEND_USAGE);
    return EXIT.OK;
  }
  if (values.url === undefined) throw new CliUsageError('--url is required');
  let url: URL;
  try {
    url = new URL(values.url);
  } catch {
    throw new CliUsageError('--url must be an http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliUsageError('--url must be an http(s) URL');
  if (values['site-prefix'] === true && values.site === undefined) throw new CliUsageError('--site-prefix needs --site');
  const suite = suiteOf(values.suite);
  const headers = headersOf(values.header);
  const keys = await resolveKeys(values, io);
  const body = await dataOf(values.data, io, false);
  const client = new AleClient({
    baseUrl: url.origin,
    fingerprint: keys.fingerprint,
    keyValue: keys.keyValue,
    keys: keys.keys,
    suite,
    siteId: values['site-prefix'] === true ? values.site : undefined,
    timestamp: values.timestamp === true,
    authorization: values.authorization,
    now: io.now,
  });
  try {
    const res = await client.request({
      method: values.method ?? 'POST',
      path: `${url.pathname}${url.search}`,
      body,
      contentType: values['content-type'] ?? (body.length > 0 ? 'application/json' : undefined),
      headers,
    });
    io.stdout.write(`HTTP ${res.status}\n`);
    if (values.verbose === true) {
      for (const [name, value] of Object.entries(res.headers)) {
        for (const v of Array.isArray(value) ? value : [value]) if (v !== undefined) io.stdout.write(`${name}: ${v}\n`);
      }
      io.stdout.write('\n');
    }
    if (res.body.length > 0) io.stdout.write(res.text.endsWith('\n') ? res.text : `${res.text}\n`);
    return res.status >= 400 ? EXIT.FAILED : EXIT.OK;
  } finally {
    await client.close();
  }
}
