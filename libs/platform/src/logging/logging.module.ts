import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_LOGGER } from './logging.tokens';

/**
 * Provides `APP_LOGGER` (the app instance's pino logger from `createLogger`). Inject it with
 * `@Inject(APP_LOGGER)` rather than using Nest's static `Logger`: that one is process-wide, and
 * the standalone process runs three apps, each with its own `app` binding.
 */
@Module({})
export class LoggingModule {
  /** @param logger the app instance's logger */
  static forRoot(logger: Logger): DynamicModule {
    return {
      module: LoggingModule,
      providers: [{ provide: APP_LOGGER, useValue: logger }],
      exports: [APP_LOGGER],
    };
  }
}
