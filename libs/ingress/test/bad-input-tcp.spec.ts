import { randomUUID } from 'node:crypto';
import { encodePesFrame } from '@pos-link/protocol';
import { IntegratorValidator, PosClient, PosSimulator, RsaKeyPool, posEvent, type PosAnswer } from '@pos-link/pos-sim';
import { openTestRedis, startTestIngress, TEST_INTEGRATOR, type TestIngress, type TestRedis } from './support/ingress-harness';

/** Bad input over a real socket (DESIGN §6 nack table and close list). */
describe('PES bad input over TCP', () => {
  let store: TestRedis;
  let ingress: TestIngress;
  let keys: RsaKeyPool;

  beforeAll(async () => {
    keys = await RsaKeyPool.create(2);
    store = await openTestRedis();
    ingress = await startTestIngress(store.eventLog());
  });

  afterAll(async () => {
    await ingress.close();
    await store.cleanup();
  });

  async function readyClient(): Promise<PosClient> {
    const pos = await PosClient.connect({
      port: ingress.port,
      keyPair: keys.next(),
      validator: new IntegratorValidator({ expected: TEST_INTEGRATOR }),
    });
    await expect(pos.handshake()).resolves.toMatchObject({ ok: true });
    return pos;
  }

  async function answer(pos: PosClient): Promise<PosAnswer> {
    return pos.readAnswer(await pos.nextFrame());
  }

  /** Sends `bytes` on a fresh connection and expects the ingress to close it with `reason`, unanswered. */
  async function expectClosed(bytes: Buffer, reason: string, handshake = true): Promise<void> {
    const pos = handshake ? await readyClient() : await PosClient.connect({ port: ingress.port, keyPair: keys.next(), validator: new IntegratorValidator({ expected: TEST_INTEGRATOR }) });
    const before = await ingress.metric('poslink_ingress_closes_total', { reason });
    pos.sendRaw(bytes);
    await expect(pos.nextFrame()).rejects.toThrow('connection closed');
    await ingress.transport.whenIdle();
    expect(await ingress.metric('poslink_ingress_closes_total', { reason })).toBe(before + 1);
  }

  describe('frames that cannot be answered close the connection', () => {
    it('a declared length over PES_MAX_FRAME_BYTES (before any body byte)', async () => {
      const header = Buffer.alloc(4);
      header.writeUInt32LE(1024 * 1024 + 1);
      await expectClosed(header, 'ERR_INGRESS_FRAME_TOO_LARGE');
    });

    it('a zero length', async () => {
      await expectClosed(Buffer.alloc(4), 'ERR_INGRESS_FRAME_EMPTY');
    });

    it('`GET / HTTP/1.1` (reads as a 542 MB frame), even before the handshake', async () => {
      await expectClosed(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), 'ERR_INGRESS_FRAME_TOO_LARGE', false);
    });

    it('a body that is not JSON', async () => {
      await expectClosed(encodePesFrame('{"msg_id":"x",'), 'ERR_INGRESS_FRAME_NOT_JSON');
    });

    it('JSON that is not an object', async () => {
      await expectClosed(encodePesFrame('[1,2,3]'), 'ERR_INGRESS_FRAME_NOT_JSON');
    });

    it('an envelope without a string msg_id', async () => {
      await expectClosed(encodePesFrame('{"source":"x","version":"1.0","msg_id":7,"msg_type":"create_order"}'), 'ERR_INGRESS_FRAME_NO_MSG_ID');
    });

    // DESIGN §6 closes "a frame that … has no msg_id": an answer must echo msg_id in a valid envelope
    // (non-empty, ≤ 128 characters), so an empty or over-long one cannot be answered either.
    it('an envelope whose msg_id is empty', async () => {
      await expectClosed(encodePesFrame('{"source":"x","version":"1.0","msg_id":"","msg_type":"create_order","msg_data":"AAAA"}'), 'ERR_INGRESS_FRAME_UNANSWERABLE');
    });

    it('an envelope whose msg_id is over 128 characters', async () => {
      const msgId = 'm'.repeat(129);
      await expectClosed(
        encodePesFrame(JSON.stringify({ source: 'x', version: '1.0', msg_id: msgId, msg_type: 'create_order', msg_data: 'AAAA' })),
        'ERR_INGRESS_FRAME_UNANSWERABLE',
      );
    });

    it('an envelope whose msg_type cannot be echoed', async () => {
      await expectClosed(encodePesFrame('{"source":"x","version":"1.0","msg_id":"id-1"}'), 'ERR_INGRESS_FRAME_UNANSWERABLE');
    });

    it('a second init_client on a keyed connection', async () => {
      const pair = keys.next();
      await expectClosed(
        encodePesFrame(JSON.stringify({ source: 'x', version: '1.0', msg_id: 'again', msg_type: 'init_client', msg_data: pair.publicKeyPem })),
        'ERR_INGRESS_HANDSHAKE_REPEATED',
      );
    });
  });

  describe('answerable bad input is nacked and the connection stays (one connection throughout)', () => {
    let pos: PosClient;
    let streaming: PosSimulator;
    let streamed: Promise<unknown>;

    beforeAll(async () => {
      pos = await readyClient();
      // Another connection streams while the bad input flows: it must be unaffected.
      streaming = new PosSimulator({ port: ingress.port, eventsPerConnection: 500, rate: 2000, keys: keys.source(), integrator: TEST_INTEGRATOR });
      streamed = streaming.run();
    });

    afterAll(async () => {
      pos.destroy();
      await streaming.stop();
    });

    afterEach(() => {
      expect(pos.isClosed).toBe(false);
    });

    it('missing envelope field (no version) → nack 1', async () => {
      pos.sendRaw(encodePesFrame(JSON.stringify({ source: 'x', msg_id: 'no-version', msg_type: 'create_order', msg_data: 'AAAA' })));
      expect(await answer(pos)).toEqual({ msgId: 'no-version', msgType: 'create_order', resp: 'nack', code: 1, message: 'Envelope invalid' });
    });

    it('an event carrying msg_resp → nack 1', async () => {
      const event = posEvent('create_order', { order_id: 'ORD-1' });
      pos.sendEnvelope({ msg_id: event.msgId, msg_type: event.msgType, msg_resp: 'ack', msg_data: pos.encrypt(event.msgType, event.msgId, event.data) });
      expect(await answer(pos)).toMatchObject({ msgId: event.msgId, resp: 'nack', code: 1 });
    });

    it('bad GCM tag → nack 2', async () => {
      const event = posEvent('create_order', { order_id: 'ORD-2' });
      const sealed = Buffer.from(pos.encrypt(event.msgType, event.msgId, event.data), 'base64');
      sealed[sealed.length - 1] ^= 0x01;
      pos.sendEnvelope({ msg_id: event.msgId, msg_type: event.msgType, msg_data: sealed.toString('base64') });
      expect(await answer(pos)).toEqual({ msgId: event.msgId, msgType: 'create_order', resp: 'nack', code: 2, message: 'Unable to decrypt msg_data' });
    });

    it('bad base64 → nack 2', async () => {
      pos.sendEnvelope({ msg_id: 'bad-b64', msg_type: 'create_order', msg_data: '%%%not*base64%%%' });
      expect(await answer(pos)).toMatchObject({ msgId: 'bad-b64', resp: 'nack', code: 2 });
    });

    it('msg_data sealed for another msg_id (AAD mismatch) → nack 2', async () => {
      const event = posEvent('create_order', { order_id: 'ORD-3' });
      pos.sendEnvelope({ msg_id: event.msgId, msg_type: event.msgType, msg_data: pos.encrypt(event.msgType, 'another-id', event.data) });
      expect(await answer(pos)).toMatchObject({ msgId: event.msgId, resp: 'nack', code: 2 });
    });

    it.each([
      ['plaintext not JSON', 'create_order', 'order ORD-4'],
      ['plaintext a JSON array', 'create_order', '[1]'],
      ['known type failing validation', 'add_item', '{"order_id":"ORD-5","item":{"name":"Fries","qty":-1}}'],
      ['unknown type, payload not an object', 'loyalty_points', '42'],
    ])('%s → nack 3', async (_, msgType, data) => {
      const msgId = randomUUID();
      pos.sendEnvelope({ msg_id: msgId, msg_type: msgType, msg_data: pos.encrypt(msgType, msgId, data) });
      expect(await answer(pos)).toEqual({ msgId, msgType, resp: 'nack', code: 3, message: 'Event data invalid' });
    });

    it('unknown msg_type → stored and acked, counted as unknown', async () => {
      const event = posEvent('loyalty_points', { member: 'M-1', points: 12 });
      pos.sendEvent(event);
      expect(await answer(pos)).toEqual({ msgId: event.msgId, msgType: 'loyalty_points', resp: 'ack' });
      const stored = (await store.readStream()).filter((e) => e.fields['msg_id'] === event.msgId);
      expect(stored.map((e) => e.fields)).toEqual([expect.objectContaining({ msg_type: 'loyalty_points', data: event.data })]);
      expect(await ingress.metric('poslink_ingress_events_total', { type: 'unknown', outcome: 'stored' })).toBe(1);
    });

    it('same msg_id, same content → ack, one entry; different content → nack 6', async () => {
      const event = posEvent('tender', { order_id: 'ORD-6', amount: 9.5 });
      pos.sendEvent(event);
      pos.sendEvent(event);
      pos.sendEvent({ ...event, data: JSON.stringify({ order_id: 'ORD-6', amount: 99.5 }) });
      const answers = [await answer(pos), await answer(pos), await answer(pos)];

      expect(answers.map((a) => [a.resp, a.code])).toEqual([
        ['ack', undefined],
        ['ack', undefined],
        ['nack', 6],
      ]);
      const stored = (await store.readStream()).filter((e) => e.fields['msg_id'] === event.msgId);
      expect(stored.map((e) => e.fields['data'])).toEqual([event.data]);
    });

    it('the process stays up and the other connection delivered everything', async () => {
      const stats = (await streamed) as { acked: number; nacks: object };
      expect(stats).toMatchObject({ acked: 500, nacks: {} });
      const good = posEvent('close_order', { order_id: 'ORD-7' });
      pos.sendEvent(good);
      expect((await answer(pos)).resp).toBe('ack');
    });
  });
});
