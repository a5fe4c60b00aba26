import { Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthRegistry } from './health-registry';
import { OpsServer } from './ops-server';
import { OPS_OPTIONS, type OpsOptions } from './ops.tokens';

/**
 * Health and metrics on the ops port (DESIGN §7/§8). Import it once, in the app's root module;
 * it exports `OpsServer` (the app calls `listen()`) and `HealthRegistry` (to add readiness checks).
 * Terminus' own logger is off: readiness changes are logged once each through the app's logger.
 */
@Module({})
export class OpsModule {
  /** @param options host, port, registry, logger and initial readiness checks */
  static forRoot(options: OpsOptions): DynamicModule {
    return {
      module: OpsModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      providers: [{ provide: OPS_OPTIONS, useValue: options }, HealthRegistry, OpsServer],
      exports: [HealthRegistry, OpsServer],
    };
  }
}
