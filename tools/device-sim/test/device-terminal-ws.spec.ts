import { once } from 'node:events';
import { buildSciXml, parseSciDocument } from '@pos-link/protocol';
import { SCI_SEED_RESPONSE, SCI_SEED_TRANSACTION } from '@pos-link/protocol/testing';
import { startDeviceSim, type DeviceRetry, type DeviceSim, type DeviceSimOptions, type DeviceStatus } from '../src/index';
import { freePort, startTerminalServer, type TerminalServer } from './support/terminal-server';

const FAST = { initialMs: 20, maxMs: 80, jitter: 0.5 };
const tx = (fields: Record<string, string>): string => buildSciXml('TRANSACTION', fields);
const fieldsOf = (xml: string): Readonly<Record<string, string>> => parseSciDocument(xml).fields;

describe('device-sim against a terminal endpoint', () => {
  let server: TerminalServer | undefined;
  let sim: DeviceSim | undefined;

  const start = (port: number, options: Partial<DeviceSimOptions> = {}): DeviceSim => {
    sim = startDeviceSim({ url: `ws://127.0.0.1:${port}/`, pinpadId: 'T1', backoff: FAST, ...options });
    return sim;
  };
  /** Server up, terminal connected: resolves with the server's view of the connection. */
  const connected = async (options: Partial<DeviceSimOptions> = {}) => {
    server = await startTerminalServer(0);
    const next = server.nextConnection();
    start(server.port, options);
    const connection = await next;
    await sim!.waitForStatus('connected');
    return connection;
  };

  afterEach(async () => {
    await sim?.close();
    await server?.close();
    sim = undefined;
    server = undefined;
  });

  it('keeps retrying while nothing listens, then connects with Sec-WebSocket-Protocol sci and x-vfi-pinpad-id', async () => {
    const port = await freePort();
    const retries: DeviceRetry[] = [];
    const terminal = start(port);
    terminal.on('retry', (r) => retries.push(r));
    const twoFailures = new Promise<void>((resolve) => terminal.on('retry', () => retries.length >= 2 && resolve()));
    await twoFailures;
    expect(terminal.status).toBe('connecting');
    expect(retries[0]).toMatchObject({ attempt: 2 });
    expect(retries[0]!.reason).toMatch(/ECONNREFUSED/);
    expect(retries[1]!.attempt).toBe(3);

    server = await startTerminalServer(port);
    const connection = await server.nextConnection();
    await terminal.waitForStatus('connected');
    expect(connection.protocol).toBe('sci');
    expect(connection.headers['x-vfi-pinpad-id']).toBe('T1');
    expect(connection.headers['sec-websocket-protocol']).toBe('sci');
  });

  it("answers seed 002's SESSION START with the seed's RESPONSE, and FINISH with Session Finished", async () => {
    const connection = await connected();
    expect(parseSciDocument(await connection.request(SCI_SEED_TRANSACTION))).toEqual(parseSciDocument(SCI_SEED_RESPONSE));
    expect(fieldsOf(await connection.request(tx({ FUNCTION_TYPE: 'SESSION', COMMAND: 'FINISH' })))['RESPONSE_TEXT']).toBe('Session Finished');
    expect(sim!.handled().map((h) => h.command)).toEqual(['SESSION/START', 'SESSION/FINISH']);
  });

  it('answers GET_COUNTER with 1, then with the last COUNTER seen; approves a PAYMENT', async () => {
    const connection = await connected();
    const getCounter = tx({ FUNCTION_TYPE: 'ADMIN', COMMAND: 'GET_COUNTER' });
    expect(fieldsOf(await connection.request(getCounter))['COUNTER']).toBe('1');
    const payment = fieldsOf(await connection.request(tx({ FUNCTION_TYPE: 'PAYMENT', COMMAND: 'SALE', TRANS_AMOUNT: '9.99', COUNTER: '17' })));
    expect(payment).toMatchObject({ RESULT: 'APPROVED', RESULT_CODE: '5', TRANS_AMOUNT: '9.99', APPROVED_AMOUNT: '9.99' });
    expect(fieldsOf(await connection.request(getCounter))['COUNTER']).toBe('17');
  });

  it('reconnects after the server drops it, showing reconnecting (attempt 1) then connected', async () => {
    const first = await connected();
    const statuses: DeviceStatus[] = [];
    sim!.on('status', (s) => statuses.push(s));
    const second = server!.nextConnection();
    first.socket.terminate();
    await second;
    await sim!.waitForStatus('connected');
    expect(statuses).toEqual(['reconnecting (attempt 1)', 'connected']);
    expect(server!.connections).toHaveLength(2);
  });

  it('drop() drops the connection and it comes back', async () => {
    const first = await connected();
    const closed = once(first.socket, 'close');
    const second = server!.nextConnection();
    sim!.drop();
    await closed;
    await second;
    await sim!.waitForStatus('connected');
  });

  it('applies per-command delays; a secondary STATUS is answered meanwhile and sees BUSY', async () => {
    const connection = await connected({ delays: { 'PAYMENT/SALE': 150 } });
    const answers: string[] = [];
    connection.socket.on('message', (data: Buffer) => answers.push(data.toString()));
    const bothAnswered = new Promise<void>((resolve) => connection.socket.on('message', () => answers.length === 2 && resolve()));
    const started = performance.now();
    connection.socket.send(tx({ FUNCTION_TYPE: 'PAYMENT', COMMAND: 'SALE', TRANS_AMOUNT: '1.00' }));
    connection.socket.send(tx({ FUNCTION_TYPE: 'SECONDARYPORT', COMMAND: 'STATUS' }));
    await bothAnswered;
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(answers.map((a) => fieldsOf(a)['RESPONSE_TEXT'])).toEqual(['Device Status', 'APPROVED']);
    expect(fieldsOf(answers[0]!)['DEVICE_STATUS']).toBe('BUSY');
  });

  it('stopAnswering() withholds pongs and answers (a dead peer) until resumeAnswering()', async () => {
    const connection = await connected();
    const pongs: string[] = [];
    connection.socket.on('pong', (data: Buffer) => pongs.push(data.toString()));
    const answers: string[] = [];
    connection.socket.on('message', (data: Buffer) => answers.push(data.toString()));
    sim!.stopAnswering();
    connection.socket.ping('muted');
    connection.socket.send(tx({ FUNCTION_TYPE: 'SESSION', COMMAND: 'START' }));
    // Frames are handled in order: once the terminal is known to have seen the muted request, resume.
    await new Promise<void>((resolve) => sim!.once('request', () => resolve()));
    sim!.resumeAnswering();
    const pong = once(connection.socket, 'pong');
    connection.socket.ping('alive');
    await pong;
    const answer = once(connection.socket, 'message');
    connection.socket.send(tx({ FUNCTION_TYPE: 'SESSION', COMMAND: 'FINISH' }));
    await answer;
    expect(pongs).toEqual(['alive']);
    expect(answers.map((a) => fieldsOf(a)['RESPONSE_TEXT'])).toEqual(['Session Finished']);
    expect(sim!.handled().map((h) => h.response === null)).toEqual([true, false]);
  });

  it('dropOnNextRequest() drops the connection mid-request, unanswered, then reconnects', async () => {
    const connection = await connected();
    sim!.dropOnNextRequest();
    const messages: string[] = [];
    connection.socket.on('message', (d: Buffer) => messages.push(d.toString()));
    const closed = once(connection.socket, 'close');
    const again = server!.nextConnection();
    connection.socket.send(tx({ FUNCTION_TYPE: 'PAYMENT', COMMAND: 'SALE', TRANS_AMOUNT: '5.00' }));
    const [code] = (await closed) as [number];
    expect(code).toBe(1006);
    expect(messages).toEqual([]);
    expect(sim!.handled()[0]).toMatchObject({ response: null });
    const next = await again;
    expect(fieldsOf(await next.request(tx({ FUNCTION_TYPE: 'SESSION', COMMAND: 'FINISH' })))['RESULT']).toBe('OK');
  });

  it('shows a refused upgrade as the retry reason and keeps retrying', async () => {
    server = await startTerminalServer(0, { refuse: ['T1'] });
    const retry = new Promise<DeviceRetry>((resolve) => start(server!.port).once('retry', resolve));
    expect((await retry).reason).toMatch(/403/);
    expect(sim!.status).toBe('connecting');
  });

  it('close() ends the connection without scheduling a retry and reports closed', async () => {
    const connection = await connected();
    const retries: DeviceRetry[] = [];
    sim!.on('retry', (r) => retries.push(r));
    const closed = once(connection.socket, 'close');
    await sim!.close(); // resolves after the socket's close event, where a retry would be scheduled
    const [code] = (await closed) as [number];
    expect(code).toBe(1001);
    expect(retries).toEqual([]);
    expect(sim!.status).toBe('closed');
  });

  it('refuses bad options with TypeError', () => {
    expect(() => startDeviceSim({ url: 'http://x/', pinpadId: 'T1' })).toThrow(TypeError);
    expect(() => startDeviceSim({ url: 'ws://x/', pinpadId: '' })).toThrow(TypeError);
    expect(() => startDeviceSim({ url: 'ws://x/', pinpadId: 'T1', delays: { PAYMENT: -1 } })).toThrow(TypeError);
  });
});
