import type { AddressInfo } from 'node:net';

/** One socket a service listens on, as bound (port 0 resolved to the real port). */
export interface ServiceEndpoint {
  /** What it serves, e.g. `http`, `ops`, `pes`. */
  readonly name: string;
  /** How to reach it from this machine, e.g. `http://127.0.0.1:9080`. */
  readonly url: string;
  /** The bound port. */
  readonly port: number;
}

/**
 * Something the composition roots start and stop: each app (`createGatewayApp` …) and, in the
 * standalone process, the simulators. `listen` binds every socket; `close` drains and releases
 * them, is idempotent, and is what the shutdown helper calls.
 */
export interface RunnableService {
  /** The service's name (`secure-gateway`, `key-sync`, `event-stream-ingress`, `portal-sim` …). */
  readonly name: string;
  /** Binds every listener; resolves with the endpoints actually bound. */
  listen(): Promise<readonly ServiceEndpoint[]>;
  /** Stops accepting, drains in-flight work, releases sockets and connections. Idempotent. */
  close(): Promise<void>;
}

/**
 * A bound address as a URL reachable from this machine: a wildcard bind (`0.0.0.0`, `::`) is shown
 * as the loopback of its family.
 */
export function endpointOf(name: string, scheme: string, address: AddressInfo | string | null): ServiceEndpoint {
  if (address === null || typeof address === 'string') {
    throw new TypeError(`endpointOf(${name}): the server is not listening on a TCP port`);
  }
  let host = address.address;
  if (host === '0.0.0.0') host = '127.0.0.1';
  else if (host === '::') host = '::1';
  const shown = host.includes(':') ? `[${host}]` : host;
  return { name, url: `${scheme}://${shown}:${address.port}`, port: address.port };
}

/** A readable block listing each service's endpoints, for humans at a terminal (standalone mode). */
export function formatEndpoints(services: ReadonlyArray<{ name: string; endpoints: readonly ServiceEndpoint[] }>): string {
  const width = Math.max(...services.map((s) => s.name.length), 8);
  const lines: string[] = [];
  for (const service of services) {
    service.endpoints.forEach((endpoint, i) => {
      const label = i === 0 ? service.name.padEnd(width) : ''.padEnd(width);
      lines.push(`  ${label}  ${endpoint.name.padEnd(6)} ${endpoint.url}`);
    });
  }
  return lines.join('\n');
}
