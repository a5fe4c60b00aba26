import { Module, type DynamicModule } from '@nestjs/common';
import { IngressConfig } from './ingress-config';
import { INGRESS_CONFIG } from './ingress.tokens';

/**
 * The event-stream-ingress's root module. For now it wires the platform (logging, metrics, Redis,
 * ops) and the config; the PES transport (a custom transport strategy, STYLE 9) joins it later
 * (DESIGN §6).
 */
@Module({})
export class IngressModule {
  /**
   * @param config the loaded `IngressConfig`
   * @param platform the app instance's platform modules (`createServiceRuntime(...).imports`)
   */
  static forRoot(config: IngressConfig, platform: readonly DynamicModule[]): DynamicModule {
    return {
      module: IngressModule,
      imports: [...platform],
      providers: [{ provide: INGRESS_CONFIG, useValue: config }],
      exports: [INGRESS_CONFIG],
    };
  }
}
