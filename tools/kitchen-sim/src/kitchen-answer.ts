/**
 * What the kitchen answers: the default "echo-ish" JSON, or a configured behaviour's status and body.
 */
import type { KitchenBehaviour } from './behaviours';
import type { RecordedRequest } from './records';

/** The answer to send. */
export interface KitchenAnswer {
  readonly status: number;
  readonly body: Buffer | undefined;
  readonly contentType: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
}

/** The route kinds the EK API names (DESIGN §1: `POST /order`, `POST /alert`). */
function kindOf(route: string): 'order' | 'alert' | 'other' {
  if (route === '/order') return 'order';
  if (route === '/alert') return 'alert';
  return 'other';
}

/**
 * The default body: `{"ok":true,"kind":"order","method":"POST","route":"/order","site":"42","echo":"<body>"}`.
 * `echo` is the request body exactly as received (UTF-8), so an end-to-end test can check that the
 * plaintext made the full round trip through the gateway.
 */
export function echoBody(request: RecordedRequest): Buffer {
  return Buffer.from(
    JSON.stringify({
      ok: true,
      kind: kindOf(request.route),
      method: request.method,
      route: request.route,
      site: request.site,
      echo: request.body,
    }),
    'utf8',
  );
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The answer for a request under a behaviour (undefined = the default). */
export function kitchenAnswer(request: RecordedRequest, behaviour: KitchenBehaviour | undefined): KitchenAnswer {
  const headers = behaviour?.headers ?? {};
  if (behaviour?.empty === true) {
    return { status: behaviour.status ?? 204, body: undefined, contentType: undefined, headers };
  }
  const status = behaviour?.status ?? 200;
  const configured = behaviour?.body;
  if (configured === undefined) {
    return { status, body: echoBody(request), contentType: behaviour?.contentType ?? 'application/json', headers };
  }
  if (Buffer.isBuffer(configured)) {
    return { status, body: configured, contentType: behaviour?.contentType ?? 'application/octet-stream', headers };
  }
  if (typeof configured === 'string') {
    const contentType = behaviour?.contentType ?? (isJson(configured) ? 'application/json' : 'text/plain; charset=utf-8');
    return { status, body: Buffer.from(configured, 'utf8'), contentType, headers };
  }
  return { status, body: Buffer.from(JSON.stringify(configured), 'utf8'), contentType: behaviour?.contentType ?? 'application/json', headers };
}
