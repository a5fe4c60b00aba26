import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ServiceHost, createServiceRuntime, endpointOf, type ServiceRuntimeOptions } from '@pos-link/platform';
import type { GatewaySeams } from './ale/ale.module';
import type { GatewayConfig } from './gateway-config';
import { GatewayModule } from './gateway.module';
import { httpServerOptions } from './http/http-server-options';
import { RelayHost } from './relay/relay.module';
import type { AleWsSeams } from './ws/ale-ws.module';

/** The service name: `app` label of logs and metrics, Redis client name. */
export const GATEWAY_APP_NAME = 'secure-gateway';

/**
 * Options of `createGatewayApp`: the runtime's (logger) and the seams the standalone process passes to
 * share its in-memory stores (`keyStore` shared with key-sync, `replayStore`), plus a `clock` for tests.
 */
export type GatewayAppOptions = ServiceRuntimeOptions & GatewaySeams & AleWsSeams;

/**
 * Builds the secure-gateway (does not listen; STYLE 7): a Nest application on the fastify
 * adapter whose public listener is `HTTP_HOST:HTTP_PORT` and whose ops server is `OPS_PORT`.
 * Call `listen()` to bind both, `close()` to drain and release everything.
 */
export async function createGatewayApp(config: GatewayConfig, options: GatewayAppOptions = {}): Promise<ServiceHost> {
  const runtime = createServiceRuntime(GATEWAY_APP_NAME, config, options);
  try {
    const app = await NestFactory.create<NestFastifyApplication>(
      GatewayModule.forRoot(config, runtime.imports, options),
      new FastifyAdapter(httpServerOptions(config)),
      runtime.nestOptions,
    );
    return new ServiceHost({
      name: GATEWAY_APP_NAME,
      app,
      logger: runtime.logger,
      resources: runtime.resources,
      listenPublic: async () => {
        await app.listen({ port: config.httpPort, host: config.httpHost });
        // The terminals' TLS listener (DESIGN §5), when TLS_CERT/TLS_KEY are set.
        return [endpointOf('http', 'http', app.getHttpServer().address()), ...(await app.get(RelayHost, { strict: false }).listen())];
      },
    });
  } catch (error) {
    await runtime.release();
    throw error;
  }
}
