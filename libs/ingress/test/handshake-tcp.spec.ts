import { generateKeyPairSync } from 'node:crypto';
import { loadVectors } from '@pos-link/crypto/testing';
import { encodePesEnvelope } from '@pos-link/protocol';
import { IntegratorValidator, PosClient, POS_REGISTER_NACK, RsaKeyPool, posEvent, type PosKeyPair } from '@pos-link/pos-sim';
import { MemoryPesEventLog } from '../src/store/memory-event-log';
import { startTestIngress, TEST_INTEGRATOR, type TestIngress } from './support/ingress-harness';

describe('PES handshake over TCP (DESIGN §6 steps 1–3)', () => {
  let keys: RsaKeyPool;
  let log: MemoryPesEventLog;
  let ingress: TestIngress;
  const validator = (): IntegratorValidator => new IntegratorValidator({ expected: TEST_INTEGRATOR });

  beforeAll(async () => {
    keys = await RsaKeyPool.create(2);
  });

  afterEach(async () => {
    await ingress?.close();
  });

  async function connect(overrides: Partial<Parameters<typeof PosClient.connect>[0]> = {}): Promise<PosClient> {
    return PosClient.connect({ port: ingress.port, keyPair: keys.next(), validator: validator(), ...overrides });
  }

  it.each([
    ['sha256', 'sha256'],
    ['sha1', 'sha1'],
    ['sha256', 'auto'],
    ['sha1', 'auto'],
  ] as const)('completes with PES_OAEP_HASH=%s and a POS opening with %s, then acks an event', async (ingressHash, posHash) => {
    log = new MemoryPesEventLog();
    ingress = await startTestIngress(log, { oaepHash: ingressHash });
    const pos = await connect({ oaepHash: posHash });

    await expect(pos.handshake()).resolves.toEqual({ ok: true, mode: 'online' });
    const event = posEvent('create_order', { order_id: 'ORD-1', items: [{ name: 'Fries', qty: 2 }] });
    pos.sendEvent(event);
    const answer = pos.readAnswer(await pos.nextFrame());

    expect(answer).toEqual({ msgId: event.msgId, msgType: 'create_order', resp: 'ack' });
    expect(log.entries().map((e) => e.data)).toEqual([event.data]);
    expect(await ingress.metric('poslink_ingress_handshakes_total', { outcome: 'completed' })).toBe(1);
    pos.destroy();
  });

  it('a POS opening with the other OAEP hash cannot read register_client and drops the connection', async () => {
    log = new MemoryPesEventLog();
    ingress = await startTestIngress(log, { oaepHash: 'sha256' });
    const pos = await connect({ oaepHash: 'sha1' });

    await expect(pos.handshake()).resolves.toEqual({ ok: false, reason: 'protocol' });
  });

  it('runs the compat cipher aes-256-cbc end to end (PES_CIPHER)', async () => {
    log = new MemoryPesEventLog();
    ingress = await startTestIngress(log, { cipher: 'aes-256-cbc' });
    const pos = await connect({ cipher: 'aes-256-cbc' });

    await expect(pos.handshake()).resolves.toEqual({ ok: true, mode: 'online' });
    const event = posEvent('close_order', { order_id: 'ORD-9' });
    pos.sendEvent(event);

    expect(pos.readAnswer(await pos.nextFrame()).resp).toBe('ack');
    expect(log.entries()[0]?.data).toBe(event.data);
    pos.destroy();
  });

  it('accepts a register_client ack without msg_data', async () => {
    log = new MemoryPesEventLog();
    ingress = await startTestIngress(log);
    const pos = await connect({ ackWithData: false });

    await expect(pos.handshake()).resolves.toEqual({ ok: true, mode: 'online' });
    pos.sendEvent(posEvent('void_order', { order_id: 'ORD-2' }));
    expect(pos.readAnswer(await pos.nextFrame()).resp).toBe('ack');
    pos.destroy();
  });

  it('wrong integrator credentials: the POS nacks register_client and the connection is closed', async () => {
    log = new MemoryPesEventLog();
    ingress = await startTestIngress(log, { integratorSecretKey: 'not-the-secret-the-pos-knows' });
    const pos = await connect();

    await expect(pos.handshake()).resolves.toEqual({ ok: false, reason: 'refused', ...POS_REGISTER_NACK.INVALID_CREDENTIALS });
    await ingress.transport.whenIdle();

    expect(await ingress.metric('poslink_ingress_handshakes_total', { outcome: 'rejected' })).toBe(1);
    expect(await ingress.metric('poslink_ingress_closes_total', { reason: 'ERR_INGRESS_REGISTER_REJECTED' })).toBe(1);
    expect(ingress.transport.connectionCount).toBe(0);
  });

  it('a message before init_client is not answered: the connection is closed', async () => {
    log = new MemoryPesEventLog();
    ingress = await startTestIngress(log);
    const pos = await connect();

    pos.sendEnvelope({ msg_id: 'early-1', msg_type: 'create_order', msg_data: 'AAAA' });

    await expect(pos.nextFrame()).rejects.toThrow('connection closed');
    await ingress.transport.whenIdle();
    expect(await ingress.metric('poslink_ingress_closes_total', { reason: 'ERR_INGRESS_BEFORE_INIT' })).toBe(1);
    expect(log.entries()).toEqual([]);
  });

  it('an event after init_client but before the register_client ack gets nack 4 and the connection stays', async () => {
    log = new MemoryPesEventLog();
    ingress = await startTestIngress(log);
    const pos = await connect();
    const pair = keys.next();
    pos.sendEnvelope({ msg_id: 'init-1', msg_type: 'init_client', msg_data: pair.publicKeyPem });
    await pos.nextFrame(); // init_client ack
    const register = await pos.nextFrame();
    expect(register.msg_type).toBe('register_client');

    // The POS cannot encrypt yet (it has not opened register_client): nack 4 needs only our DEK.
    pos.sendEnvelope({ msg_id: 'too-early', msg_type: 'create_order', msg_data: 'AAAA' });
    const nack = await pos.nextFrame();

    expect(nack).toMatchObject({ msg_id: 'too-early', msg_type: 'create_order', msg_resp: 'nack' });
    expect(pos.isClosed).toBe(false);
    expect(log.entries()).toEqual([]);
    pos.destroy();
  });

  it('an RSA key under 2048 bits closes the connection', async () => {
    log = new MemoryPesEventLog();
    ingress = await startTestIngress(log);
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const keyPair: PosKeyPair = { privateKey: small.privateKey, publicKeyPem: small.publicKey.export({ type: 'spki', format: 'pem' }).toString() };
    const pos = await connect({ keyPair });

    await expect(pos.handshake()).resolves.toEqual({ ok: false, reason: 'closed' });
    await ingress.transport.whenIdle();
    expect(await ingress.metric('poslink_ingress_handshakes_total', { outcome: 'invalid_key' })).toBe(1);
    expect(await ingress.metric('poslink_ingress_closes_total', { reason: 'ERR_INGRESS_RSA_KEY_TOO_SMALL' })).toBe(1);
  });

  it('an unparsable public key closes the connection', async () => {
    log = new MemoryPesEventLog();
    ingress = await startTestIngress(log);
    const pos = await connect();

    pos.sendEnvelope({ msg_id: 'init-x', msg_type: 'init_client', msg_data: '-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----' });

    await expect(pos.nextFrame()).rejects.toThrow('connection closed');
    await ingress.transport.whenIdle();
    expect(await ingress.metric('poslink_ingress_closes_total', { reason: 'ERR_INGRESS_RSA_KEY_INVALID' })).toBe(1);
  });

  it('a handshake past its deadline is closed and counted', async () => {
    log = new MemoryPesEventLog();
    ingress = await startTestIngress(log, { handshakeTimeoutMs: 150 });
    const pos = await connect();

    await pos.closed; // the POS sent nothing
    await ingress.transport.whenIdle();

    expect(await ingress.metric('poslink_ingress_handshakes_total', { outcome: 'timeout' })).toBe(1);
    expect(await ingress.metric('poslink_ingress_closes_total', { reason: 'ERR_INGRESS_HANDSHAKE_TIMEOUT' })).toBe(1);
  });

  describe("the seed's 129-byte frame (seed 003)", () => {
    const seedFrame = Buffer.from(loadVectors().pes.frame.hex, 'hex');
    const seedMsgId = 'ac0701e8-cd5e-4d41-9f33-1e0317568aab';

    async function ready(): Promise<PosClient> {
      log = new MemoryPesEventLog();
      ingress = await startTestIngress(log);
      const pos = await connect();
      await expect(pos.handshake()).resolves.toMatchObject({ ok: true });
      return pos;
    }

    it('is read as one 129-byte frame when it arrives one byte at a time (a stray register_client ack: nack 1)', async () => {
      expect(seedFrame.readUInt32LE(0)).toBe(129);
      const pos = await ready();

      for (const byte of seedFrame) pos.sendRaw(Buffer.from([byte]));
      const answer = pos.readAnswer(await pos.nextFrame());

      expect(answer).toEqual({ msgId: seedMsgId, msgType: 'register_client', resp: 'nack', code: 1, message: 'Envelope invalid' });
      pos.destroy();
    });

    it('is read alike when coalesced with other frames in one write, answers in order', async () => {
      const pos = await ready();
      const event = posEvent('add_item', { order_id: 'ORD-1', item: { name: 'Shake', qty: 1 } });
      const eventFrame = encodePesEnvelope({
        source: 'pos-sim',
        version: '1.0',
        msg_id: event.msgId,
        msg_type: event.msgType,
        msg_data: pos.encrypt(event.msgType, event.msgId, event.data),
      });

      // Three frames in one chunk, then the same three split at awkward offsets across two writes.
      const three = Buffer.concat([seedFrame, eventFrame, seedFrame]);
      pos.sendRaw(three);
      const answers = [];
      for (let i = 0; i < 3; i += 1) answers.push(pos.readAnswer(await pos.nextFrame()));

      expect(answers.map((a) => [a.msgId, a.resp])).toEqual([
        [seedMsgId, 'nack'],
        [event.msgId, 'ack'],
        [seedMsgId, 'nack'],
      ]);
      pos.sendRaw(three.subarray(0, 2));
      pos.sendRaw(three.subarray(2, seedFrame.length + 7));
      pos.sendRaw(three.subarray(seedFrame.length + 7));
      const again = [];
      for (let i = 0; i < 3; i += 1) again.push(pos.readAnswer(await pos.nextFrame()));
      expect(again.map((a) => [a.msgId, a.resp])).toEqual([
        [seedMsgId, 'nack'],
        [event.msgId, 'ack'], // the resend is a duplicate: acked, stored once
        [seedMsgId, 'nack'],
      ]);
      expect(log.entries().map((e) => e.msgId)).toEqual([event.msgId]);
      pos.destroy();
    });
  });
});
