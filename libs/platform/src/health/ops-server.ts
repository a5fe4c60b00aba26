import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { endpointOf, type ServiceEndpoint } from '../lifecycle/runnable-service';
import { HealthRegistry, type HealthAnswer } from './health-registry';
import { OPS_OPTIONS, type OpsOptions } from './ops.tokens';

/** Ops requests are tiny; a slow client must not hold a socket (node:http defaults are minutes). */
const OPS_REQUEST_TIMEOUT_MS = 5_000;

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * The ops HTTP server (DESIGN §3/§8): `GET /health/live`, `GET /health/ready`, `GET /metrics` on
 * `OPS_PORT`, never on the public port. A plain `node:http` server so that it shares nothing with
 * the public listener (no body parsing, hooks or limits of the gateway apply to it).
 *
 * It does not bind on its own: the app calls `listen()` after its public listeners are up (so a
 * replica is never "ready" before it can serve), and it closes last, on `onApplicationShutdown`,
 * so probes see `/health/ready` answer 503 `shutting_down` while the app drains.
 */
@Injectable()
export class OpsServer implements OnApplicationShutdown {
  readonly #options: OpsOptions;
  readonly #health: HealthRegistry;
  readonly #server: Server;

  constructor(@Inject(OPS_OPTIONS) options: OpsOptions, @Inject(HealthRegistry) health: HealthRegistry) {
    this.#options = options;
    this.#health = health;
    this.#server = createServer({ requestTimeout: OPS_REQUEST_TIMEOUT_MS, headersTimeout: OPS_REQUEST_TIMEOUT_MS }, (req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        options.logger.error({ event: 'OpsRequestError', err: error }, 'ops request failed');
        if (!res.headersSent) this.#send(res, 500, JSON_TYPE, '{"error":"internal"}');
        else res.destroy();
      });
    });
  }

  /** Binds `OPS_HOST:OPS_PORT`; resolves with the bound endpoint. */
  async listen(): Promise<ServiceEndpoint> {
    if (!this.#server.listening) {
      this.#server.listen(this.#options.port, this.#options.host);
      await once(this.#server, 'listening');
    }
    return this.endpoint();
  }

  /** The bound endpoint (throws `TypeError` before `listen`). */
  endpoint(): ServiceEndpoint {
    return endpointOf('ops', 'http', this.#server.address());
  }

  /** Closes the listener and its connections (ops requests are short; none is worth waiting for). */
  async onApplicationShutdown(): Promise<void> {
    if (!this.#server.listening) return;
    const closed = once(this.#server, 'close');
    this.#server.close();
    this.#server.closeAllConnections();
    await closed;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return this.#send(res, 405, JSON_TYPE, '{"error":"method_not_allowed"}');
    }
    const path = (req.url ?? '/').split('?', 1)[0];
    switch (path) {
      case '/health/live':
        return this.#sendHealth(res, this.#health.live());
      case '/health/ready':
        return this.#sendHealth(res, await this.#health.ready());
      case '/metrics': {
        const registry = this.#options.registry;
        return this.#send(res, 200, registry.contentType, await registry.metrics());
      }
      default:
        return this.#send(res, 404, JSON_TYPE, '{"error":"not_found"}');
    }
  }

  #sendHealth(res: ServerResponse, answer: HealthAnswer): void {
    this.#send(res, answer.status, JSON_TYPE, JSON.stringify(answer.body));
  }

  #send(res: ServerResponse, status: number, type: string, body: string): void {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
    res.end(res.req.method === 'HEAD' ? undefined : body);
  }
}
