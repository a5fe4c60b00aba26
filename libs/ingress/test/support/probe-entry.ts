/** The probe's child for `ingress-probe-process.spec.ts` (bundled by the test). */
import { isIngressProbeChild, runIngressProbeChild } from '../../src/testing/ingress-probe';

if (isIngressProbeChild()) void runIngressProbeChild();
