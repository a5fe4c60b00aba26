import { Module, type DynamicModule } from '@nestjs/common';
import { AleModule, type GatewaySeams } from './ale/ale.module';
import { GatewayConfig } from './gateway-config';
import { GATEWAY_CONFIG } from './gateway.tokens';
import { RelayModule } from './relay/relay.module';
import { AleHttpModule } from './http/ale-http.module';
import { UpgradeModule } from './upgrade/upgrade.module';
import { AleWsModule, type AleWsSeams } from './ws/ale-ws.module';

/**
 * The secure-gateway's root module: the platform (logging, metrics, Redis, ops), the config, the ALE
 * verification core (`AleModule`, built once and shared by every transport) and the ALE HTTP proxy
 * (DESIGN §3, §7); the WebSocket endpoints and the terminal relay join it (DESIGN §4–§5).
 */
@Module({})
export class GatewayModule {
  /**
   * @param config the loaded `GatewayConfig`
   * @param platform the app instance's platform modules (`createServiceRuntime(...).imports`)
   * @param seams standalone/test replacements (shared key store, replay store, clock)
   */
  static forRoot(config: GatewayConfig, platform: readonly DynamicModule[], seams: GatewaySeams & AleWsSeams = {}): DynamicModule {
    const ale = AleModule.forRoot(config, platform, seams);
    return {
      module: GatewayModule,
      imports: [...platform, UpgradeModule, ale, AleHttpModule.forRoot(config, ale, platform), AleWsModule.forRoot(config, ale, platform, seams), RelayModule.forRoot(config, ale, platform)],
      providers: [{ provide: GATEWAY_CONFIG, useValue: config }],
      exports: [GATEWAY_CONFIG],
    };
  }
}
