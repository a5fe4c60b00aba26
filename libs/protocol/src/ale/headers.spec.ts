import { ALE_HEADERS, ALE_HEADER_PREFIX } from './headers';

describe('ALE_HEADERS', () => {
  it('names the seed 000 / DESIGN §3 headers, lower-case, all sec-*', () => {
    expect({ ...ALE_HEADERS }).toEqual({
      fingerprint: 'sec-fingerprint',
      iv: 'sec-iv',
      timestamp: 'sec-timestamp',
      alg: 'sec-alg',
      contentType: 'sec-content-type',
    });
    for (const name of Object.values(ALE_HEADERS)) expect(name.startsWith(ALE_HEADER_PREFIX)).toBe(true);
    expect(Object.isFrozen(ALE_HEADERS)).toBe(true);
  });
});
