import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { Registry } from 'prom-client';
import { openRegisterClient, pesAad, pesDecrypt, pesEncrypt, type PesCipherName } from '@pos-link/crypto';
import { encodePesEnvelope, PES_KNOWN_EVENT_TYPES, type PesEnvelopeInit } from '@pos-link/protocol';
import { SILENT_INGRESS_LOGGER } from '../metrics/ingress-logger';
import { IngressMetrics } from '../metrics/ingress-metrics';
import { IngressTelemetry } from '../metrics/ingress-telemetry';
import { MemoryPesEventLog } from '../store/memory-event-log';
import type { PesAppendOutcome, PesEventLog, PesEventRecord } from '../store/pes-event-log';
import { ControllableEventLog } from '../testing/controllable-event-log';
import { RecordingSessionIo } from '../testing/recording-io';
import { PesSession } from './pes-session';
import { PesSessionState, type PesSessionSettings } from './pes-session-types';

const CREDENTIALS = Buffer.from('{"key_id":"k1","secret_key":"s3cret"}');

/** Lets pending promise callbacks (appends, answers) run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('PesSession', () => {
  let privateKey: KeyObject;
  let publicKeyPem: string;

  beforeAll(() => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    privateKey = pair.privateKey;
    publicKeyPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  });

  function body(envelope: Omit<PesEnvelopeInit, 'source' | 'version'>): Buffer {
    return encodePesEnvelope({ source: 'pos', version: '1.0', ...envelope }).subarray(4);
  }

  function start(eventLog: PesEventLog, overrides: Partial<PesSessionSettings> = {}) {
    const io = new RecordingSessionIo();
    const registry = new Registry();
    const telemetry = new IngressTelemetry(SILENT_INGRESS_LOGGER, new IngressMetrics(registry), PES_KNOWN_EVENT_TYPES);
    const settings: PesSessionSettings = {
      cipher: 'aes-256-gcm',
      oaepHash: 'sha256',
      credentials: CREDENTIALS,
      source: 'pos-link',
      maxInFlight: 64,
      handshakeTimeoutMs: 10_000,
      ...overrides,
    };
    const session = new PesSession({ id: 'c1', settings, eventLog, telemetry, io });
    return { session, io, registry, cipher: settings.cipher };
  }

  /** Runs the POS side of the handshake; returns the DEK. */
  function handshake(session: PesSession, io: RecordingSessionIo, cipher: PesCipherName = 'aes-256-gcm'): Buffer {
    session.receive(body({ msg_id: 'init-1', msg_type: 'init_client', msg_data: publicKeyPem }));
    const [ack, register] = io.envelopes();
    expect(ack).toMatchObject({ msg_id: 'init-1', msg_type: 'init_client', msg_resp: 'ack' });
    expect(ack.msg_data).toBeUndefined();
    expect(register).toMatchObject({ msg_type: 'register_client', source: 'pos-link', version: '1.0' });
    const opened = openRegisterClient({
      privateKey,
      oaepHash: 'sha256',
      cipher,
      aad: pesAad('register_client', register.msg_id),
      msgData: register.msg_data as string,
    });
    expect(opened.credentials).toEqual(CREDENTIALS);
    expect(session.state).toBe(PesSessionState.REGISTERING);
    session.receive(body({ msg_id: register.msg_id, msg_type: 'register_client', msg_resp: 'ack' }));
    expect(session.state).toBe(PesSessionState.READY);
    io.frames.length = 0;
    return opened.dek;
  }

  function event(dek: Buffer, msgId: string, data = `{"order_id":"${msgId}"}`, msgType = 'close_order'): Buffer {
    const msgData = pesEncrypt('aes-256-gcm', dek, pesAad(msgType, msgId), Buffer.from(data));
    return body({ msg_id: msgId, msg_type: msgType, msg_data: msgData });
  }

  function nackCode(dek: Buffer, envelope: { msg_id: string; msg_type: string; msg_data?: string }): number {
    const plain = pesDecrypt('aes-256-gcm', dek, pesAad(envelope.msg_type, envelope.msg_id, 'nack'), envelope.msg_data as string);
    return (JSON.parse(plain.toString()) as { code: number }).code;
  }

  it('handshake: acks init_client, then sends register_client carrying a fresh DEK and the credentials', () => {
    const { session, io } = start(new MemoryPesEventLog());
    const dek = handshake(session, io);
    expect(dek).toHaveLength(32);
    const second = start(new MemoryPesEventLog());
    expect(handshake(second.session, second.io).equals(dek)).toBe(false); // a new DEK every connection
  });

  it('answers every event after its append, in the order received', async () => {
    const log = new MemoryPesEventLog();
    const { session, io } = start(log);
    const dek = handshake(session, io);

    for (const id of ['e1', 'e2', 'e3']) session.receive(event(dek, id));
    await settle();

    expect(io.envelopes().map((e) => [e.msg_id, e.msg_resp])).toEqual([
      ['e1', 'ack'],
      ['e2', 'ack'],
      ['e3', 'ack'],
    ]);
    expect(log.entries().map((e) => e.msgId)).toEqual(['e1', 'e2', 'e3']);
  });

  it('keeps answer order when a later append completes first', async () => {
    const resolvers = new Map<string, (outcome: PesAppendOutcome) => void>();
    const outOfOrder: PesEventLog = {
      append: (record: PesEventRecord) => new Promise((resolve) => resolvers.set(record.msgId, resolve)),
    };
    const { session, io } = start(outOfOrder);
    const dek = handshake(session, io);
    session.receive(event(dek, 'first'));
    session.receive(event(dek, 'second'));

    resolvers.get('second')?.('stored');
    await settle();
    expect(io.frames).toHaveLength(0); // 'second' waits for 'first'

    resolvers.get('first')?.('stored');
    await settle();
    expect(io.envelopes().map((e) => e.msg_id)).toEqual(['first', 'second']);
  });

  it('backpressure: reading pauses at maxInFlight pending events and resumes once they are answered', async () => {
    const log = new ControllableEventLog(new MemoryPesEventLog());
    const { session, io } = start(log);
    const dek = handshake(session, io);
    log.hold();

    for (let i = 0; i < 100; i += 1) session.receive(event(dek, `e${i}`)); // one big chunk's worth
    await settle();

    expect(log.pending).toBe(64);
    expect(session.inFlight).toBe(64);
    expect(io.reading).toBe(false);
    expect(io.frames).toHaveLength(0);

    log.release();
    for (let i = 0; i < 5 && io.frames.length < 100; i += 1) await settle();

    expect(io.envelopes().map((e) => e.msg_id)).toEqual(Array.from({ length: 100 }, (_, i) => `e${i}`));
    expect(log.maxPending).toBe(64);
    expect(io.reading).toBe(true);
  });

  it('store unavailable: nack 5, and later events get nack 5 until the failed msg_id is resent', async () => {
    const inner = new MemoryPesEventLog();
    const log = new ControllableEventLog(inner);
    const { session, io } = start(log);
    const dek = handshake(session, io);

    log.setAvailable(false);
    session.receive(event(dek, 'e1'));
    await settle();
    log.setAvailable(true);
    session.receive(event(dek, 'e2')); // the store is back, but e1 is missing: not stored ahead of it
    session.receive(event(dek, 'e1'));
    session.receive(event(dek, 'e2'));
    await settle();

    const answers = io.envelopes();
    expect(answers.map((e) => [e.msg_id, e.msg_resp])).toEqual([
      ['e1', 'nack'],
      ['e2', 'nack'],
      ['e1', 'ack'],
      ['e2', 'ack'],
    ]);
    expect(nackCode(dek, answers[0])).toBe(5);
    expect(nackCode(dek, answers[1])).toBe(5);
    expect(inner.entries().map((e) => e.msgId)).toEqual(['e1', 'e2']);
  });

  it('a fatal frame closes the connection only after the in-flight events are answered', async () => {
    const log = new ControllableEventLog(new MemoryPesEventLog());
    const { session, io } = start(log);
    const dek = handshake(session, io);
    log.hold();

    session.receive(event(dek, 'e1'));
    session.receive(event(dek, 'e2'));
    session.receive(Buffer.from('not json'));
    session.receive(event(dek, 'e3')); // after the fatal frame: never processed
    await settle();
    expect(session.state).toBe(PesSessionState.CLOSING);
    expect(io.ended).toBe(false);

    log.release();
    await settle();
    expect(io.envelopes().map((e) => [e.msg_id, e.msg_resp])).toEqual([
      ['e1', 'ack'],
      ['e2', 'ack'],
    ]);
    expect(io.ended).toBe(true);
  });

  it('nacks 4 an event before the register_client ack, then accepts it after', async () => {
    const log = new MemoryPesEventLog();
    const { session, io } = start(log);
    session.receive(body({ msg_id: 'init-1', msg_type: 'init_client', msg_data: publicKeyPem }));
    const register = io.envelopes()[1];
    const { dek } = openRegisterClient({
      privateKey,
      oaepHash: 'sha256',
      cipher: 'aes-256-gcm',
      aad: pesAad('register_client', register.msg_id),
      msgData: register.msg_data as string,
    });

    session.receive(event(dek, 'early'));
    const nack = io.envelopes()[2];
    expect(nack).toMatchObject({ msg_id: 'early', msg_resp: 'nack' });
    expect(nackCode(dek, nack)).toBe(4);

    session.receive(body({ msg_id: register.msg_id, msg_type: 'register_client', msg_resp: 'ack' }));
    session.receive(event(dek, 'early'));
    await settle();
    expect(io.envelopes()[3]).toMatchObject({ msg_id: 'early', msg_resp: 'ack' });
  });

  it('a register_client ack for another msg_id, or whose msg_data does not decrypt, closes the connection', () => {
    for (const answer of [
      { msg_id: randomUUID(), msg_type: 'register_client', msg_resp: 'ack' as const },
      { msg_type: 'register_client', msg_resp: 'ack' as const, msg_data: Buffer.alloc(48).toString('base64') },
    ]) {
      const { session, io } = start(new MemoryPesEventLog());
      session.receive(body({ msg_id: 'init-1', msg_type: 'init_client', msg_data: publicKeyPem }));
      const registerId = io.envelopes()[1].msg_id;
      session.receive(body({ msg_id: registerId, ...answer }));
      expect(session.state).toBe(PesSessionState.CLOSING);
      expect(io.ended).toBe(true);
    }
  });

  describe('deadlines (fake timers)', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('closes a connection whose handshake is not done within handshakeTimeoutMs', async () => {
      const { session, io, registry } = start(new MemoryPesEventLog(), { handshakeTimeoutMs: 10_000 });
      jest.advanceTimersByTime(9_999);
      expect(io.ended).toBe(false);
      jest.advanceTimersByTime(1);
      expect(io.ended).toBe(true);
      session.socketClosed();
      const closes = await registry.getSingleMetric('poslink_ingress_closes_total')?.get();
      expect(closes?.values).toEqual([expect.objectContaining({ labels: { reason: 'ERR_INGRESS_HANDSHAKE_TIMEOUT' }, value: 1 })]);
    });

    it('a completed handshake stops the deadline', () => {
      const { session, io } = start(new MemoryPesEventLog(), { handshakeTimeoutMs: 10_000 });
      handshake(session, io);
      jest.advanceTimersByTime(60_000);
      expect(io.ended).toBe(false);
      expect(session.state).toBe(PesSessionState.READY);
    });
  });
});
