import { Module, type DynamicModule } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { METRICS_REGISTRY } from './metrics.tokens';

/**
 * Provides `METRICS_REGISTRY` (the app instance's registry, built by `createMetricsRegistry`) to the
 * module that imports it; import it where metrics are registered — it is not global.
 */
@Module({})
export class MetricsModule {
  /** @param registry the app instance's registry */
  static forRoot(registry: Registry): DynamicModule {
    return {
      module: MetricsModule,
      providers: [{ provide: METRICS_REGISTRY, useValue: registry }],
      exports: [METRICS_REGISTRY],
    };
  }
}
