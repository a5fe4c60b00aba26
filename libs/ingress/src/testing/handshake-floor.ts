import { randomUUID, type KeyObject } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import {
  buildRegisterClient,
  generateDek,
  importRsaPublicKey,
  pesAad,
  toAesKeyObject,
  type OaepHash,
  type PesCipherName,
} from '@pos-link/crypto';
import { PES_MAX_FRAME_BYTES_DEFAULT, PesFrameDecoder, encodePesFrame } from '@pos-link/protocol';

/** What the floor server needs: the handshake settings of the ingress it is compared with. */
export interface HandshakeFloorOptions {
  readonly oaepHash: OaepHash;
  readonly cipher: PesCipherName;
  /** UTF-8 of `{"key_id":…,"secret_key":…}`. */
  readonly credentials: Buffer;
  /** `source` of the envelopes sent. */
  readonly source: string;
  readonly host?: string;
}

interface FloorConnection {
  registerMsgId: string | undefined;
  dek: KeyObject | undefined;
}

/**
 * The floor of an ingress handshake, for the handshake benchmark (DESIGN §7): a bare `node:net` server
 * that runs the server side of the PES handshake (DESIGN §6 steps 1–3) with exactly the crypto calls
 * the ingress makes — `importRsaPublicKey`, `generateDek`, `buildRegisterClient`, the DEK as a
 * `KeyObject` — and nothing else: framing by the same decoder, `JSON.parse` without validation, both
 * answers in one write, `end` on the POS's FIN, no timers, logs, metrics, limits or error answers.
 * Anything unexpected destroys the socket. Not a server to run: a yardstick.
 */
export class HandshakeFloor {
  readonly #server: Server;
  readonly #options: HandshakeFloorOptions;
  #open = 0;
  #completed = 0;

  private constructor(server: Server, options: HandshakeFloorOptions) {
    this.#server = server;
    this.#options = options;
  }

  /** Listens on a free port of `options.host` (default 127.0.0.1). */
  static async listen(options: HandshakeFloorOptions): Promise<HandshakeFloor> {
    const server = createServer({ allowHalfOpen: true });
    const floor = new HandshakeFloor(server, options);
    server.on('connection', (socket) => floor.#accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: 0, host: options.host ?? '127.0.0.1', backlog: 4096 }, () => resolve());
    });
    return floor;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  /** Connections not yet closed. */
  get openConnections(): number {
    return this.#open;
  }

  /** Handshakes the POS acked. */
  get completed(): number {
    return this.#completed;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  #accept(socket: Socket): void {
    this.#open += 1;
    const decoder = new PesFrameDecoder({ maxFrameBytes: PES_MAX_FRAME_BYTES_DEFAULT });
    const connection: FloorConnection = { registerMsgId: undefined, dek: undefined };
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const body of decoder.push(chunk)) this.#onFrame(socket, connection, body);
      } catch {
        socket.destroy();
      }
    });
    socket.on('end', () => socket.end());
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.#open -= 1;
    });
  }

  #onFrame(socket: Socket, connection: FloorConnection, body: Buffer): void {
    const message = JSON.parse(body.toString('utf8')) as Record<string, string | undefined>;
    if (connection.registerMsgId === undefined) {
      if (message['msg_type'] !== 'init_client' || message['msg_data'] === undefined) throw new Error('not init_client');
      const publicKey = importRsaPublicKey(message['msg_data']);
      const dek = generateDek();
      const msgId = randomUUID();
      const { oaepHash, cipher, credentials, source } = this.#options;
      const msgData = buildRegisterClient({ publicKey, dek, oaepHash, cipher, aad: pesAad('register_client', msgId), credentials });
      connection.dek = toAesKeyObject(dek);
      dek.fill(0);
      connection.registerMsgId = msgId;
      const head = { source, version: '1.0' };
      const ack = JSON.stringify({ ...head, msg_id: message['msg_id'], msg_type: 'init_client', msg_resp: 'ack' });
      const request = JSON.stringify({ ...head, msg_id: msgId, msg_type: 'register_client', msg_data: msgData });
      socket.write(Buffer.concat([encodePesFrame(ack), encodePesFrame(request)]));
      return;
    }
    if (message['msg_type'] !== 'register_client' || message['msg_resp'] !== 'ack' || message['msg_id'] !== connection.registerMsgId) {
      throw new Error('not the register_client ack');
    }
    this.#completed += 1;
  }
}
