import { request } from 'undici';
import { loadVectors, type AleMustFailVector } from '@pos-link/crypto/testing';
import { ALE_ERROR_BODIES } from '@pos-link/protocol';
import { startWorld, type World } from './support/gateway-world';

// Integration: every `aleMustFail` vector (an independent implementation's must-fail cases) sent to a real
// gateway whose Portal site holds the vector's key value under the vector's fingerprint → errorCode 2.
const HOUR = 3_600_000;
const mustFail = loadVectors().aleMustFail;
const byKeyValue = new Map<string, AleMustFailVector[]>();
for (const vector of mustFail) byKeyValue.set(vector.keyValue, [...(byKeyValue.get(vector.keyValue) ?? []), vector]);

describe.each([...byKeyValue.entries()].map(([value, vectors]) => [JSON.stringify(value), vectors] as const))(
  'aleMustFail vectors against a site whose key value is %s',
  (_value, vectors) => {
    let world: World;

    beforeAll(async () => {
      const { fingerprint, keyValue } = vectors[0]!;
      const now = Date.now();
      world = await startWorld({
        portal: { sites: [{ siteId: 'vectors', keys: [{ fingerprint, value: keyValue, validAfter: now - HOUR, validUntil: now + HOUR }] }] },
        gatewayEnv: { ALE_SUITES: 'aes-256-gcm,aes-256-cbc' },
      });
    });
    afterAll(async () => {
      await world?.close();
    });

    it.each(vectors.map((v) => [v.why, v] as const))('%s → 400 errorCode 2, nothing forwarded', async (_why, vector) => {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'sec-fingerprint': vector.fingerprint,
        'sec-iv': vector.iv,
        'sec-alg': vector.suite,
      };
      if (vector.timestamp !== null) headers['sec-timestamp'] = vector.timestamp;
      const res = await request(`${world.gateway.url}/sites/vectors/order`, { method: 'POST', headers, body: vector.ciphertext });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toBe('application/json');
      expect(await res.body.text()).toBe(ALE_ERROR_BODIES[2]);
      expect(world.kitchen.received()).toEqual([]);
    });
  },
);
