/**
 * Messages between gateway replicas (DESIGN §5: "a POS on any replica reaches a device on any other"),
 * one JSON object per pub/sub message on the receiving replica's channel:
 *
 * | `t` | from → to | meaning |
 * |---|---|---|
 * | `req` | POS's replica → terminal's | relay `xml` (already checked and classified) for POS `client` |
 * | `ack` | terminal's → POS's | `req` `id` arrived; its answer follows (else the POS's replica answers DEVICE_OFFLINE) |
 * | `res` | terminal's → POS's | the answer to `id`: the terminal's `xml`, or the synthesized answer `syn` |
 * | `rel` | POS's → terminal's | POS `client` disconnected: end its session ownership |
 * | `drop` | new holder's → old holder's | a newer connection took the terminal over: close connection `conn` |
 *
 * Redis is inside the trust boundary, but a message is still checked field by field before use: a bad
 * one is dropped with `ERR_GATEWAY_RELAY_MESSAGE_INVALID`, never half-applied.
 */
import { SCI_SECONDARY_FUNCTION_TYPE, type SciCommandKind } from '@pos-link/protocol';
import { GatewayError } from '../errors/gateway-error';
import { isSynthesizedName, type SynthesizedName } from './synthesized-responses';

/** A request forwarded to the terminal's replica. */
export interface RelayRequestMessage {
  readonly t: 'req';
  readonly id: string;
  /** The POS's replica (where `ack`/`res` go). */
  readonly from: string;
  readonly client: string;
  readonly site: string;
  readonly pinpad: string;
  readonly kind: SciCommandKind;
  /** `FUNCTION_TYPE`, upper-cased. */
  readonly ft: string;
  /** `COMMAND`, upper-cased. */
  readonly cmd: string;
  readonly xml: string;
}

/** Receipt of a forwarded request. */
export interface RelayAckMessage {
  readonly t: 'ack';
  readonly id: string;
}

/** The answer to a forwarded request. */
export interface RelayResponseMessage {
  readonly t: 'res';
  readonly id: string;
  /** The terminal's document, when it answered. */
  readonly xml?: string;
  /** The synthesized answer, when the relay answered. */
  readonly syn?: SynthesizedName;
}

/** A POS client disconnected. */
export interface RelayReleaseMessage {
  readonly t: 'rel';
  readonly client: string;
}

/** A terminal connection was taken over. */
export interface RelayDropMessage {
  readonly t: 'drop';
  readonly site: string;
  readonly pinpad: string;
  readonly conn: string;
}

/** Any relay message. */
export type RelayMessage = RelayRequestMessage | RelayAckMessage | RelayResponseMessage | RelayReleaseMessage | RelayDropMessage;

const KINDS: ReadonlySet<string> = new Set<SciCommandKind>(['session-start', 'session-finish', 'secondary', 'primary']);

function invalid(): never {
  throw new GatewayError('ERR_GATEWAY_RELAY_MESSAGE_INVALID');
}

function str(value: unknown): string {
  return typeof value === 'string' && value !== '' ? value : invalid();
}

/**
 * Reads one message.
 * @throws GatewayError `ERR_GATEWAY_RELAY_MESSAGE_INVALID` for anything but the shapes above
 */
export function parseRelayMessage(text: string): RelayMessage {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    invalid();
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) invalid();
  const m = raw as Record<string, unknown>;
  switch (m['t']) {
    case 'req': {
      const kind = str(m['kind']);
      if (!KINDS.has(kind)) invalid();
      const ft = str(m['ft']);
      // The classification must agree with the command it claims to classify.
      if ((kind === 'secondary') !== (ft === SCI_SECONDARY_FUNCTION_TYPE)) invalid();
      return {
        t: 'req',
        id: str(m['id']),
        from: str(m['from']),
        client: str(m['client']),
        site: str(m['site']),
        pinpad: str(m['pinpad']),
        kind: kind as SciCommandKind,
        ft,
        cmd: str(m['cmd']),
        xml: str(m['xml']),
      };
    }
    case 'ack':
      return { t: 'ack', id: str(m['id']) };
    case 'res': {
      const id = str(m['id']);
      if (m['syn'] !== undefined) {
        if (!isSynthesizedName(m['syn'])) invalid();
        return { t: 'res', id, syn: m['syn'] };
      }
      return { t: 'res', id, xml: str(m['xml']) };
    }
    case 'rel':
      return { t: 'rel', client: str(m['client']) };
    case 'drop':
      return { t: 'drop', site: str(m['site']), pinpad: str(m['pinpad']), conn: str(m['conn']) };
    default:
      return invalid();
  }
}

/** Writes one message. */
export function encodeRelayMessage(message: RelayMessage): string {
  return JSON.stringify(message);
}
