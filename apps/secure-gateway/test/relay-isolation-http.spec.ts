import WebSocket from 'ws';
import { isAleClientError } from '@pos-link/ale';
import { buildSciXml } from '@pos-link/protocol';
import { SITE_A, SITE_B, responseFields, startRelayWorld, wsExchange, type RelayGateway, type RelayWorld } from './support/relay-world';

// Integration (DESIGN §5): what may not pass — another site's POS, unsafe or oversized XML, unmapped or
// malformed terminals, and a terminal answering with something that is not a RESPONSE.

const sale = (): string => buildSciXml('TRANSACTION', { FUNCTION_TYPE: 'PAYMENT', COMMAND: 'SALE', TRANS_AMOUNT: '1.00' });

const DOCTYPE_XML = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<TRANSACTION><FUNCTION_TYPE>PAYMENT</FUNCTION_TYPE><COMMAND>&lol2;</COMMAND></TRANSACTION>`;

/** Answers a raw terminal handshake's refusal. */
async function refusal(url: string, headers: Record<string, string>, protocol = 'sci'): Promise<{ status: number; body: string }> {
  const socket = new WebSocket(url, protocol, { headers });
  return new Promise((resolve, reject) => {
    socket.once('open', () => reject(new Error('upgraded')));
    socket.once('error', () => undefined);
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
  });
}

describe('terminal relay: isolation and refusals', () => {
  let world: RelayWorld;
  let gateway: RelayGateway;

  beforeAll(async () => {
    world = await startRelayWorld();
    gateway = await world.startGateway({ RELAY_MAX_XML_BYTES: '1024' });
  });
  afterAll(() => world.close());

  describe('site isolation', () => {
    it("refuses a POS holding another site's key with errorCode 3, on both routes, before anything reaches the terminal", async () => {
      const terminal = world.terminal({ url: gateway.terminalUrl, pinpadId: 'T1' });
      await gateway.terminalReady(SITE_A, 'T1');
      const http = await world.postTransaction(gateway, SITE_A, 'T1', sale(), { keySite: SITE_B });
      expect(http.status).toBe(400);
      expect(http.response.text).toBe('{"errorCode":3,"message":"Security credential mismatch"}');
      const ws = await world.openPosWs(gateway, SITE_A, 'T1', SITE_B).catch((error: unknown) => error);
      expect(isAleClientError(ws, 'ERR_ALE_CLIENT_UPGRADE_REFUSED')).toBe(true);
      expect(ws).toMatchObject({ status: 400, body: '{"errorCode":3,"message":"Security credential mismatch"}' });
      expect(terminal.handled()).toEqual([]);
      await terminal.close();
    });

    it("never routes a POS of one site to another site's terminal, whatever pinpad id it names", async () => {
      const terminal = world.terminal({ url: gateway.terminalUrl, pinpadId: 'T1' });
      await gateway.terminalReady(SITE_A, 'T1');
      const answer = await world.postTransaction(gateway, SITE_B, 'T1', sale());
      expect(answer.status).toBe(503);
      expect(answer.fields?.['RESULT_CODE']).toBe('59020');
      const pos = await world.openPosWs(gateway, SITE_B, 'T1');
      expect(await wsExchange(pos, sale())).toMatchObject({ RESULT_CODE: '59020' });
      expect(terminal.handled()).toEqual([]);
      await terminal.close();
    });
  });

  describe('unsafe and malformed XML', () => {
    let terminal: ReturnType<RelayWorld['terminal']>;
    beforeAll(async () => {
      terminal = world.terminal({ url: gateway.terminalUrl, pinpadId: 'T2' });
      await gateway.terminalReady(SITE_A, 'T2');
    });
    afterAll(() => terminal.close());

    it.each([
      ['a DOCTYPE with entities', DOCTYPE_XML, 400, '59023'],
      ['an ENTITY declaration', '<!ENTITY x "y"><TRANSACTION><FUNCTION_TYPE>A</FUNCTION_TYPE><COMMAND>B</COMMAND></TRANSACTION>', 400, '59023'],
      ['a document over RELAY_MAX_XML_BYTES', buildSciXml('TRANSACTION', { FUNCTION_TYPE: 'PAYMENT', COMMAND: 'SALE', NOTE: 'x'.repeat(1024) }), 413, '59024'],
      ['XML that is not well-formed', '<TRANSACTION><FUNCTION_TYPE>PAYMENT</TRANSACTION>', 400, '59022'],
      ['a RESPONSE instead of a TRANSACTION', '<RESPONSE><RESULT>OK</RESULT></RESPONSE>', 400, '59022'],
      ['a TRANSACTION without COMMAND', '<TRANSACTION><FUNCTION_TYPE>PAYMENT</FUNCTION_TYPE></TRANSACTION>', 400, '59022'],
    ])('refuses %s over HTTP and WebSocket without reaching the terminal', async (_name, xml, status, code) => {
      const http = await world.postTransaction(gateway, SITE_A, 'T2', xml);
      expect(http.status).toBe(status);
      expect(http.fields).toMatchObject({ RESULT: 'FAILED', RESULT_CODE: code, TERMINATION_STATUS: 'FAILURE' });
      const pos = await world.openPosWs(gateway, SITE_A, 'T2');
      expect(await wsExchange(pos, xml)).toMatchObject({ RESULT_CODE: code });
      await pos.close();
      expect(terminal.handled()).toEqual([]);
    });
  });

  describe('terminal handshakes', () => {
    it.each([
      ['an unmapped pinpad id', { 'x-vfi-pinpad-id': 'Z9' }, 403, '{"error":"terminal_unmapped"}'],
      ['no x-vfi-pinpad-id', {}, 400, '{"error":"pinpad_id_invalid"}'],
      ['a pinpad id with a brace (it would break the Redis hash tag)', { 'x-vfi-pinpad-id': 'T{1}' }, 400, '{"error":"pinpad_id_invalid"}'],
    ])('refuses %s', async (_name, headers, status, body) => {
      expect(await refusal(gateway.terminalUrl, headers)).toEqual({ status, body });
    });

    it('refuses a terminal on another path than TERMINAL_PATH with 404', async () => {
      expect(await refusal(`${gateway.terminalUrl}other`, { 'x-vfi-pinpad-id': 'T1' })).toEqual({ status: 404, body: '{"error":"not_found"}' });
    });
  });

  it('answers 59025 (HTTP 502) when the terminal answers with something that is not a safe RESPONSE', async () => {
    const socket = new WebSocket(gateway.terminalUrl, 'sci', { headers: { 'x-vfi-pinpad-id': 'T1' } });
    socket.on('message', () => socket.send('<!DOCTYPE x><RESPONSE><RESULT>OK</RESULT></RESPONSE>'));
    await new Promise((resolve) => socket.once('open', resolve));
    await gateway.terminalReady(SITE_A, 'T1');
    const answer = await world.postTransaction(gateway, SITE_A, 'T1', sale());
    expect(answer.status).toBe(502);
    expect(answer.fields).toEqual(responseFields('<RESPONSE><RESPONSE_TEXT>INVALID DEVICE RESPONSE</RESPONSE_TEXT><RESULT>FAILED</RESULT><RESULT_CODE>59025</RESULT_CODE><TERMINATION_STATUS>FAILURE</TERMINATION_STATUS></RESPONSE>'));
    socket.close();
  });
});
