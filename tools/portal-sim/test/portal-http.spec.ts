import { parseSiteSecurity, parsePortalTimestamp, type KeyringError } from '@pos-link/keyring';
import { PORTAL_FAULT_KINDS, startPortalSim, type PortalFault, type PortalSim, type PortalSimOptions } from '../src/index';

const AUTH = 'Bearer test-portal-token';
const T0 = Date.UTC(2024, 6, 4, 12);
const HOUR = 3_600_000;

describe('portal-sim over HTTP', () => {
  let sim: PortalSim;
  let now: number;

  const start = async (options: Partial<PortalSimOptions> = {}): Promise<PortalSim> => {
    sim = await startPortalSim({
      auth: AUTH,
      sites: ['store-1', { siteId: 'store-2', encryption: false }],
      rotationMs: 0,
      overlapMs: HOUR,
      seed: 'portal-http-spec',
      clock: () => now,
      ...options,
    });
    return sim;
  };
  /** GET with `auth` as Authorization (default the right one; null sends none). */
  const get = (path: string, auth: string | null = AUTH): Promise<Response> =>
    fetch(`${sim.url}${path}`, { headers: auth === null ? {} : { authorization: auth } });
  const post = (path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${sim.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const fault = async (f: PortalFault): Promise<void> => {
    expect((await post('/admin/faults', f)).status).toBe(201);
  };
  const parseCode = async (res: Response): Promise<string> => {
    try {
      parseSiteSecurity(await res.json());
      return 'valid';
    } catch (error) {
      return (error as KeyringError).code;
    }
  };

  beforeEach(() => {
    now = T0;
  });
  afterEach(async () => sim?.close());

  describe('GET /sites/:siteId', () => {
    it('answers 401 without the exact Authorization value, before telling whether the site exists', async () => {
      await start();
      for (const auth of [null, 'Bearer wrong', `${AUTH}x`, AUTH.toLowerCase()]) {
        expect((await get('/sites/store-1', auth)).status).toBe(401);
        expect((await get('/sites/nowhere', auth)).status).toBe(401);
      }
      expect(sim.stats()).toMatchObject({ unauthorized: 8, totalFetches: 0 });
    });

    it('answers 404 for an unknown site and for unknown paths', async () => {
      await start();
      const res = await get('/sites/nowhere');
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: 'not_found' });
      expect((await get('/elsewhere')).status).toBe(404);
      expect(sim.stats().notFound).toBe(1);
    });

    it('answers 405 for other methods', async () => {
      await start();
      expect((await post('/sites/store-1', {}, { authorization: AUTH })).status).toBe(405);
    });

    it('serves the seed 001 site-object shape that parseSiteSecurity reads into the current keys', async () => {
      await start();
      const res = await get('/sites/store-1');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ id: 'store-1', name: 'Restaurant 1', store_number: '1', business_type: 'QSR', timezone: 'US/Pacific' });
      const entry = (body['security'] as Record<string, Record<string, unknown>>)['XKM']!;
      const wireKeys = entry['keys'] as Array<Record<string, string>>;
      expect(wireKeys).toHaveLength(2);
      // ISO-8601 with milliseconds, UTC.
      for (const key of wireKeys) expect(key['valid_after']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(parseSiteSecurity(body)).toEqual({ encryption: true, keys: sim.currentKeys('store-1') });
      expect(body).toEqual(sim.siteObject('store-1'));
    });

    it('serves encryption: false without keys for a plaintext site', async () => {
      await start();
      const body = (await (await get('/sites/store-2')).json()) as { security: Record<string, unknown> };
      expect(body.security).toEqual({ XKM: { encryption: false } });
    });

    it('serves the configured service entry', async () => {
      await start({ service: 'XKS' });
      const body = await (await get('/sites/store-1')).json();
      expect(parseSiteSecurity(body, 'XKS').keys).toHaveLength(2);
    });

    it('serves explicit initial keys, deterministic for tests', async () => {
      const keys = [{ fingerprint: 'b6e4b70983144e192bd7eea24c698f54', value: 'secret', validAfter: T0 - HOUR, validUntil: T0 + HOUR }];
      await start({ sites: [{ siteId: 'fixed', keys }] });
      expect(parseSiteSecurity(await (await get('/sites/fixed')).json()).keys).toEqual(keys);
    });
  });

  describe('rotation', () => {
    it('keeps previous and current valid together for the overlap, then lists only the current one', async () => {
      await start();
      const [, current] = sim.currentKeys('store-1');
      now = T0 + 5 * HOUR;
      const rotated = await post('/admin/sites/store-1/rotate');
      expect(rotated.status).toBe(200);
      const next = sim.currentKeys('store-1')[1]!;
      expect((await rotated.json()) as unknown).toMatchObject({ siteId: 'store-1', rotated: next.fingerprint });

      const during = parseSiteSecurity(await (await get('/sites/store-1')).json()).keys;
      expect(during.map((k) => k.fingerprint)).toEqual([current!.fingerprint, next.fingerprint]);
      expect(during[0]!.validUntil).toBe(now + HOUR);
      expect(during[1]!.validAfter).toBe(now);
      // Both valid for encryption during the overlap (seed 001).
      const overlapStart = Math.max(...during.map((k) => k.validAfter));
      const overlapEnd = Math.min(...during.map((k) => k.validUntil));
      expect(overlapEnd - overlapStart).toBe(HOUR);

      now += HOUR;
      const after = parseSiteSecurity(await (await get('/sites/store-1')).json()).keys;
      expect(after.map((k) => k.fingerprint)).toEqual([next.fingerprint]);
      expect(sim.stats().rotations).toEqual({ 'store-1': 1 });
    });

    it('rotates every site on its own on the configured schedule', async () => {
      now = Date.now();
      await start({ rotationMs: 40, clock: Date.now });
      const before = sim.currentKeys('store-1').at(-1)!.fingerprint;
      const rotated = new Promise<string>((resolve) => {
        const stop = sim.onRotate((siteId, key) => {
          if (siteId !== 'store-1') return;
          stop();
          resolve(key.fingerprint);
        });
      });
      const fingerprint = await rotated;
      expect(fingerprint).not.toBe(before);
      expect(sim.currentKeys('store-1').at(-1)!.fingerprint).toBe(fingerprint);
    });

    it('is reproducible with a seed', async () => {
      const first = await start();
      const keys = first.currentKeys('store-1');
      await first.close();
      const second = await start();
      expect(second.currentKeys('store-1')).toEqual(keys);
    });
  });

  describe('admin', () => {
    it('POST /admin/sites/:id/encryption turns encryption off and on', async () => {
      await start();
      const off = await post('/admin/sites/store-1/encryption', { enabled: false });
      expect(await off.json()).toEqual({ siteId: 'store-1', encryption: false });
      expect(parseSiteSecurity(await (await get('/sites/store-1')).json())).toEqual({ encryption: false, keys: [] });
      sim.setEncryption('store-1', true);
      expect(parseSiteSecurity(await (await get('/sites/store-1')).json()).encryption).toBe(true);
      expect((await post('/admin/sites/store-1/encryption', { enabled: 'no' })).status).toBe(400);
      expect((await post('/admin/sites/nowhere/encryption', { enabled: true })).status).toBe(404);
    });

    it('GET /admin/stats counts fetches per site; DELETE resets them', async () => {
      await start();
      await get('/sites/store-1');
      await get('/sites/store-1');
      await get('/sites/store-2');
      const stats = await (await fetch(`${sim.url}/admin/stats`)).json();
      expect(stats).toEqual({
        fetches: { 'store-1': 2, 'store-2': 1 },
        totalFetches: 3,
        unauthorized: 0,
        notFound: 0,
        faults: {},
        rotations: {},
      });
      expect((await fetch(`${sim.url}/admin/stats`, { method: 'DELETE' })).status).toBe(204);
      expect(sim.stats().totalFetches).toBe(0);
    });

    it('requires adminAuth on /admin/* when configured', async () => {
      await start({ adminAuth: 'Bearer admin' });
      expect((await post('/admin/sites/store-1/rotate')).status).toBe(401);
      expect((await post('/admin/sites/store-1/rotate', undefined, { authorization: 'Bearer admin' })).status).toBe(200);
    });

    it('refuses an unknown fault kind with 400 and lists the kinds', async () => {
      await start();
      const res = await post('/admin/faults', { kind: 'meteor' });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toContain('http503');
      expect((await post('/admin/faults', { kind: 'http500', count: -1 })).status).toBe(400);
    });
  });

  describe('faults', () => {
    it.each([
      ['http500', 500],
      ['http503', 503],
    ] as const)('%s answers HTTP %d once, then the Portal recovers', async (kind, status) => {
      await start();
      await fault({ kind });
      const res = await get('/sites/store-1');
      expect(res.status).toBe(status);
      if (kind === 'http503') expect(res.headers.get('retry-after')).toBe('1');
      expect((await get('/sites/store-1')).status).toBe(200);
      expect(sim.stats()).toMatchObject({ faults: { [kind]: 1 }, fetches: { 'store-1': 2 } });
    });

    it('latency delays the answer by latencyMs', async () => {
      await start();
      await fault({ kind: 'latency', latencyMs: 150 });
      const started = performance.now();
      expect((await get('/sites/store-1')).status).toBe(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    });

    it('reset drops the connection without an answer', async () => {
      await start();
      await fault({ kind: 'reset' });
      await expect(get('/sites/store-1')).rejects.toThrow();
      expect((await get('/sites/store-1')).status).toBe(200);
    });

    it.each(['truncated-json', 'invalid-json'] as const)('%s answers 200 with a body JSON.parse refuses', async (kind) => {
      await start();
      await fault({ kind });
      const res = await get('/sites/store-1');
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(Number(res.headers.get('content-length'))).toBe(Buffer.byteLength(text));
      expect(() => JSON.parse(text)).toThrow(SyntaxError);
    });

    it('seed-timestamps writes 2024-06-11T00:00:000Z-style times that still parse to valid keys', async () => {
      await start();
      await fault({ kind: 'seed-timestamps' });
      const body = (await (await get('/sites/store-1')).json()) as { security: { XKM: { keys: Array<{ valid_after: string }> } } };
      for (const key of body.security.XKM.keys) expect(key.valid_after).toMatch(/T\d{2}:\d{2}:0[0-5]\dZ$/);
      const keys = parseSiteSecurity(body).keys;
      const expected = sim.currentKeys('store-1');
      expect(keys.map((k) => k.fingerprint)).toEqual(expected.map((k) => k.fingerprint));
      keys.forEach((key, i) => expect(key.validAfter).toBe(Math.floor(expected[i]!.validAfter / 1000) * 1000));
      expect(parsePortalTimestamp(body.security.XKM.keys[0]!.valid_after)).toBe(keys[0]!.validAfter);
    });

    it.each([
      ['three-keys', 'ERR_KEYRING_SITE_TOO_MANY_KEYS'],
      ['duplicate-fingerprint', 'ERR_KEYRING_SITE_DUPLICATE_FINGERPRINT'],
      ['until-before-after', 'ERR_KEYRING_SITE_VALIDITY_INVERTED'],
      ['encryption-not-boolean', 'ERR_KEYRING_SITE_ENCRYPTION_INVALID'],
    ] as const)('%s serves a site object parseSiteSecurity refuses with %s', async (kind, code) => {
      await start();
      await fault({ kind });
      expect(await parseCode(await get('/sites/store-1'))).toBe(code);
      expect(await parseCode(await get('/sites/store-1'))).toBe('valid');
    });

    it('count applies a fault to that many fetches; count 0 until cleared; siteId targets one site', async () => {
      await start();
      await fault({ kind: 'http503', count: 2, siteId: 'store-2' });
      expect((await get('/sites/store-1')).status).toBe(200);
      expect((await get('/sites/store-2')).status).toBe(503);
      expect((await get('/sites/store-2')).status).toBe(503);
      expect((await get('/sites/store-2')).status).toBe(200);
      sim.injectFault({ kind: 'http500', count: 0 });
      for (let i = 0; i < 3; i += 1) expect((await get('/sites/store-1')).status).toBe(500);
      expect((await fetch(`${sim.url}/admin/faults`, { method: 'DELETE' })).status).toBe(204);
      expect((await get('/sites/store-1')).status).toBe(200);
    });

    it('covers every documented fault kind', () => {
      expect([...PORTAL_FAULT_KINDS].sort()).toEqual(
        [
          'http500',
          'http503',
          'latency',
          'reset',
          'truncated-json',
          'invalid-json',
          'seed-timestamps',
          'three-keys',
          'duplicate-fingerprint',
          'until-before-after',
          'encryption-not-boolean',
        ].sort(),
      );
    });
  });

  it('startPortalSim refuses bad options with TypeError', async () => {
    await expect(startPortalSim({ sites: [] })).rejects.toThrow(TypeError);
    await expect(startPortalSim({ sites: ['a/b'] })).rejects.toThrow(TypeError);
    await expect(startPortalSim({ sites: ['a', 'a'] })).rejects.toThrow(TypeError);
    await expect(startPortalSim({ sites: ['a'], rotationMs: -1 })).rejects.toThrow(TypeError);
  });
});
