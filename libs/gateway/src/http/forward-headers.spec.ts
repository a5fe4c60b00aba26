import { answerHeaders, forwardRequestHeaders } from './forward-headers';

describe('forwardRequestHeaders', () => {
  const incoming = {
    host: 'gateway:8080',
    connection: 'keep-alive, x-hop',
    'x-hop': 'drop me',
    'keep-alive': 'timeout=5',
    'content-length': '1333',
    'transfer-encoding': 'chunked',
    expect: '100-continue',
    authorization: 'Bearer t',
    'content-type': 'application/json',
    'accept-encoding': 'gzip',
    'sec-fingerprint': 'fp',
    'sec-iv': 'iv',
    'sec-anything': 'x',
    'x-site-id': 'spoofed',
    'x-request-id': 'r-1',
    'set-cookie': ['a=1', 'b=2'],
  };

  it('drops hop-by-hop, re-derived and sec-* headers, keeps the rest untouched and sets x-site-id', () => {
    expect(forwardRequestHeaders(incoming, 'store-1', true)).toEqual({
      authorization: 'Bearer t',
      'content-type': 'application/json',
      'x-request-id': 'r-1',
      'set-cookie': ['a=1', 'b=2'],
      'x-site-id': 'store-1',
    });
  });

  it('keeps accept-encoding for plaintext sites only (sealed answers must not be compressed)', () => {
    expect(forwardRequestHeaders(incoming, 'plain', false)['accept-encoding']).toBe('gzip');
  });
});

describe('answerHeaders', () => {
  const upstream = {
    'content-type': 'application/json',
    'content-length': '42',
    'content-encoding': 'identity',
    connection: 'keep-alive',
    'keep-alive': 'timeout=5',
    'transfer-encoding': 'chunked',
    'sec-iv': 'kitchen must not set this',
    'cache-control': 'no-store',
    date: 'Sun, 22 Nov 2026 00:00:00 GMT',
  };

  it('passes the kitchen headers minus hop-by-hop, content-length and sec-*', () => {
    expect(answerHeaders(upstream, false)).toEqual({
      'content-type': 'application/json',
      'content-encoding': 'identity',
      'cache-control': 'no-store',
      date: 'Sun, 22 Nov 2026 00:00:00 GMT',
    });
  });

  it('drops content-type and content-encoding for a sealed answer (they describe the plaintext)', () => {
    expect(answerHeaders(upstream, true)).toEqual({ 'cache-control': 'no-store', date: 'Sun, 22 Nov 2026 00:00:00 GMT' });
  });
});
