/**
 * The terminals' WebSocket endpoint (DESIGN §5, seed 002): handshakes offering `Sec-WebSocket-Protocol:
 * sci` are checked (`admitTerminal`), refused with the JSON answer of `RELAY_REFUSALS`, or upgraded
 * with `sci` echoed in the 101 and handed to the relay. Plugged into the gateway's `UpgradeRouter` for the
 * public port, and into the TLS listener of `TERMINAL_PORT` when terminal TLS is configured.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { relayRefusalOf } from '../errors/wire-answers';
import { rejectUpgrade } from '../upgrade/reject-upgrade';
import { offersSubprotocol } from '../upgrade/upgrade-matchers';
import type { UpgradeHandler } from '../upgrade/upgrade-router';
import type { RelayTelemetry } from './relay-telemetry';
import { admitTerminal, pinpadIdOf, type TerminalAdmissionOptions } from './terminal-admission';
import type { TerminalRelay } from './terminal-relay';

/** The WebSocket subprotocol of SCI (seed 002), echoed in the 101 answer. */
export const SCI_SUBPROTOCOL = 'sci';

/**
 * Upgrade handlers are tried by priority: terminals are told apart by their subprotocol, which is more
 * specific than any path-based POS endpoint, so they go first.
 */
export const TERMINAL_UPGRADE_PRIORITY = 100;

/**
 * Terminal messages are capped at the parser level (`RELAY_MAX_XML_BYTES`, answered DEVICE_RESPONSE_INVALID);
 * the frame limit sits above it so an oversized answer is reported, not a dropped connection — and still
 * bounds memory.
 */
const FRAME_LIMIT_FACTOR = 4;

/** Options of {@link TerminalEndpoint}. */
export interface TerminalEndpointOptions extends TerminalAdmissionOptions {
  /** The relay terminals are handed to. */
  readonly relay: TerminalRelay;
  /** Logs and metrics. */
  readonly telemetry: RelayTelemetry;
  /** `RELAY_MAX_XML_BYTES`. */
  readonly maxXmlBytes: number;
}

/** Accepts terminal connections. */
export class TerminalEndpoint {
  readonly #o: TerminalEndpointOptions;
  readonly #wss: WebSocketServer;

  /** @param options admission rules, the relay and telemetry */
  constructor(options: TerminalEndpointOptions) {
    this.#o = options;
    this.#wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: options.maxXmlBytes * FRAME_LIMIT_FACTOR,
      handleProtocols: (offered) => (offered.has(SCI_SUBPROTOCOL) ? SCI_SUBPROTOCOL : false),
    });
  }

  /** Whether a handshake is a terminal's (offers `sci`). */
  matches(req: IncomingMessage): boolean {
    return offersSubprotocol(req, SCI_SUBPROTOCOL);
  }

  /**
   * Checks and upgrades (or refuses) one terminal handshake.
   * @param secure whether it arrived over TLS (`TERMINAL_PORT`)
   */
  handle(req: IncomingMessage, socket: Duplex, head: Buffer, secure: boolean): void {
    const admitted = admitTerminal(req, secure, this.#o);
    const remote = req.socket.remoteAddress;
    if (typeof admitted === 'string') {
      this.#o.telemetry.terminalRefused(admitted, remote, pinpadIdOf(req));
      const refusal = relayRefusalOf(admitted);
      rejectUpgrade(socket, refusal.status, refusal.body);
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#o.relay.attach(ws, { ...admitted, remote, tls: secure }));
  }

  /** The handler for the public port's `UpgradeRouter` (plain HTTP). */
  upgradeHandler(): UpgradeHandler {
    return {
      name: 'terminal-relay',
      priority: TERMINAL_UPGRADE_PRIORITY,
      matches: (req) => this.matches(req),
      handle: (req, socket, head) => this.handle(req, socket, head, false),
    };
  }
}
