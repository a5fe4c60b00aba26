import { IntegratorValidator, OFFLINE_VALIDATION_WINDOW_MS, PosClient, POS_REGISTER_NACK, RsaKeyPool } from '@pos-link/pos-sim';
import { MemoryPesEventLog } from '../src/store/memory-event-log';
import { startTestIngress, TEST_INTEGRATOR, type TestIngress } from './support/ingress-harness';

/** seed 003 "Offline Validation": up to 30 days after the last online success (pos-sim, injectable clock). */
describe('pos-sim offline validation against the ingress over TCP', () => {
  let ingress: TestIngress;
  let keys: RsaKeyPool;

  beforeAll(async () => {
    keys = await RsaKeyPool.create(1);
    ingress = await startTestIngress(new MemoryPesEventLog());
  });

  afterAll(async () => {
    await ingress.close();
  });

  async function register(validator: IntegratorValidator) {
    const pos = await PosClient.connect({ port: ingress.port, keyPair: keys.next(), validator });
    const result = await pos.handshake();
    pos.destroy();
    await ingress.transport.whenIdle();
    return result;
  }

  it('accepts the integrator offline within 30 days of the last online validation, refuses after', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const validator = new IntegratorValidator({ expected: TEST_INTEGRATOR, now: () => now });

    await expect(register(validator)).resolves.toEqual({ ok: true, mode: 'online' });

    validator.setOnline(false);
    now += OFFLINE_VALIDATION_WINDOW_MS;
    await expect(register(validator)).resolves.toEqual({ ok: true, mode: 'offline' });

    now += 1;
    await expect(register(validator)).resolves.toEqual({ ok: false, reason: 'refused', ...POS_REGISTER_NACK.OFFLINE_VALIDATION_UNAVAILABLE });
    expect(await ingress.metric('poslink_ingress_handshakes_total', { outcome: 'rejected' })).toBe(1);

    validator.setOnline(true); // back online: validated again, the 30 days start over
    await expect(register(validator)).resolves.toEqual({ ok: true, mode: 'online' });
  });

  it('offline, a POS that never validated this integrator online refuses it', async () => {
    const validator = new IntegratorValidator({ expected: TEST_INTEGRATOR, online: false });
    await expect(register(validator)).resolves.toMatchObject({ ok: false, reason: 'refused', code: 2 });
  });
});
