import { startWorld, type World } from './support/gateway-world';

// Integration: a Portal key rotation in the middle of a steady request stream (DESIGN §2: during the
// overlap both keys decrypt; a key the gateway has not seen yet is fetched on demand).
const WORKERS = 4;
const REQUESTS_AFTER_ROTATION = 200;

describe('ALE over HTTP: key rotation under load', () => {
  let world: World;

  beforeAll(async () => {
    // key-sync polls every 300 ms here: the rotation reaches the gateway by poll or by on-demand refresh,
    // whichever comes first — both paths run during this test.
    world = await startWorld({ portal: { sites: ['store-1'] }, keySyncEnv: { KEYSYNC_POLL_MS: '300' } });
  });
  afterAll(async () => {
    await world?.close();
  });

  // This test found the race of docs/specs/key-sync.md §7 (a refresh coalesced into a poll fetching since
  // before the rotation): its polls every 300 ms keep a fetch under way often.
  it('loses no request while the Portal rotates and clients switch to the new key at once', async () => {
    const [, current] = world.portal.currentKeys('store-1');
    const clients = Array.from({ length: WORKERS }, () => world.client({ fingerprint: current!.fingerprint, keyValue: current!.value, siteId: 'store-1' }));
    const failures: string[] = [];
    const used = new Map<string, number>();
    let afterRotation = 0;
    let rotated = false;
    let sent = 0;

    const worker = async (index: number): Promise<void> => {
      const client = clients[index]!;
      while (afterRotation < REQUESTS_AFTER_ROTATION) {
        const seq = sent++;
        const wasRotated = rotated;
        const res = await client.request({ path: '/order', body: { seq } });
        used.set(client.fingerprint, (used.get(client.fingerprint) ?? 0) + 1);
        if (res.status !== 200 || JSON.parse(res.text).echo !== JSON.stringify({ seq })) failures.push(`${seq}: ${res.status} ${res.raw}`);
        if (wasRotated) afterRotation++;
        if (seq === 100 && !rotated) {
          // The POS learned the new key from the Portal before the gateway did: every client switches now.
          const next = world.portal.rotate('store-1');
          for (const c of clients) c.switchKey(next.fingerprint, next.value);
          rotated = true;
        }
      }
    };
    await Promise.all(clients.map((_, i) => worker(i)));

    expect(failures).toEqual([]);
    expect(used.size).toBe(2);
    expect(sent).toBeGreaterThan(REQUESTS_AFTER_ROTATION + 100);
    expect(await world.gateway.metric('poslink_gateway_http_requests_total', { outcome: 'error_code_2' })).toBe(0);
    expect(await world.gateway.metric('poslink_gateway_http_requests_total', { outcome: 'error_code_3' })).toBe(0);
  });
});
