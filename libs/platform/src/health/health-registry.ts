import { HttpException, Inject, Injectable } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorService, type HealthCheckResult, type HealthIndicatorFunction } from '@nestjs/terminus';
import { PlatformError } from '../errors/platform-error';
import { PLATFORM_ERROR_CODES } from '../errors/platform-error-codes';
import { OPS_OPTIONS, type OpsOptions } from './ops.tokens';
import type { ReadinessCheck } from './readiness-check';

/**
 * Kubernetes' default probe timeout is 1 s: each check gets a little less, so a hung dependency
 * answers 503 rather than a probe timeout.
 */
export const READINESS_CHECK_TIMEOUT_MS = 800;

/** Longest reason shown per failing check. */
const MAX_REASON_CHARS = 200;

/** The status and JSON body of a health endpoint. */
export interface HealthAnswer {
  readonly status: 200 | 503;
  readonly body: HealthCheckResult | { status: 'ok' };
}

function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const reason = typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
  return reason.slice(0, MAX_REASON_CHARS);
}

function withTimeout(check: ReadinessCheck): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new PlatformError(
            PLATFORM_ERROR_CODES.ERR_PLATFORM_HEALTH_CHECK_TIMEOUT,
            `no answer within ${READINESS_CHECK_TIMEOUT_MS} ms`,
          ),
        ),
      READINESS_CHECK_TIMEOUT_MS,
    );
  });
  return Promise.race([check.check(), timeout]).finally(() => clearTimeout(timer));
}

/**
 * The app's readiness checks, run through terminus' `HealthCheckService` (which also reports
 * `shutting_down` once Nest starts closing, so a draining replica leaves the load balancer first).
 */
@Injectable()
export class HealthRegistry {
  readonly #checks: ReadinessCheck[];
  readonly #health: HealthCheckService;
  readonly #indicators: HealthIndicatorService;
  readonly #logger: OpsOptions['logger'];
  #lastReady: boolean | undefined;

  constructor(
    @Inject(OPS_OPTIONS) options: OpsOptions,
    @Inject(HealthCheckService) health: HealthCheckService,
    @Inject(HealthIndicatorService) indicators: HealthIndicatorService,
  ) {
    this.#checks = [...(options.readiness ?? [])];
    this.#health = health;
    this.#indicators = indicators;
    this.#logger = options.logger;
  }

  /** Adds a readiness check (names must be unique). */
  addReadinessCheck(check: ReadinessCheck): void {
    if (this.#checks.some((c) => c.name === check.name)) {
      throw new TypeError(`readiness check "${check.name}" is already registered`);
    }
    this.#checks.push(check);
  }

  /** `/health/live`: the process answers, so it is alive. */
  live(): HealthAnswer {
    return { status: 200, body: { status: 'ok' } };
  }

  /** `/health/ready`: 200 when every readiness check passes, else 503 with each failing check's reason. */
  async ready(): Promise<HealthAnswer> {
    const indicators: HealthIndicatorFunction[] = this.#checks.map((check) => async () => {
      const session = this.#indicators.check(check.name);
      try {
        await withTimeout(check);
        return session.up();
      } catch (error) {
        return session.down({ reason: reasonOf(error) });
      }
    });
    let answer: HealthAnswer;
    try {
      answer = { status: 200, body: await this.#health.check(indicators) };
    } catch (error) {
      if (!(error instanceof HttpException)) throw error;
      answer = { status: 503, body: error.getResponse() as HealthCheckResult };
    }
    this.#logTransition(answer);
    return answer;
  }

  /** Logs when readiness flips (probes poll every few seconds: logging each answer would be noise). */
  #logTransition(answer: HealthAnswer): void {
    const ready = answer.status === 200;
    if (ready === this.#lastReady) return;
    this.#lastReady = ready;
    if (ready) this.#logger.info({ event: 'HealthReadinessChanged', ready }, 'ready');
    else this.#logger.warn({ event: 'HealthReadinessChanged', ready, health: answer.body }, 'not ready');
  }
}
