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
  type IngressProbeMemory,
  type IngressProbeOptions,
} from './testing/ingress-probe';
