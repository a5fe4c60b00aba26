import { createLogger, createRedisClient, RedisKeys, waitForRedisReady, closeRedisClient, type RedisClient } from '@pos-link/platform';
import { deleteKeysWithPrefix, uniqueRedisPrefix, waitFor } from '@pos-link/platform/testing';
import {
  MemoryRelayBus,
  MemoryTerminalRegistry,
  RedisRelayBus,
  RedisTerminalRegistry,
  isGatewayError,
  type RelayBus,
  type RelayMessage,
  type TerminalEntry,
  type TerminalRegistry,
} from '../src/index';

// Integration (DESIGN §5): the device registry and the bus between replicas, on the real Redis and in memory.

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const TTL_MS = 400;

const entry = (pinpadId: string, replicaId: string, connId: string, siteId = '42'): TerminalEntry => ({ siteId, pinpadId, holder: { replicaId, connId } });

interface RegistryFixture {
  readonly registry: TerminalRegistry;
  /** Lets the TTL of every entry run out. */
  expireAll(): Promise<void>;
  close(): Promise<void>;
}

function describeRegistryContract(name: string, open: () => Promise<RegistryFixture>): void {
  describe(`${name} (TerminalRegistry contract)`, () => {
    let fixture: RegistryFixture;
    beforeEach(async () => {
      fixture = await open();
    });
    afterEach(() => fixture.close());

    it('claim records the holder and returns the previous one (takeover)', async () => {
      const { registry } = fixture;
      expect(await registry.lookup('42', '1')).toBeUndefined();
      expect(await registry.claim(entry('1', 'A', 'A.1'))).toBeUndefined();
      expect(await registry.lookup('42', '1')).toEqual({ replicaId: 'A', connId: 'A.1' });
      expect(await registry.claim(entry('1', 'B', 'B.7'))).toEqual({ replicaId: 'A', connId: 'A.1' });
      expect(await registry.lookup('42', '1')).toEqual({ replicaId: 'B', connId: 'B.7' });
      expect(await registry.lookup('43', '1')).toBeUndefined(); // another site's terminal 1 is another terminal
    });

    it('refresh keeps its own entries, reports taken-over ones, and re-creates an expired one', async () => {
      const { registry } = fixture;
      await registry.claim(entry('1', 'A', 'A.1'));
      await registry.claim(entry('2', 'A', 'A.2'));
      await registry.claim(entry('2', 'B', 'B.1'));
      expect(await registry.refresh([entry('1', 'A', 'A.1'), entry('2', 'A', 'A.2')])).toEqual([true, false]);
      expect(await registry.lookup('42', '2')).toEqual({ replicaId: 'B', connId: 'B.1' });
      await fixture.expireAll();
      expect(await registry.lookup('42', '1')).toBeUndefined();
      expect(await registry.refresh([entry('1', 'A', 'A.1')])).toEqual([true]);
      expect(await registry.lookup('42', '1')).toEqual({ replicaId: 'A', connId: 'A.1' });
    });

    it('release removes only an entry its holder still holds', async () => {
      const { registry } = fixture;
      await registry.claim(entry('1', 'A', 'A.1'));
      await registry.claim(entry('1', 'B', 'B.1'));
      await registry.release(entry('1', 'A', 'A.1'));
      expect(await registry.lookup('42', '1')).toEqual({ replicaId: 'B', connId: 'B.1' });
      await registry.release(entry('1', 'B', 'B.1'));
      expect(await registry.lookup('42', '1')).toBeUndefined();
    });
  });
}

describe('relay registry and bus on Redis', () => {
  let redis: RedisClient;
  let prefix: string;
  const logger = createLogger({ app: 'relay-test', level: 'silent' });

  beforeAll(async () => {
    redis = createRedisClient(REDIS_URL, { name: 'relay-test', logger });
    await waitForRedisReady(redis, 5_000);
  });
  afterAll(() => closeRedisClient(redis));
  beforeEach(() => {
    prefix = uniqueRedisPrefix('relay-registry');
  });
  afterEach(() => deleteKeysWithPrefix(redis, prefix));

  describeRegistryContract('RedisTerminalRegistry', async () => {
    const p = uniqueRedisPrefix('relay-registry');
    const registry = new RedisTerminalRegistry(redis, new RedisKeys(p), TTL_MS);
    return {
      registry,
      // The contract's entries are terminals 1 and 2 of site 42: delete them, as an expiry would.
      expireAll: async () => void (await redis.del(registry.keyOf('42', '1'), registry.keyOf('42', '2'))),
      close: async () => void (await deleteKeysWithPrefix(redis, p)),
    };
  });

  describeRegistryContract('MemoryTerminalRegistry', async () => {
    let now = 1_000;
    const registry = new MemoryTerminalRegistry(TTL_MS, () => now);
    return {
      registry,
      expireAll: async () => {
        now += TTL_MS;
      },
      close: async () => undefined,
    };
  });

  it('stores one string per terminal under the site hash tag with a PX TTL', async () => {
    const registry = new RedisTerminalRegistry(redis, new RedisKeys(prefix), TTL_MS);
    await registry.claim(entry('pp:1', 'A', 'A.1', 'store-9'));
    const key = `${prefix}:{site:store-9}:relay:terminal:pp:1`;
    expect(registry.keyOf('store-9', 'pp:1')).toBe(key);
    expect(await redis.get(key)).toBe('A A.1');
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(TTL_MS);
  });

  describe.each<[string, () => RelayBus]>([
    ['RedisRelayBus', () => new RedisRelayBus(redis, new RedisKeys(prefix), () => undefined)],
    ['MemoryRelayBus', () => new MemoryRelayBus()],
  ])('%s', (_name, makeBus) => {
    it("delivers a message to the addressed replica's channel only, and drops malformed ones as ERR_GATEWAY_RELAY_MESSAGE_INVALID", async () => {
      const bus = makeBus();
      const received: Record<string, RelayMessage[]> = { A: [], B: [] };
      const invalid: unknown[] = [];
      const offA = await bus.subscribe('A', (m) => received['A']!.push(m), (e) => invalid.push(e));
      const offB = await bus.subscribe('B', (m) => received['B']!.push(m), (e) => invalid.push(e));
      let markArrived: () => void = () => undefined;
      const arrived = new Promise<void>((resolve) => (markArrived = resolve));
      const offC = await bus.subscribe('C', () => markArrived(), () => undefined);
      await bus.publish('B', { t: 'ack', id: 'r.1' });
      await bus.publish('C', { t: 'rel', client: 'x' }); // published last: once it arrived, B's has too
      await arrived;
      expect(received).toEqual({ A: [], B: [{ t: 'ack', id: 'r.1' }] });
      if (bus instanceof RedisRelayBus) {
        await redis.publish(bus.channelOf('A'), '{"t":"nope"}');
        await waitFor('the malformed message to be reported', () => invalid.length > 0, { intervalMs: 5 });
        expect(isGatewayError(invalid[0], 'ERR_GATEWAY_RELAY_MESSAGE_INVALID')).toBe(true);
        expect(received['A']).toEqual([]);
      }
      await offA();
      await offB();
      await offC();
      await bus.close();
    });
  });
});
