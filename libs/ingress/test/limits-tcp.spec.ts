import { encodePesEnvelope } from '@pos-link/protocol';
import { IntegratorValidator, PosClient, RsaKeyPool, posEvent } from '@pos-link/pos-sim';
import { MemoryPesEventLog } from '../src/store/memory-event-log';
import { ControllableEventLog } from '../src/testing/controllable-event-log';
import { startTestIngress, TEST_INTEGRATOR, type TestIngress } from './support/ingress-harness';

/** DESIGN §6 "Limits" over real sockets (small values so the test is quick). */
describe('PES connection limits over TCP', () => {
  let keys: RsaKeyPool;
  let ingress: TestIngress | undefined;
  const validator = new IntegratorValidator({ expected: TEST_INTEGRATOR });

  beforeAll(async () => {
    keys = await RsaKeyPool.create(1);
  });

  afterEach(async () => {
    await ingress?.close();
    ingress = undefined;
  });

  const connect = (port: number): Promise<PosClient> => PosClient.connect({ port, keyPair: keys.next(), validator });

  it('closes a connection idle for longer than the idle timeout', async () => {
    ingress = await startTestIngress(new MemoryPesEventLog(), { idleTimeoutMs: 150 });
    const pos = await connect(ingress.port);
    await expect(pos.handshake()).resolves.toMatchObject({ ok: true });

    await pos.closed;
    await ingress.transport.whenIdle();

    expect(await ingress.metric('poslink_ingress_closes_total', { reason: 'ERR_INGRESS_IDLE_TIMEOUT' })).toBe(1);
  });

  it('refuses connections over the limit and serves the others', async () => {
    ingress = await startTestIngress(new MemoryPesEventLog(), { maxConnections: 2 });
    const first = await connect(ingress.port);
    const second = await connect(ingress.port);
    await expect(first.handshake()).resolves.toMatchObject({ ok: true });
    await expect(second.handshake()).resolves.toMatchObject({ ok: true });

    const third = await connect(ingress.port);
    await third.closed;

    expect(await ingress.metric('poslink_ingress_connections_total', { outcome: 'refused' })).toBe(1);
    first.sendEvent(posEvent('close_order', { order_id: 'ORD-1' }));
    expect(first.readAnswer(await first.nextFrame()).resp).toBe('ack');
    first.destroy();
    second.destroy();
  });

  it('accepts a frame of exactly PES_MAX_FRAME_BYTES and closes on one byte more', async () => {
    ingress = await startTestIngress(new MemoryPesEventLog(), { maxFrameBytes: 2048 });
    const pos = await connect(ingress.port);
    await expect(pos.handshake()).resolves.toMatchObject({ ok: true });
    const sized = (bytes: number): Buffer => {
      const base = { source: 'pos-sim', version: '1.0', msg_id: 'pad', msg_type: 'unknown_padding', msg_data: '' };
      const overhead = encodePesEnvelope(base).length - 4;
      return encodePesEnvelope({ ...base, msg_data: 'A'.repeat(bytes - overhead) });
    };

    pos.sendRaw(sized(2048));
    expect(pos.readAnswer(await pos.nextFrame())).toMatchObject({ msgId: 'pad', resp: 'nack', code: 2 }); // read, answered
    pos.sendRaw(sized(2049));
    await pos.closed;
    await ingress.transport.whenIdle();

    expect(await ingress.metric('poslink_ingress_closes_total', { reason: 'ERR_INGRESS_FRAME_TOO_LARGE' })).toBe(1);
  });

  it('close() answers the events in flight before it ends the connections (graceful drain)', async () => {
    const log = new ControllableEventLog(new MemoryPesEventLog());
    ingress = await startTestIngress(log);
    const pos = await connect(ingress.port);
    await expect(pos.handshake()).resolves.toMatchObject({ ok: true });
    log.hold();
    const events = [posEvent('close_order', { order_id: 'A' }), posEvent('close_order', { order_id: 'B' })];
    for (const event of events) pos.sendEvent(event);
    const answers: string[] = [];
    pos.onAnswer((answer) => answers.push(`${answer.msgId}:${answer.resp}`));

    await log.whenPending(2); // both appends issued, held by the store
    const closing = ingress.close();
    log.release();
    await closing;
    await pos.closed;

    expect(answers).toEqual(events.map((e) => `${e.msgId}:ack`));
    ingress = undefined;
  });
});
