import { AleClient, AleWsClient, fetchPortalKeys, isAleClientError } from '@pos-link/ale';
import { startDeviceSim } from '@pos-link/device-sim';
import { PosSimulator } from '@pos-link/pos-sim';
import { connectableUrl, type DemoManifest } from './demo-manifest';
import { PesEventCollector, type PushedPesEvent } from './pes-event-collector';

/** Bound of each waiting step: generous for a loaded 2-core machine, short enough to fail visibly. */
const STEP_TIMEOUT_MS = 15_000;
/** POS events the demo streams: `create_order`, `add_item`, `add_item` of seed 003's scenario. */
const DEMO_EVENT_COUNT = 3;
/**
 * A terminal that just connected may not be registered yet when the first transaction arrives (the
 * registry write follows the upgrade): the relay then answers `DEVICE OFFLINE` (503), which the demo
 * retries a few times, like a POS would.
 */
const OFFLINE_RETRIES = 20;
const OFFLINE_RETRY_DELAY_MS = 100;

/** What `runDemo` observed: each flow's evidence, for the test and the printed lines. */
export interface DemoResult {
  /** Flow 1: the kitchen's (decrypted) answer to the encrypted order. */
  readonly order: { readonly status: number; readonly encrypted: boolean; readonly kitchenAnswer: string };
  /** Flow 2: events acked by the ingress, and the events the WebSocket client received. */
  readonly pes: { readonly acked: number; readonly pushed: readonly PushedPesEvent[] };
  /** Flow 3: the terminal's `<RESPONSE>` relayed back (decrypted). */
  readonly terminal: { readonly status: number; readonly response: string };
}

/** Where the demo's steps go (one readable line each). */
export type DemoLog = (line: string) => void;

function withTimeout<T>(promise: Promise<T>, what: string, ms = STEP_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function short(text: string, max = 110): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

/** `<NAME>value</NAME>` of an SCI document (display only). */
function sciField(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}

/**
 * Drives pos-link's three flows against a running deployment (standalone `npm start`, or the
 * distributed apps with the simulators as peers), with the simulators as real network peers
 * (DESIGN §1, issue 8):
 *
 * 1. an ALE-encrypted order (`ale` client, keys from the Portal) reaches the kitchen through the gateway;
 * 2. pos-sim streams order events to the ingress (PES, seed 003), which stores them; a WebSocket client
 *    of the gateway subscribed to the `pes` stream receives them;
 * 3. device-sim dials out to the gateway as a payment terminal; an encrypted SCI `SALE` is relayed to it
 *    and its `<RESPONSE>` comes back (seed 002).
 *
 * @throws Error naming the step that failed
 */
export async function runDemo(target: DemoManifest, log: DemoLog = () => undefined): Promise<DemoResult> {
  const gateway = connectableUrl(target.gatewayUrl);
  const pesHost = target.pes.host === '0.0.0.0' || target.pes.host === '::' ? '127.0.0.1' : target.pes.host;
  const keys = await withTimeout(
    fetchPortalKeys({ portalUrl: target.portal.url, auth: target.portal.auth, siteId: target.siteId, service: target.portal.service }),
    'Portal',
  );
  const key = { fingerprint: keys.current.fingerprint, keyValue: keys.current.value, keys: keys.values };
  log(`keys      site ${target.siteId}: key ${key.fingerprint} from the Portal (${target.portal.url})`);

  const client = new AleClient({ baseUrl: gateway.origin, ...key });
  try {
    // 1. Encrypted order → kitchen.
    const order = { orderId: `DEMO-${Date.now()}`, items: [{ name: 'Burger', qty: 2 }] };
    const answer = await withTimeout(client.request({ method: 'POST', path: '/order', body: order }), 'order');
    if (answer.status !== 200 || !answer.text.includes(order.orderId)) {
      throw new Error(`order: the gateway answered ${answer.status} ${short(answer.text)}`);
    }
    log(`order     POST /order ${order.orderId} encrypted (aes-256-gcm) → gateway → kitchen: HTTP ${answer.status}, answer encrypted=${answer.encrypted}`);
    log(`          kitchen said ${short(answer.text)}`);

    // 2. POS events → ingress → stored → pushed to a WebSocket client.
    const pes = await pesFlow(target, gateway, pesHost, key, log);

    // 3. Terminal transaction relayed.
    const terminal = await terminalFlow(target, gateway, client, log);
    return { order: { status: answer.status, encrypted: answer.encrypted, kitchenAnswer: answer.text }, pes, terminal };
  } finally {
    await client.close();
  }
}

async function pesFlow(
  target: DemoManifest,
  gateway: URL,
  pesHost: string,
  key: { fingerprint: string; keyValue: string; keys: Readonly<Record<string, string>> },
  log: DemoLog,
): Promise<DemoResult['pes']> {
  const wsUrl = `${gateway.protocol === 'https:' ? 'wss' : 'ws'}://${gateway.host}`;
  const ws = await withTimeout(AleWsClient.connect({ url: wsUrl, siteId: target.siteId, ...key }), 'WebSocket upgrade').catch(
    (error: unknown) => {
      throw isAleClientError(error) ? new Error(`WebSocket upgrade refused: ${error.status ?? '?'} ${error.body ?? error.message}`) : error;
    },
  );
  try {
    const collector = new PesEventCollector(ws);
    ws.send({ op: 'subscribe', stream: 'pes', from: '$' });
    await collector.subscribed(STEP_TIMEOUT_MS);
    log(`websocket ${wsUrl}/sites/${target.siteId}/ws: encrypted, subscribed to the POS event stream`);

    const pos = new PosSimulator({
      host: pesHost,
      port: target.pes.port,
      eventsPerConnection: DEMO_EVENT_COUNT,
      integrator: target.integrator,
    });
    let stats;
    try {
      stats = await withTimeout(pos.run(), 'pos-sim');
    } finally {
      await pos.stop();
    }
    if (stats.acked !== DEMO_EVENT_COUNT) throw new Error(`pos-sim: ${stats.acked} of ${DEMO_EVENT_COUNT} events acked (nacks ${JSON.stringify(stats.nacks)})`);
    log(`pos       pos-sim → ingress ${pesHost}:${target.pes.port}: RSA→AES handshake, ${stats.acked} events acked (stored)`);

    const pushed = await collector.atLeast(DEMO_EVENT_COUNT, STEP_TIMEOUT_MS);
    log(`pushed    WebSocket client received ${pushed.map((e) => e.msg_type).join(', ')} (decrypted on the client)`);
    return { acked: stats.acked, pushed };
  } finally {
    await ws.close();
  }
}

async function terminalFlow(target: DemoManifest, gateway: URL, client: AleClient, log: DemoLog): Promise<DemoResult['terminal']> {
  const terminalUrl = `${gateway.protocol === 'https:' ? 'wss' : 'ws'}://${gateway.host}/`;
  const device = startDeviceSim({ url: terminalUrl, pinpadId: target.pinpadId });
  try {
    await device.waitForStatus('connected', STEP_TIMEOUT_MS);
    log(`terminal  device-sim pinpad ${target.pinpadId} dialled out to ${terminalUrl} (sci) and is connected`);
    const path = `/sites/${encodeURIComponent(target.siteId)}/terminals/${encodeURIComponent(target.pinpadId)}/transaction`;
    const body =
      '<TRANSACTION><FUNCTION_TYPE>PAYMENT</FUNCTION_TYPE><COMMAND>SALE</COMMAND>' +
      '<TRANS_AMOUNT>12.50</TRANS_AMOUNT><INVOICE>DEMO1</INVOICE></TRANSACTION>';
    let answer = await withTimeout(client.request({ method: 'POST', path, body, contentType: 'application/xml' }), 'terminal');
    for (let retry = 0; answer.status === 503 && retry < OFFLINE_RETRIES; retry += 1) {
      await new Promise((resolve) => setTimeout(resolve, OFFLINE_RETRY_DELAY_MS));
      answer = await withTimeout(client.request({ method: 'POST', path, body, contentType: 'application/xml' }), 'terminal');
    }
    if (answer.status !== 200 || sciField(answer.text, 'RESULT') !== 'APPROVED') {
      throw new Error(`terminal: the gateway answered ${answer.status} ${short(answer.text)}`);
    }
    log(
      `relay     POST ${path} SALE 12.50 encrypted → terminal: ${sciField(answer.text, 'RESULT')} ` +
        `(auth ${sciField(answer.text, 'AUTH_CODE') ?? '?'}, ${sciField(answer.text, 'PAYMENT_MEDIA') ?? '?'})`,
    );
    return { status: answer.status, response: answer.text };
  } finally {
    await device.close();
  }
}
