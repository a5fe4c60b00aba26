import type { Server as NetServer } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { ServiceHost, createServiceRuntime, endpointOf, waitForRedisReady, type ServiceRuntimeOptions } from '@pos-link/platform';
import type { IngressConfig } from './ingress-config';
import { IngressModule } from './ingress.module';
import type { PesEventLog } from './store/pes-event-log';
import { createPesEventLog, createPesTransport } from './transport/create-pes-transport';

/** The service name: `app` label of logs and metrics, Redis client name. */
export const INGRESS_APP_NAME = 'event-stream-ingress';

/**
 * How long `listen` waits for Redis before opening `PES_PORT` anyway: POS terminals that connect
 * first would only get nack 5. Past it the listener opens regardless (events are nacked 5 until
 * Redis is back; `/health/ready` says 503 meanwhile) — a store outage must not stop the process.
 */
const REDIS_READY_WAIT_MS = 5_000;

/** Options of `createIngressApp` (the standalone process passes its shared in-memory seams here). */
export type IngressAppOptions = ServiceRuntimeOptions & {
  /** Where events go; default: the site's Redis stream, or memory when `REDIS_URL` is unset. */
  readonly eventLog?: PesEventLog;
};

/**
 * Builds the event-stream-ingress (does not listen; STYLE 7): a Nest microservice whose transport
 * strategy is the PES TCP listener on `PES_HOST:PES_PORT` (DESIGN §6), plus the ops server on
 * `OPS_PORT`. `listen()` binds both; `close()` drains the PES connections, then releases Redis.
 */
export async function createIngressApp(config: IngressConfig, options: IngressAppOptions = {}): Promise<ServiceHost> {
  const runtime = createServiceRuntime(INGRESS_APP_NAME, config, options);
  try {
    const eventLog =
      options.eventLog ??
      createPesEventLog({
        redis: runtime.redis ?? undefined,
        prefix: config.redisPrefix,
        siteId: config.siteId,
        dedupeTtlSeconds: config.pesDedupeTtlS,
      });
    const transport = createPesTransport({
      port: config.pesPort,
      host: config.pesHost,
      integratorKeyId: config.integratorKeyId,
      integratorSecretKey: config.integratorSecretKey,
      oaepHash: config.pesOaepHash,
      cipher: config.pesCipher,
      maxFrameBytes: config.pesMaxFrameBytes,
      handshakeTimeoutMs: config.pesHandshakeTimeoutMs,
      idleTimeoutMs: config.pesIdleTimeoutMs,
      maxConnections: config.pesMaxConnections,
      maxInFlight: config.pesMaxInFlight,
      eventLog,
      registry: runtime.registry,
      logger: runtime.logger,
    });
    const app = await NestFactory.createMicroservice<MicroserviceOptions>(IngressModule.forRoot(config, runtime.imports), {
      ...runtime.nestOptions,
      strategy: transport,
    });
    return new ServiceHost({
      name: INGRESS_APP_NAME,
      app,
      logger: runtime.logger,
      resources: runtime.resources,
      listenPublic: async () => {
        if (runtime.redis !== null && options.eventLog === undefined) {
          await waitForRedisReady(runtime.redis, REDIS_READY_WAIT_MS).catch((error: unknown) =>
            runtime.logger.warn({ event: 'IngressRedisNotReadyError', err: error }, 'PES listener opens before Redis is ready'),
          );
        }
        await app.listen();
        return [endpointOf('pes', 'tcp', transport.unwrap<NetServer>().address())];
      },
    });
  } catch (error) {
    await runtime.release();
    throw error;
  }
}
