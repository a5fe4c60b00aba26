/**
 * Options of the device simulator, with their defaults.
 */
import { resolveBackoff, type BackoffOptions, type ResolvedBackoff } from './backoff';

/** The WebSocket subprotocol of SCI over WebSocket (seed 002: `Sec-WebSocket-Protocol: sci`). */
export const SCI_SUBPROTOCOL = 'sci';

/** The header naming the device (seed 002: `x-vfi-pinpad-id`). */
export const PINPAD_ID_HEADER = 'x-vfi-pinpad-id';

/** A connect attempt that gets no handshake answer in this time fails and is retried (a black-holed network). */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;

/** Requests kept by `handled()`; the oldest are dropped beyond this. */
export const DEFAULT_MAX_HANDLED = 1000;

/** TLS settings for `wss://` (mutual TLS: give `cert` and `key`). */
export interface DeviceTlsOptions {
  /** CA certificate(s) that sign the gateway's certificate. */
  readonly ca?: string | Buffer | ReadonlyArray<string | Buffer>;
  /** The terminal's client certificate (PEM). */
  readonly cert?: string | Buffer;
  /** Its private key (PEM). */
  readonly key?: string | Buffer;
  /** Passphrase of `key`. */
  readonly passphrase?: string;
  /** Verify the gateway's certificate; default true. */
  readonly rejectUnauthorized?: boolean;
  /** SNI / name to verify, when it differs from the URL's host. */
  readonly servername?: string;
}

/** Options of {@link startDeviceSim}. */
export interface DeviceSimOptions {
  /** The gateway's terminal URL, e.g. `ws://gw:8080/` or `wss://gw:8443/` (path `/` by default, DESIGN §5). */
  readonly url: string;
  /** The pinpad id sent as `x-vfi-pinpad-id`. */
  readonly pinpadId: string;
  /** TLS settings for `wss://`. */
  readonly tls?: DeviceTlsOptions;
  /**
   * Answer delays in ms by `FUNCTION_TYPE/COMMAND` (e.g. `PAYMENT/SALE`), by `FUNCTION_TYPE` (e.g.
   * `PAYMENT`), or `*` for every other request; default none.
   */
  readonly delays?: Readonly<Record<string, number>>;
  /** Reconnect backoff. */
  readonly backoff?: BackoffOptions;
  /** Connect attempt timeout, ms; default 10000. */
  readonly handshakeTimeoutMs?: number;
  /** Extra upgrade headers. */
  readonly headers?: Readonly<Record<string, string>>;
  /** How many handled requests to keep; default 1000. */
  readonly maxHandled?: number;
  /** Clock (payment date/time); default `Date.now`. */
  readonly now?: () => number;
  /** Random source for the backoff jitter; default `Math.random`. */
  readonly random?: () => number;
}

/** Options with defaults applied. */
export interface ResolvedDeviceSimOptions {
  readonly url: URL;
  readonly pinpadId: string;
  readonly tls: DeviceTlsOptions;
  readonly delays: Map<string, number>;
  readonly backoff: ResolvedBackoff;
  readonly handshakeTimeoutMs: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly maxHandled: number;
  readonly now: () => number;
  readonly random: () => number;
}

function nonNegativeInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new TypeError(`${name} must be a non-negative integer`);
  return value;
}

/** Checks a delay table and returns it as a map. */
export function resolveDelays(delays: Readonly<Record<string, number>> = {}): Map<string, number> {
  const map = new Map<string, number>();
  for (const [key, ms] of Object.entries(delays)) map.set(key.toUpperCase(), nonNegativeInteger(ms, `delays["${key}"]`));
  return map;
}

/**
 * Applies the defaults and checks the values.
 * @throws TypeError for a missing or malformed option
 */
export function resolveDeviceSimOptions(options: DeviceSimOptions): ResolvedDeviceSimOptions {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new TypeError('url must be a ws:// or wss:// URL');
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new TypeError('url must be a ws:// or wss:// URL');
  if (typeof options.pinpadId !== 'string' || !/^[\x21-\x7e]{1,128}$/.test(options.pinpadId)) {
    throw new TypeError('pinpadId must be 1-128 visible ASCII characters');
  }
  return {
    url,
    pinpadId: options.pinpadId,
    tls: options.tls ?? {},
    delays: resolveDelays(options.delays),
    backoff: resolveBackoff(options.backoff),
    handshakeTimeoutMs: nonNegativeInteger(options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS, 'handshakeTimeoutMs'),
    headers: options.headers ?? {},
    maxHandled: nonNegativeInteger(options.maxHandled ?? DEFAULT_MAX_HANDLED, 'maxHandled'),
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
  };
}

/** The delay for a command: exact `FUNCTION_TYPE/COMMAND`, then `FUNCTION_TYPE`, then `*`, else 0. */
export function delayFor(delays: ReadonlyMap<string, number>, command: string | undefined): number {
  if (command !== undefined) {
    const exact = delays.get(command);
    if (exact !== undefined) return exact;
    const byType = delays.get(command.split('/')[0] ?? '');
    if (byType !== undefined) return byType;
  }
  return delays.get('*') ?? 0;
}
