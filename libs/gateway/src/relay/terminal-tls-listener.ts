/**
 * The TLS listener for terminals (`TERMINAL_PORT`, DESIGN §5: "over TLS (`wss`) with optional mutual
 * TLS"). It exists only when `TLS_CERT` and `TLS_KEY` are set, serves nothing but terminal handshakes
 * (anything else: 404 JSON), and with `TERMINAL_TLS_CA` set requires a client certificate signed by
 * that CA — a peer without one never completes the TLS handshake, so it reaches no HTTP parser at all.
 * POS clients keep using the public HTTP port (TLS for them is the load balancer's, DESIGN §3).
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { rejectUpgrade } from '../upgrade/reject-upgrade';
import { UPGRADE_NOT_FOUND_BODY } from '../upgrade/upgrade-router';
import type { RelayTelemetry } from './relay-telemetry';
import type { TerminalEndpoint } from './terminal-endpoint';

/** PEM material of the listener. */
export interface TerminalTlsMaterial {
  /** The gateway's certificate chain (`TLS_CERT`). */
  readonly cert: Buffer;
  /** Its private key (`TLS_KEY`). */
  readonly key: Buffer;
  /** The CA that signs terminal certificates (`TERMINAL_TLS_CA`); mutual TLS when given. */
  readonly ca?: Buffer;
}

/** Oldest TLS version accepted: TLS 1.0/1.1 are deprecated (RFC 8996). */
const MIN_TLS_VERSION = 'TLSv1.2';

/** A TLS handshake that takes longer than this is dropped (slowloris on the terminal port). */
const HANDSHAKE_TIMEOUT_MS = 10_000;

/** The HTTPS server terminals connect to. */
export class TerminalTlsListener {
  readonly #server: Server;

  /**
   * @param material certificate, key and optional client CA
   * @param endpoint where terminal handshakes go
   * @param telemetry counts failed TLS handshakes (e.g. no or a foreign client certificate)
   */
  constructor(material: TerminalTlsMaterial, endpoint: TerminalEndpoint, telemetry: RelayTelemetry) {
    const mutual = material.ca !== undefined;
    this.#server = createServer(
      {
        cert: material.cert,
        key: material.key,
        ca: material.ca,
        requestCert: mutual,
        rejectUnauthorized: mutual,
        minVersion: MIN_TLS_VERSION,
        handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
      },
      (_req, res) => {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify(UPGRADE_NOT_FOUND_BODY));
      },
    );
    this.#server.on('upgrade', (req, socket, head: Buffer) => {
      if (endpoint.matches(req)) endpoint.handle(req, socket, head, true);
      else rejectUpgrade(socket, 404, UPGRADE_NOT_FOUND_BODY);
    });
    // Under mutual TLS this is where a missing or foreign client certificate ends (DESIGN §5).
    this.#server.on('tlsClientError', (error: Error & { code?: string }, socket) => {
      telemetry.terminalTlsFailed(socket.remoteAddress, error.code);
      socket.destroy();
    });
  }

  /** Binds `host:port`; resolves with the bound address. */
  async listen(port: number, host: string): Promise<AddressInfo> {
    this.#server.listen(port, host);
    await once(this.#server, 'listening');
    return this.#server.address() as AddressInfo;
  }

  /** Stops accepting and closes the remaining sockets (terminal connections are closed by the relay first). */
  async close(): Promise<void> {
    if (!this.#server.listening) return;
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }
}
