import type { Socket } from 'node:net';
import { isProtocolError, PesFrameDecoder } from '@pos-link/protocol';
import { ingressCodeOfProtocolError } from '../errors/ingress-errors';
import type { IngressTelemetry } from '../metrics/ingress-telemetry';
import { PesSession } from '../session/pes-session';
import type { PesSessionSettings } from '../session/pes-session-types';
import type { PesEventLog } from '../store/pes-event-log';

/** What a {@link PesConnection} needs besides its socket. */
export interface PesConnectionOptions {
  /** Connection id for logs. */
  readonly id: string;
  readonly settings: PesSessionSettings;
  readonly eventLog: PesEventLog;
  readonly telemetry: IngressTelemetry;
  /** `PES_MAX_FRAME_BYTES`: enforced by the decoder before any body allocation. */
  readonly maxFrameBytes: number;
  /** No traffic for this long closes the connection (DESIGN §6: 300 s). */
  readonly idleTimeoutMs: number;
  /** After the ingress ended its side, how long the peer may keep the socket before it is destroyed. */
  readonly closeDrainMs: number;
}

/**
 * Binds one POS socket to its frame decoder and {@link PesSession}: bytes in → frames → session;
 * session answers → socket. Reading pauses when the session's in-flight window is full or when the
 * POS does not read its answers (socket write buffer over its high-water mark), so neither direction
 * buffers without bound (DESIGN §6).
 */
export class PesConnection {
  readonly #socket: Socket;
  readonly #decoder: PesFrameDecoder;
  readonly #session: PesSession;
  readonly #closeDrainMs: number;
  #sessionWantsData = true;
  #writeBlocked = false;
  #paused = false;
  /** Our side has ended: whatever the peer still sends is read and dropped, so its FIN is seen. */
  #discarding = false;
  #destroyTimer: NodeJS.Timeout | undefined;
  #corked = false;

  /** Takes over `socket` (created with `allowHalfOpen: true`). */
  constructor(socket: Socket, options: PesConnectionOptions) {
    this.#socket = socket;
    this.#closeDrainMs = options.closeDrainMs;
    this.#decoder = new PesFrameDecoder({ maxFrameBytes: options.maxFrameBytes });
    this.#session = new PesSession({
      id: options.id,
      settings: options.settings,
      eventLog: options.eventLog,
      telemetry: options.telemetry,
      io: {
        write: (frame) => this.#write(frame),
        setReading: (reading) => {
          this.#sessionWantsData = reading;
          this.#applyReading();
        },
        end: () => this.#end(),
      },
    });
    socket.setNoDelay(true); // acks are small and latency-sensitive
    socket.setTimeout(options.idleTimeoutMs);
    socket.on('timeout', () => this.#session.fail('ERR_INGRESS_IDLE_TIMEOUT'));
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('end', () => this.#session.peerEnded());
    socket.on('drain', () => {
      this.#writeBlocked = false;
      this.#applyReading();
    });
    socket.on('error', () => undefined); // 'close' follows; the session records the reason
    socket.on('close', () => {
      if (this.#destroyTimer !== undefined) clearTimeout(this.#destroyTimer);
      this.#session.socketClosed();
    });
  }

  /** The session (state and in-flight count, for diagnostics). */
  get session(): PesSession {
    return this.#session;
  }

  /** Graceful stop: answer what is in flight, then end (the drain timer bounds it). */
  shutdown(): void {
    this.#session.shutdown();
  }

  /** Immediate stop (after the shutdown drain timeout). */
  destroy(): void {
    this.#socket.destroy();
  }

  #onData(chunk: Buffer): void {
    if (this.#discarding) return;
    let bodies: Buffer[];
    try {
      bodies = this.#decoder.push(chunk);
    } catch (error) {
      if (!isProtocolError(error)) throw error;
      this.#session.fail(ingressCodeOfProtocolError(error.code));
      return;
    }
    for (const body of bodies) this.#session.receive(body);
  }

  #write(frame: Buffer): boolean {
    const socket = this.#socket;
    if (socket.destroyed || !socket.writable) return false;
    if (!this.#corked) {
      // Answers that become ready in the same tick (a pipelined batch of appends) leave in one write.
      this.#corked = true;
      socket.cork();
      process.nextTick(() => {
        this.#corked = false;
        socket.uncork();
      });
    }
    if (!socket.write(frame)) {
      this.#writeBlocked = true; // the POS is not reading its answers: stop reading its events
      this.#applyReading();
    }
    return true;
  }

  #applyReading(): void {
    const pause = !this.#discarding && (!this.#sessionWantsData || this.#writeBlocked);
    if (pause === this.#paused) return;
    this.#paused = pause;
    if (pause) this.#socket.pause();
    else this.#socket.resume();
  }

  #end(): void {
    this.#discarding = true;
    this.#applyReading();
    this.#socket.end();
    this.#destroyTimer = setTimeout(() => this.#socket.destroy(), this.#closeDrainMs);
    this.#destroyTimer.unref();
  }
}
