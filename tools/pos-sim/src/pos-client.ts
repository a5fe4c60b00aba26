import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import {
  isCryptoError,
  openRegisterClient,
  pesAad,
  pesDecrypt,
  pesEncrypt,
  type OaepHash,
  type PesCipherName,
  type RegisterClientContents,
} from '@pos-link/crypto';
import {
  encodePesEnvelope,
  parsePesFrame,
  PesFrameDecoder,
  type PesEnvelope,
  type PesEnvelopeInit,
} from '@pos-link/protocol';
import { POS_REGISTER_NACK, type IntegratorValidator } from './integrator-validator';
import type { PosKeyPair } from './rsa-keys';
import type { PosEvent } from './scenario';

/** The POS waits this long for the ingress's side of the handshake (mirrors the ingress's 10 s). */
export const POS_HANDSHAKE_TIMEOUT_MS_DEFAULT = 10_000;

/** The `msg_data` of the POS's `register_client` ack (the vectors' form), when it sends one. */
const REGISTERED_BODY = JSON.stringify({ code: 0, message: 'registered' });

/** Options of {@link PosClient.connect}. */
export interface PosClientOptions {
  readonly port: number;
  /** Default `127.0.0.1`. */
  readonly host?: string;
  /** This connection's RSA pair (seed 003: fresh per connection; a pool in load tests). */
  readonly keyPair: PosKeyPair;
  /** The POS's integrator check (online / 30-day offline cache), shared by its connections. */
  readonly validator: IntegratorValidator;
  /** Must match the ingress's `PES_CIPHER` (no negotiation); default `aes-256-gcm`. */
  readonly cipher?: PesCipherName;
  /** OAEP hash to open `register_client` with; `auto` (default) tries SHA-256, then SHA-1. */
  readonly oaepHash?: OaepHash | 'auto';
  /** `source` of the POS's envelopes; default `pos-sim`. */
  readonly source?: string;
  /** Default {@link POS_HANDSHAKE_TIMEOUT_MS_DEFAULT}. */
  readonly handshakeTimeoutMs?: number;
  /** Send the `register_client` ack with an encrypted `{"code":0,…}` (default) or with no `msg_data`. */
  readonly ackWithData?: boolean;
}

/** How the handshake ended. */
export type PosHandshakeResult =
  | { readonly ok: true; readonly mode: 'online' | 'offline' }
  | { readonly ok: false; readonly reason: 'refused'; readonly code: number; readonly message: string }
  | { readonly ok: false; readonly reason: 'closed' | 'timeout' | 'protocol' };

/** The ingress's answer to one event. */
export interface PosAnswer {
  readonly msgId: string;
  readonly msgType: string;
  readonly resp: 'ack' | 'nack';
  /** The nack's code (DESIGN §6 table), from its decrypted `msg_data`. */
  readonly code?: number;
  readonly message?: string;
}

interface Waiter {
  readonly resolve: (envelope: PesEnvelope) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout | undefined;
}

/**
 * ONE POS connection to the ingress, the POS side of DESIGN §6: sends `init_client` with its public
 * key, opens `register_client`, validates the integrator, acks (or nacks and closes), then sends
 * encrypted events and reads the answers. A real TCP peer; also the building block of tests that need
 * to send hand-made frames (`sendEnvelope`, `sendRaw`, `nextFrame`).
 */
export class PosClient {
  readonly #socket: Socket;
  readonly #options: PosClientOptions;
  readonly #cipher: PesCipherName;
  readonly #source: string;
  readonly #decoder = new PesFrameDecoder();
  readonly #inbox: PesEnvelope[] = [];
  readonly #waiters: Waiter[] = [];
  readonly #closed: Promise<void>;
  #isClosed = false;
  #dek: Buffer | undefined;
  #onAnswer: ((answer: PosAnswer) => void) | undefined;
  #onFrames: ((bodies: readonly Buffer[]) => void) | undefined;

  private constructor(socket: Socket, options: PosClientOptions) {
    this.#socket = socket;
    this.#options = options;
    this.#cipher = options.cipher ?? 'aes-256-gcm';
    this.#source = options.source ?? 'pos-sim';
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', () => undefined); // 'close' follows
    this.#closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.#isClosed = true;
        for (const waiter of this.#waiters.splice(0)) {
          if (waiter.timer !== undefined) clearTimeout(waiter.timer);
          waiter.reject(new Error('connection closed'));
        }
        resolve();
      }),
    );
  }

  /** Opens the TCP connection (nothing is sent yet). */
  static connect(options: PosClientOptions): Promise<PosClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port: options.port, host: options.host ?? '127.0.0.1' });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new PosClient(socket, options));
      });
    });
  }

  /** Resolves when the socket has closed (either side). */
  get closed(): Promise<void> {
    return this.#closed;
  }

  /** Whether the socket has closed. */
  get isClosed(): boolean {
    return this.#isClosed;
  }

  /** The session DEK once `register_client` was opened (tests craft frames with it). */
  get dek(): Buffer | undefined {
    return this.#dek;
  }

  /** Runs the POS side of the handshake (DESIGN §6 steps 1–3). */
  async handshake(): Promise<PosHandshakeResult> {
    const timeoutMs = this.#options.handshakeTimeoutMs ?? POS_HANDSHAKE_TIMEOUT_MS_DEFAULT;
    const deadline = Date.now() + timeoutMs;
    const initId = randomUUID();
    this.sendEnvelope({ msg_id: initId, msg_type: 'init_client', msg_data: this.#options.keyPair.publicKeyPem });
    let ack: PesEnvelope;
    let register: PesEnvelope;
    try {
      ack = await this.nextFrame(deadline - Date.now());
      if (ack.msg_type !== 'init_client' || ack.msg_resp !== 'ack' || ack.msg_id !== initId) return this.#abort('protocol');
      register = await this.nextFrame(deadline - Date.now());
    } catch (error) {
      return this.#abort(this.#isClosed ? 'closed' : (error as Error).message === 'timeout' ? 'timeout' : 'closed');
    }
    if (register.msg_type !== 'register_client' || register.msg_resp !== undefined || register.msg_data === undefined) {
      return this.#abort('protocol');
    }
    const opened = this.#openRegister(register);
    if (opened === undefined) return this.#abort('protocol'); // no DEK: nothing can be answered
    this.#dek = opened.dek;
    const credentials = readCredentials(opened.credentials);
    const verdict =
      credentials === undefined
        ? { ok: false as const, ...POS_REGISTER_NACK.UNREADABLE }
        : this.#options.validator.validate(credentials);
    if (!verdict.ok) {
      this.#sendRegisterAnswer(register.msg_id, 'nack', JSON.stringify({ code: verdict.code, message: verdict.message }));
      this.#socket.end();
      return { ok: false, reason: 'refused', code: verdict.code, message: verdict.message };
    }
    this.#sendRegisterAnswer(register.msg_id, 'ack', this.#options.ackWithData === false ? undefined : REGISTERED_BODY);
    return { ok: true, mode: verdict.mode };
  }

  /** Sends one event, encrypted under the DEK with AAD `msg_type.msg_id.` (DESIGN §6). */
  sendEvent(event: PosEvent): void {
    this.sendRaw(this.eventFrame(event));
  }

  /**
   * The frame {@link sendEvent} would send for `event` (encrypted now, under this connection's DEK):
   * load generators make their frames before the clock starts and send them with {@link sendFrames}.
   */
  eventFrame(event: PosEvent): Buffer {
    const msgData = this.encrypt(event.msgType, event.msgId, event.data);
    return encodePesEnvelope({ source: this.#source, version: '1.0', msg_id: event.msgId, msg_type: event.msgType, msg_data: msgData });
  }

  /** Encrypts a `msg_data` under the session DEK (after the handshake). */
  encrypt(msgType: string, msgId: string, plaintext: string, msgResp?: 'ack' | 'nack'): string {
    if (this.#dek === undefined) throw new TypeError('no session key: run handshake() first');
    return pesEncrypt(this.#cipher, this.#dek, pesAad(msgType, msgId, msgResp), Buffer.from(plaintext, 'utf8'));
  }

  /** Sends an envelope; `source` and `version` default to this POS's. */
  sendEnvelope(envelope: Omit<PesEnvelopeInit, 'source' | 'version'> & Partial<Pick<PesEnvelopeInit, 'source' | 'version'>>): void {
    this.sendRaw(encodePesEnvelope({ source: this.#source, version: '1.0', ...envelope }));
  }

  /** Writes raw bytes (tests: malformed frames, split frames). */
  sendRaw(bytes: Buffer): void {
    if (!this.#socket.destroyed) this.#socket.write(bytes);
  }

  /** Writes ready-made frames in one go (corked: one `writev` instead of a syscall per frame). */
  sendFrames(frames: readonly Buffer[]): void {
    const socket = this.#socket;
    if (socket.destroyed || frames.length === 0) return;
    socket.cork();
    for (const frame of frames) socket.write(frame);
    socket.uncork();
  }

  /**
   * The next inbound frame (when no answer handler is set).
   * @throws Error `timeout` / `connection closed`
   */
  nextFrame(timeoutMs = POS_HANDSHAKE_TIMEOUT_MS_DEFAULT): Promise<PesEnvelope> {
    const queued = this.#inbox.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.#isClosed) return Promise.reject(new Error('connection closed'));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          reject(new Error('timeout'));
        }, Math.max(1, timeoutMs)),
      };
      this.#waiters.push(waiter);
    });
  }

  /** Reads an inbound response as an answer (decrypting a nack's `{"code","message"}`). */
  readAnswer(envelope: PesEnvelope): PosAnswer {
    const resp = envelope.msg_resp === 'nack' ? 'nack' : 'ack';
    const answer: PosAnswer = { msgId: envelope.msg_id, msgType: envelope.msg_type, resp };
    if (resp === 'ack' || envelope.msg_data === undefined || this.#dek === undefined) return answer;
    try {
      const body = JSON.parse(
        pesDecrypt(this.#cipher, this.#dek, pesAad(envelope.msg_type, envelope.msg_id, 'nack'), envelope.msg_data).toString('utf8'),
      ) as { code?: unknown; message?: unknown };
      return {
        ...answer,
        code: typeof body.code === 'number' ? body.code : undefined,
        message: typeof body.message === 'string' ? body.message : undefined,
      };
    } catch {
      return answer;
    }
  }

  /** Switches to push mode: every inbound frame (queued ones first) goes to `handler` as an answer. */
  onAnswer(handler: (answer: PosAnswer) => void): void {
    this.#onAnswer = handler;
    for (const envelope of this.#inbox.splice(0)) handler(this.readAnswer(envelope));
  }

  /**
   * Switches to raw mode (load generators): the frame bodies of each inbound chunk go to `handler`
   * as they are, neither parsed nor decrypted — answers arrive in event order (DESIGN §6), so a
   * counter is all a load generator needs. Call it after the handshake, before sending events.
   * @throws TypeError when frames are still queued for {@link nextFrame}
   */
  onFrames(handler: (bodies: readonly Buffer[]) => void): void {
    if (this.#inbox.length > 0) throw new TypeError('onFrames: parsed frames are still queued');
    this.#onFrames = handler;
  }

  /** Half-closes (FIN): the ingress answers what it has in flight, then closes. */
  end(): void {
    this.#socket.end();
  }

  /** Drops the connection at once. */
  destroy(): void {
    this.#socket.destroy();
  }

  #onData(chunk: Buffer): void {
    let bodies: Buffer[];
    try {
      bodies = this.#decoder.push(chunk);
    } catch {
      this.#socket.destroy(); // the ingress never sends a bad frame; fail closed
      return;
    }
    if (this.#onFrames !== undefined) {
      if (bodies.length > 0) this.#onFrames(bodies);
      return;
    }
    for (const body of bodies) {
      let envelope: PesEnvelope;
      try {
        envelope = parsePesFrame(body);
      } catch {
        this.#socket.destroy();
        return;
      }
      this.#deliver(envelope);
    }
  }

  #deliver(envelope: PesEnvelope): void {
    if (this.#onAnswer !== undefined) {
      this.#onAnswer(this.readAnswer(envelope));
      return;
    }
    const waiter = this.#waiters.shift();
    if (waiter === undefined) {
      this.#inbox.push(envelope);
      return;
    }
    if (waiter.timer !== undefined) clearTimeout(waiter.timer);
    waiter.resolve(envelope);
  }

  #openRegister(register: PesEnvelope): RegisterClientContents | undefined {
    const hashes: readonly OaepHash[] =
      this.#options.oaepHash === undefined || this.#options.oaepHash === 'auto' ? ['sha256', 'sha1'] : [this.#options.oaepHash];
    const aad = pesAad(register.msg_type, register.msg_id);
    for (const oaepHash of hashes) {
      try {
        const { privateKey } = this.#options.keyPair;
        return openRegisterClient({ privateKey, oaepHash, cipher: this.#cipher, aad, msgData: register.msg_data as string });
      } catch (error) {
        if (!isCryptoError(error)) throw error;
      }
    }
    return undefined;
  }

  #sendRegisterAnswer(msgId: string, resp: 'ack' | 'nack', body: string | undefined): void {
    this.sendEnvelope({
      msg_id: msgId,
      msg_type: 'register_client',
      msg_resp: resp,
      msg_data: body === undefined ? undefined : this.encrypt('register_client', msgId, body, resp),
    });
  }

  #abort(reason: 'closed' | 'timeout' | 'protocol'): PosHandshakeResult {
    this.#socket.destroy();
    return { ok: false, reason };
  }
}

/** Reads `{"key_id":…,"secret_key":…}`; `undefined` when it is not that. */
function readCredentials(bytes: Buffer): { keyId: string; secretKey: string } | undefined {
  try {
    const value = JSON.parse(bytes.toString('utf8')) as { key_id?: unknown; secret_key?: unknown };
    if (typeof value.key_id !== 'string' || typeof value.secret_key !== 'string') return undefined;
    return { keyId: value.key_id, secretKey: value.secret_key };
  } catch {
    return undefined;
  }
}
