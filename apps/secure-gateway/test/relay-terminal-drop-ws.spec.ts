import type { DeviceSim } from '@pos-link/device-sim';
import { buildSciXml } from '@pos-link/protocol';
import { SITE_A, startRelayWorld, type RelayGateway, type RelayWorld } from './support/relay-world';

// Integration (DESIGN §5): terminals that vanish — mid-request, or silently (no pongs) — and come back.

const sale = (amount: string): string => buildSciXml('TRANSACTION', { FUNCTION_TYPE: 'PAYMENT', COMMAND: 'SALE', TRANS_AMOUNT: amount });

/** Resolves when the terminal is connected again after a loss (listen before causing the loss). */
function reconnected(terminal: DeviceSim): Promise<void> {
  return new Promise((resolve) => {
    let lost = false;
    const listener = (status: string): void => {
      if (status.startsWith('reconnecting')) lost = true;
      if (lost && status === 'connected') {
        terminal.off('status', listener);
        resolve();
      }
    };
    terminal.on('status', listener);
  });
}

describe('terminal relay: terminals that drop', () => {
  let world: RelayWorld;
  let gateway: RelayGateway;

  beforeAll(async () => {
    world = await startRelayWorld();
    gateway = await world.startGateway({ TERMINAL_PING_INTERVAL_MS: '150', RELAY_REQUEST_TIMEOUT_MS: '10000' });
  });
  afterAll(() => world.close());

  it('answers 59020 (HTTP 503) when the terminal drops mid-request, and routes again once it reconnects', async () => {
    const terminal = world.terminal({ url: gateway.terminalUrl, pinpadId: 'T1' });
    await gateway.terminalReady(SITE_A, 'T1');
    const back = reconnected(terminal);
    terminal.dropOnNextRequest();

    const dropped = await world.postTransaction(gateway, SITE_A, 'T1', sale('4.00'), { posId: 'pos-1' });
    expect(dropped.status).toBe(503);
    expect(dropped.fields).toMatchObject({ RESULT_CODE: '59020', RESPONSE_TEXT: 'DEVICE OFFLINE', TERMINATION_STATUS: 'FAILURE' });
    expect(terminal.handled().at(-1)).toMatchObject({ response: null }); // it arrived, no answer ever came

    await back;
    await gateway.terminalReady(SITE_A, 'T1');
    const restored = await world.postTransaction(gateway, SITE_A, 'T1', sale('4.00'), { posId: 'pos-1' });
    expect(restored.status).toBe(200);
    expect(restored.fields).toMatchObject({ RESULT: 'APPROVED', APPROVED_AMOUNT: '4.00' });
    await terminal.close();
  });

  it('evicts a terminal that stops answering pings and answers its outstanding request 59020', async () => {
    const terminal = world.terminal({ url: gateway.terminalUrl, pinpadId: 'T2' });
    await gateway.terminalReady(SITE_A, 'T2');
    const evictedBefore = await gateway.metric('poslink_relay_terminal_closes_total', { reason: 'evicted' });
    const back = reconnected(terminal);
    terminal.stopAnswering(); // a dead peer: connected, but no pongs and no answers

    const answer = await world.postTransaction(gateway, SITE_A, 'T2', sale('5.00'), { posId: 'pos-2' });
    expect(answer.status).toBe(503);
    expect(answer.fields).toMatchObject({ RESULT_CODE: '59020' });
    expect(await gateway.metric('poslink_relay_terminal_closes_total', { reason: 'evicted' })).toBeGreaterThan(evictedBefore);

    terminal.resumeAnswering();
    await back;
    await gateway.terminalReady(SITE_A, 'T2');
    expect((await world.postTransaction(gateway, SITE_A, 'T2', sale('5.00'), { posId: 'pos-2' })).fields).toMatchObject({ RESULT: 'APPROVED' });
    await terminal.close();
  });

  it('lets a newer connection of the same terminal take over: the older one is closed with 4000', async () => {
    // A slow reconnect, so the replaced terminal does not take the connection back during the test.
    const first = world.terminal({ url: gateway.terminalUrl, pinpadId: 'T1', backoff: { initialMs: 10_000, maxMs: 10_000, factor: 2, jitter: 0 } });
    await gateway.terminalReady(SITE_A, 'T1');
    const retried = new Promise<string | undefined>((resolve) => first.once('retry', (retry) => resolve(retry.reason)));
    const second = world.terminal({ url: gateway.terminalUrl, pinpadId: 'T1' });
    await second.waitForStatus('connected');
    expect(await retried).toBe('connection closed (4000)');
    await gateway.terminalReady(SITE_A, 'T1');
    await first.close();
    const answer = await world.postTransaction(gateway, SITE_A, 'T1', sale('6.00'), { posId: 'pos-3' });
    expect(answer.fields).toMatchObject({ RESULT: 'APPROVED' });
    expect(second.handled().map((h) => h.command)).toEqual(['PAYMENT/SALE']);
    await second.close();
  });
});
