import WebSocket from 'ws';
import { waitFor } from '@pos-link/platform/testing';
import { buildSciXml } from '@pos-link/protocol';
import { SYNTHESIZED_RESPONSES } from '@pos-link/gateway';
import { SITE_A, responseFields, startRelayWorld, wsExchange, type RelayGateway, type RelayWorld } from './support/relay-world';

// Integration (DESIGN §5): gateway factory, real Redis, device-sim as the terminal, tools/ale as the POS.

const start = (): string => buildSciXml('TRANSACTION', { FUNCTION_TYPE: 'SESSION', COMMAND: 'START', BUSINESSDATE: '20210709', INVOICE: '123456' });
const finish = (): string => buildSciXml('TRANSACTION', { FUNCTION_TYPE: 'SESSION', COMMAND: 'FINISH' });
const sale = (amount = '12.50'): string => buildSciXml('TRANSACTION', { FUNCTION_TYPE: 'PAYMENT', COMMAND: 'SALE', TRANS_AMOUNT: amount });
const status = (): string => buildSciXml('TRANSACTION', { FUNCTION_TYPE: 'SECONDARYPORT', COMMAND: 'STATUS' });

describe('terminal relay: POS ↔ gateway ↔ terminal round trips', () => {
  let world: RelayWorld;
  let gateway: RelayGateway;

  beforeAll(async () => {
    world = await startRelayWorld();
    gateway = await world.startGateway({ RELAY_SESSION_IDLE_MS: '400', RELAY_REQUEST_TIMEOUT_MS: '600' });
  });
  afterAll(() => world.close());

  it('echoes the sci subprotocol in the 101 answer and accepts the terminal on /', async () => {
    const socket = new WebSocket(gateway.terminalUrl, 'sci', { headers: { 'x-vfi-pinpad-id': 'T2' } });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    expect(socket.protocol).toBe('sci');
    await gateway.terminalReady(SITE_A, 'T2');
    socket.close();
    await new Promise((resolve) => socket.once('close', resolve));
  });

  it('relays a TRANSACTION over the HTTP route and answers the terminal RESPONSE, ALE-sealed, status 200', async () => {
    const terminal = world.terminal({ url: gateway.terminalUrl, pinpadId: 'T1' });
    await gateway.terminalReady(SITE_A, 'T1');
    const xml = start();
    const answer = await world.postTransaction(gateway, SITE_A, 'T1', xml, { posId: 'pos-1' });
    expect(answer.status).toBe(200);
    expect(answer.response.encrypted).toBe(true);
    expect(answer.response.contentType).toBe('application/xml');
    expect(answer.fields).toEqual({
      RESPONSE_TEXT: 'Session Started',
      RESULT: 'OK',
      RESULT_CODE: '-1',
      TERMINATION_STATUS: 'SUCCESS',
      TRAINING_MODE: 'OFF',
    });
    // The terminal received exactly what the POS sent (documents are relayed verbatim).
    expect(terminal.handled().map((h) => h.request)).toEqual([xml]);
    expect((await world.postTransaction(gateway, SITE_A, 'T1', finish(), { posId: 'pos-1' })).fields?.['RESPONSE_TEXT']).toBe('Session Finished');
    await terminal.close();
  });

  it('relays over the POS WebSocket, each SCI document in an ALE envelope', async () => {
    const terminal = world.terminal({ url: gateway.terminalUrl, pinpadId: 'T1' });
    await gateway.terminalReady(SITE_A, 'T1');
    const pos = await world.openPosWs(gateway, SITE_A, 'T1');
    expect(await wsExchange(pos, start())).toMatchObject({ RESPONSE_TEXT: 'Session Started', RESULT_CODE: '-1' });
    expect(await wsExchange(pos, sale('7.25'))).toMatchObject({ RESULT: 'APPROVED', RESULT_CODE: '5', APPROVED_AMOUNT: '7.25' });
    expect(await wsExchange(pos, finish())).toMatchObject({ RESPONSE_TEXT: 'Session Finished' });
    expect(terminal.handled().map((h) => h.command)).toEqual(['SESSION/START', 'PAYMENT/SALE', 'SESSION/FINISH']);
    await pos.close();
    await terminal.close();
  });

  it('gives the session to the POS that started it: another POS gets 59003 until SESSION/FINISH releases it', async () => {
    const terminal = world.terminal({ url: gateway.terminalUrl, pinpadId: 'T1' });
    await gateway.terminalReady(SITE_A, 'T1');
    const owner = await world.openPosWs(gateway, SITE_A, 'T1');
    expect(await wsExchange(owner, start())).toMatchObject({ RESULT: 'OK' });

    const other = await world.postTransaction(gateway, SITE_A, 'T1', sale(), { posId: 'pos-2' });
    expect(other.status).toBe(409);
    expect(other.fields).toEqual({
      RESPONSE_TEXT: SYNTHESIZED_RESPONSES.SESSION_OWNED.text,
      RESULT: 'FAILED',
      RESULT_CODE: '59003',
      TERMINATION_STATUS: 'FAILURE',
    });
    const otherStart = await world.postTransaction(gateway, SITE_A, 'T1', start(), { posId: 'pos-2' });
    expect(otherStart.fields?.['RESULT_CODE']).toBe('59003');
    // The owner itself goes on using the terminal.
    expect(await wsExchange(owner, sale())).toMatchObject({ RESULT: 'APPROVED' });
    expect(await wsExchange(owner, finish())).toMatchObject({ RESPONSE_TEXT: 'Session Finished' });

    const after = await world.postTransaction(gateway, SITE_A, 'T1', sale('3.00'), { posId: 'pos-2' });
    expect(after.status).toBe(200);
    expect(after.fields).toMatchObject({ RESULT: 'APPROVED', APPROVED_AMOUNT: '3.00' });
    // The refused requests never reached the terminal.
    expect(terminal.handled().map((h) => h.command)).toEqual(['SESSION/START', 'PAYMENT/SALE', 'SESSION/FINISH', 'PAYMENT/SALE']);
    await owner.close();
    await terminal.close();
  });

  it("ends the session when the owning POS WebSocket closes", async () => {
    const terminal = world.terminal({ url: gateway.terminalUrl, pinpadId: 'T1' });
    await gateway.terminalReady(SITE_A, 'T1');
    const owner = await world.openPosWs(gateway, SITE_A, 'T1');
    expect(await wsExchange(owner, start())).toMatchObject({ RESULT: 'OK' });
    expect((await world.postTransaction(gateway, SITE_A, 'T1', sale(), { posId: 'pos-3' })).fields?.['RESULT_CODE']).toBe('59003');
    await owner.close();
    await gateway.posSockets(0); // the gateway has seen the close
    const next = await world.postTransaction(gateway, SITE_A, 'T1', sale(), { posId: 'pos-3' });
    expect(next.fields).toMatchObject({ RESULT: 'APPROVED' });
    await terminal.close();
  });

  it('ends an idle session after RELAY_SESSION_IDLE_MS', async () => {
    const terminal = world.terminal({ url: gateway.terminalUrl, pinpadId: 'T1' });
    await gateway.terminalReady(SITE_A, 'T1');
    expect((await world.postTransaction(gateway, SITE_A, 'T1', start(), { posId: 'idle-pos' })).fields?.['RESULT']).toBe('OK');
    expect((await world.postTransaction(gateway, SITE_A, 'T1', sale(), { posId: 'pos-4' })).fields?.['RESULT_CODE']).toBe('59003');
    // A secondary command from another POS passes once nobody owns the session.
    await waitFor(
      'the idle session to end',
      async () => (await gateway.relay.request({ siteId: SITE_A, pinpadId: 'T1', clientId: 'probe', xml: status() })).synthesized === undefined,
      { timeoutMs: 10_000, intervalMs: 50 },
    );
    expect((await world.postTransaction(gateway, SITE_A, 'T1', sale(), { posId: 'pos-4' })).fields?.['RESULT']).toBe('APPROVED');
    await terminal.close();
  });

  it('allows one outstanding primary request: a second gets 59002, a SECONDARYPORT status passes alongside', async () => {
    const terminal = world.terminal({ url: gateway.terminalUrl, pinpadId: 'T1', delays: { 'PAYMENT/SALE': 300 } });
    await gateway.terminalReady(SITE_A, 'T1');
    const slow = world.postTransaction(gateway, SITE_A, 'T1', sale('9.99'), { posId: 'pos-5' });
    await new Promise<void>((resolve) => terminal.once('request', () => resolve()));
    const busy = await world.postTransaction(gateway, SITE_A, 'T1', sale('1.00'), { posId: 'pos-6' });
    expect(busy.status).toBe(409);
    expect(busy.fields).toMatchObject({ RESULT_CODE: '59002', RESPONSE_TEXT: 'DEVICE IS BUSY' });
    const side = await world.postTransaction(gateway, SITE_A, 'T1', status(), { posId: 'pos-6' });
    expect(side.status).toBe(200);
    expect(side.fields).toMatchObject({ RESPONSE_TEXT: 'Device Status', DEVICE_STATUS: 'BUSY' });
    const done = await slow;
    expect(done.fields).toMatchObject({ RESULT: 'APPROVED', APPROVED_AMOUNT: '9.99' });
    await terminal.close();
  });

  it('answers 59021 with HTTP 504 when the terminal does not answer within RELAY_REQUEST_TIMEOUT_MS', async () => {
    const terminal = world.terminal({ url: gateway.terminalUrl, pinpadId: 'T1', delays: { 'PAYMENT/SALE': 5_000 } });
    await gateway.terminalReady(SITE_A, 'T1');
    const answer = await world.postTransaction(gateway, SITE_A, 'T1', sale(), { posId: 'pos-7' });
    expect(answer.status).toBe(504);
    expect(answer.fields).toMatchObject({ RESULT_CODE: '59021', RESPONSE_TEXT: 'DEVICE TIMEOUT' });
    await terminal.close();
  });

  it('answers 59020 with HTTP 503 for a terminal that is not connected', async () => {
    const answer = await world.postTransaction(gateway, SITE_A, 'T9', start(), { posId: 'pos-8' });
    expect(answer.status).toBe(503);
    expect(answer.fields).toEqual(responseFields(SYNTHESIZED_RESPONSES.DEVICE_OFFLINE.xml));
    expect(answer.fields?.['RESULT_CODE']).toBe('59020');
  });
});
