/**
 * Options of the kitchen simulator and their defaults, each with the reason next to it.
 */

/** EK sends its `isAlive?` heartbeat every second (seed 000 / DESIGN §4 `ALE_WS_HEARTBEAT_MS`). */
export const DEFAULT_HEARTBEAT_MS = 1000;

/** The plaintext EK heartbeat frame (DESIGN §4). */
export const KITCHEN_HEARTBEAT_TEXT = 'isAlive?';

/**
 * Requests and WebSocket messages kept for inspection. Benchmarks push far more through the simulator;
 * the oldest records are dropped so memory stays bounded. `0` turns recording off.
 */
export const DEFAULT_MAX_RECORDED = 10_000;

/**
 * Largest request body or WebSocket message accepted (16 MiB): far above the gateway's own
 * `ALE_MAX_BODY_BYTES` default (1 MiB), so the simulator never is the limit under test.
 */
export const KITCHEN_MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Options of {@link startKitchenSim}. */
export interface KitchenSimOptions {
  /** Listen port; default 0 (ephemeral). */
  readonly port?: number;
  /** Listen address; default `127.0.0.1`. */
  readonly host?: string;
  /** Interval of the `isAlive?` frame sent to every WebSocket connection; default 1000, `0` = off. */
  readonly heartbeatMs?: number;
  /** Interval of scheduled kitchen events (bump / item-ready / recall) to every connected site; default 0 = off. */
  readonly eventIntervalMs?: number;
  /** Echo every WebSocket text message back to its sender (round-trip benchmarks); default false. */
  readonly wsEcho?: boolean;
  /** How many requests and WebSocket messages to keep (oldest dropped); default 10000, `0` = none. */
  readonly maxRecorded?: number;
}

/** Options with defaults applied. */
export interface ResolvedKitchenSimOptions {
  readonly port: number;
  readonly host: string;
  readonly heartbeatMs: number;
  readonly eventIntervalMs: number;
  readonly wsEcho: boolean;
  readonly maxRecorded: number;
}

function nonNegativeInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 0) throw new TypeError(`${name} must be a non-negative integer`);
  return value;
}

/**
 * Applies the defaults and checks the values.
 * @throws TypeError for a value of the wrong type or range (programmer misuse)
 */
export function resolveKitchenSimOptions(options: KitchenSimOptions = {}): ResolvedKitchenSimOptions {
  if (options.host !== undefined && (typeof options.host !== 'string' || options.host === '')) {
    throw new TypeError('host must be a non-empty string');
  }
  if (options.wsEcho !== undefined && typeof options.wsEcho !== 'boolean') throw new TypeError('wsEcho must be a boolean');
  const port = nonNegativeInteger(options.port, 0, 'port');
  if (port > 65535) throw new TypeError('port must be at most 65535');
  return {
    port,
    host: options.host ?? '127.0.0.1',
    heartbeatMs: nonNegativeInteger(options.heartbeatMs, DEFAULT_HEARTBEAT_MS, 'heartbeatMs'),
    eventIntervalMs: nonNegativeInteger(options.eventIntervalMs, 0, 'eventIntervalMs'),
    wsEcho: options.wsEcho ?? false,
    maxRecorded: nonNegativeInteger(options.maxRecorded, DEFAULT_MAX_RECORDED, 'maxRecorded'),
  };
}
