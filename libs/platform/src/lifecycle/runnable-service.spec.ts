import { endpointOf, formatEndpoints } from './runnable-service';

describe('endpointOf', () => {
  it('shows wildcard binds as the loopback address of their family', () => {
    expect(endpointOf('ops', 'http', { address: '0.0.0.0', family: 'IPv4', port: 9080 })).toEqual({
      name: 'ops',
      url: 'http://127.0.0.1:9080',
      port: 9080,
    });
    expect(endpointOf('http', 'http', { address: '::', family: 'IPv6', port: 8080 }).url).toBe('http://[::1]:8080');
    expect(endpointOf('pes', 'tcp', { address: '10.0.0.5', family: 'IPv4', port: 5555 }).url).toBe('tcp://10.0.0.5:5555');
  });

  it('refuses a server that is not listening on TCP (TypeError)', () => {
    expect(() => endpointOf('ops', 'http', null)).toThrow(TypeError);
  });
});

describe('formatEndpoints', () => {
  it('renders one aligned line per endpoint', () => {
    const text = formatEndpoints([
      { name: 'secure-gateway', endpoints: [
        { name: 'http', url: 'http://127.0.0.1:8080', port: 8080 },
        { name: 'ops', url: 'http://127.0.0.1:9080', port: 9080 },
      ] },
      { name: 'key-sync', endpoints: [{ name: 'ops', url: 'http://127.0.0.1:9081', port: 9081 }] },
    ]);
    expect(text).toBe(
      [
        '  secure-gateway  http   http://127.0.0.1:8080',
        '                  ops    http://127.0.0.1:9080',
        '  key-sync        ops    http://127.0.0.1:9081',
      ].join('\n'),
    );
  });
});
