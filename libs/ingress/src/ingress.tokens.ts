/** Injection token of the loaded `IngressConfig`. */
export const INGRESS_CONFIG = Symbol('pos-link:ingress-config');
