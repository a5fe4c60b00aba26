import { IsEmpty, IsIn, IsString } from 'class-validator';
import { DEFAULT_DRAIN_TIMEOUT_MS, EnvVar, IsIntInRange, IsPort, LOG_LEVELS, type LogLevelName } from '@pos-link/platform';

/** An hour: a drain longer than this is a misconfiguration. */
const MAX_DRAIN_TIMEOUT_MS = 3_600_000;

/**
 * The variables of the standalone process itself. Every app variable applies as well (one
 * environment feeds all three apps), except `OPS_PORT`: three apps in one process need three ops
 * ports, so each has its own variable here.
 */
export class StandaloneConfig {
  /** `LOG_LEVEL` (shared with the apps). */
  @EnvVar({ name: 'LOG_LEVEL', kind: 'string', doc: 'pino log level of the process and of every app in it.' })
  @IsIn(LOG_LEVELS)
  logLevel: LogLevelName = 'info';

  /** `DRAIN_TIMEOUT_MS`: the whole process's drain budget on SIGTERM/SIGINT. */
  @EnvVar({
    name: 'DRAIN_TIMEOUT_MS',
    kind: 'integer',
    doc: 'On SIGTERM/SIGINT (Ctrl-C), how long all services together may drain before the process exits with status 1.',
  })
  @IsIntInRange(0, MAX_DRAIN_TIMEOUT_MS)
  drainTimeoutMs = DEFAULT_DRAIN_TIMEOUT_MS;

  /** `KEYSYNC_OPS_PORT`. */
  @EnvVar({ name: 'KEYSYNC_OPS_PORT', kind: 'integer', doc: "key-sync's ops port in standalone mode (its OPS_PORT)." })
  @IsPort()
  keySyncOpsPort = 9081;

  /** `GATEWAY_OPS_PORT`. */
  @EnvVar({ name: 'GATEWAY_OPS_PORT', kind: 'integer', doc: "secure-gateway's ops port in standalone mode (its OPS_PORT)." })
  @IsPort()
  gatewayOpsPort = 9080;

  /** `INGRESS_OPS_PORT`. */
  @EnvVar({ name: 'INGRESS_OPS_PORT', kind: 'integer', doc: "event-stream-ingress's ops port in standalone mode (its OPS_PORT)." })
  @IsPort()
  ingressOpsPort = 9082;

  /** `OPS_PORT` must stay unset: it would be ambiguous between the three apps. */
  @EnvVar({
    name: 'OPS_PORT',
    kind: 'string',
    doc: 'Not used in standalone mode (three apps, three ops ports): set KEYSYNC_OPS_PORT, GATEWAY_OPS_PORT, INGRESS_OPS_PORT.',
  })
  @IsEmpty({ message: 'is not used in standalone mode: set KEYSYNC_OPS_PORT, GATEWAY_OPS_PORT and INGRESS_OPS_PORT' })
  opsPort?: string;

  /** `DEMO_FILE`: where the demo mode tells `npm run demo` how to reach this process. */
  @EnvVar({
    name: 'DEMO_FILE',
    kind: 'string',
    doc: 'Demo mode (simulated Portal) only: the file (mode 0600, removed at shutdown) where `npm run demo` finds the endpoints and per-run demo credentials. Empty (default): pos-link-demo.json in the OS temp dir.',
  })
  @IsString()
  demoFile = '';
}
