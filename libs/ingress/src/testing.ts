/**
 * `@pos-link/ingress/testing`: helpers for tests of this lib and its consumers (STYLE 2); never
 * imported by production code.
 */
export { ControllableEventLog } from './testing/controllable-event-log';
export { RecordingSessionIo } from './testing/recording-io';
export {
  INGRESS_PROBE_ARG,
  IngressProbe,
  isIngressProbeChild,
  runIngressProbeChild,
  type IngressProbeHandshakes,
  type IngressProbeMemory,
  type IngressProbeOptions,
  type IngressProbeSubject,
} from './testing/ingress-probe';
export { HandshakeFloor, type HandshakeFloorOptions } from './testing/handshake-floor';
