/** Injection token of the loaded `GatewayConfig`. */
export const GATEWAY_CONFIG = Symbol('pos-link:gateway-config');
