/**
 * The terminal relay of one gateway replica (DESIGN §5): terminals connected here (`LocalTerminal`),
 * the device registry that says which replica holds which terminal (`TerminalRegistry`), and the bus
 * that carries requests and answers between replicas (`RelayBus`). POS routes call {@link request};
 * the terminal endpoint calls {@link attach}.
 *
 * A request is checked and classified here, on the POS's replica, before it goes anywhere (no DTD, size
 * cap, a TRANSACTION with a command); the rules of `DeviceGate` apply on the terminal's replica, which
 * alone knows the terminal's state.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type WebSocket from 'ws';
import { ForwardedRequests } from './forwarded-requests';
import { LocalTerminal } from './local-terminal';
import { classifyRequest, deviceAnswer, synthesizedAnswer, type ClassifiedRequest, type RelayAnswer } from './relay-answer';
import type { RelayBus, RelayUnsubscribe } from './relay-bus';
import type { RelayMessage, RelayRequestMessage } from './relay-messages';
import type { RelayRoute, RelayTelemetry, TerminalCloseReason } from './relay-telemetry';
import type { TerminalEntry, TerminalHolder, TerminalRegistry } from './terminal-registry';

/**
 * How long the POS's replica waits for the terminal's replica to acknowledge a forwarded request before
 * answering DEVICE_OFFLINE: a pub/sub round trip takes well under a millisecond, so a second means the
 * registered replica is gone (its registry entry not yet expired).
 */
export const FORWARD_ACK_TIMEOUT_MS = 1_000;

/** Registry entries are refreshed this many times per TTL, so one lost refresh never expires a live entry. */
const REFRESHES_PER_TTL = 3;

/**
 * POS clients remembered as owning a session through another replica (told when they disconnect). HTTP
 * clients never disconnect, so the map is bounded: past this the oldest entry is forgotten — its session
 * still ends by FINISH or the idle timeout on the terminal's replica.
 */
const MAX_REMEMBERED_CLIENTS = 10_000;

/** Options of {@link TerminalRelay}. */
export interface TerminalRelayOptions {
  /** This replica's id (its bus channel); default `<hostname>-<pid>-<random>`. */
  readonly replicaId?: string;
  /** The device registry. */
  readonly registry: TerminalRegistry;
  /** The bus between replicas (subscribed by `start`, closed by `close`). */
  readonly bus: RelayBus;
  /** Logs and metrics. */
  readonly telemetry: RelayTelemetry;
  /** `RELAY_REQUEST_TIMEOUT_MS`. */
  readonly requestTimeoutMs: number;
  /** `RELAY_SESSION_IDLE_MS`. */
  readonly sessionIdleMs: number;
  /** `TERMINAL_PING_INTERVAL_MS`. */
  readonly pingIntervalMs: number;
  /** `RELAY_MAX_XML_BYTES`. */
  readonly maxXmlBytes: number;
  /** `RELAY_REGISTRY_TTL_MS`. */
  readonly registryTtlMs: number;
  /** See {@link FORWARD_ACK_TIMEOUT_MS}. */
  readonly forwardAckMs?: number;
}

/** One POS request. */
export interface RelayRequest {
  /** The site the POS authenticated for (ALE). */
  readonly siteId: string;
  /** The terminal addressed. */
  readonly pinpadId: string;
  /** The POS, unique across replicas (session ownership is per client). */
  readonly clientId: string;
  /** The SCI document as the POS sent it (relayed verbatim). */
  readonly xml: string;
}

/** A terminal connection to attach (its site already resolved by the endpoint). */
export interface TerminalIdentity {
  readonly siteId: string;
  readonly pinpadId: string;
  /** The peer address, for logs. */
  readonly remote: string | undefined;
  /** Whether it came over TLS. */
  readonly tls: boolean;
}

interface Attached {
  readonly terminal: LocalTerminal;
  readonly entry: TerminalEntry;
  /** False until the registry recorded it (a failed claim is retried on every refresh). */
  registered: boolean;
  /** Resolves once the registry recorded it. */
  readonly whenRegistered: Promise<void>;
  readonly markRegistered: () => void;
}

/** Site ids and pinpad ids contain no NUL. */
function terminalKey(siteId: string, pinpadId: string): string {
  return `${siteId}\u0000${pinpadId}`;
}

/** The relay of one replica. See the file header. */
export class TerminalRelay {
  /** This replica's id. */
  readonly replicaId: string;
  readonly #o: TerminalRelayOptions;
  readonly #local = new Map<string, Attached>();
  readonly #forwarded: ForwardedRequests;
  /** Replicas where a POS client may own a session (told when it disconnects). */
  readonly #clientReplicas = new Map<string, Set<string>>();
  #sequence = 0;
  #unsubscribe: RelayUnsubscribe | undefined;
  #refreshTimer: NodeJS.Timeout | undefined;
  #closed = false;

  /** @param options see {@link TerminalRelayOptions} */
  constructor(options: TerminalRelayOptions) {
    for (const name of ['requestTimeoutMs', 'sessionIdleMs', 'pingIntervalMs', 'maxXmlBytes', 'registryTtlMs'] as const) {
      if (!Number.isSafeInteger(options[name]) || options[name] < 1) throw new TypeError(`${name} must be a positive integer`);
    }
    this.#o = options;
    const forwardAckMs = options.forwardAckMs ?? FORWARD_ACK_TIMEOUT_MS;
    // The answer deadline is a backstop: the terminal's replica answers DEVICE_TIMEOUT itself first.
    this.#forwarded = new ForwardedRequests(forwardAckMs, options.requestTimeoutMs + 2 * forwardAckMs);
    this.replicaId = options.replicaId ?? `${hostname().replace(/[^A-Za-z0-9.-]/g, '_')}-${process.pid}-${randomBytes(4).toString('hex')}`;
  }

  /** Subscribes to this replica's bus channel and starts the registry refresh. Idempotent. */
  async start(): Promise<void> {
    if (this.#unsubscribe !== undefined || this.#closed) return;
    const unsubscribe = await this.#o.bus.subscribe(
      this.replicaId,
      (message) => this.#onBusMessage(message),
      (error) => this.#o.telemetry.busFailed('receive', error),
    );
    if (this.#closed) {
      await unsubscribe(); // closed while subscribing
      return;
    }
    this.#unsubscribe = unsubscribe;
    this.#refreshTimer = setInterval(() => void this.#refreshRegistry(), Math.max(1, Math.floor(this.#o.registryTtlMs / REFRESHES_PER_TTL)));
    this.#refreshTimer.unref();
  }

  /** How many terminals are connected to this replica. */
  get terminalCount(): number {
    return this.#local.size;
  }

  /** Whether a terminal is connected to this replica. */
  isLocal(siteId: string, pinpadId: string): boolean {
    return this.#local.has(terminalKey(siteId, pinpadId));
  }

  /**
   * Resolves once the terminal's current connection on this replica is in the registry (so POS clients on
   * other replicas reach it) — a readiness signal for operators' probes and tests; undefined when the
   * terminal is not connected here.
   */
  whenRegistered(siteId: string, pinpadId: string): Promise<void> | undefined {
    return this.#local.get(terminalKey(siteId, pinpadId))?.whenRegistered;
  }

  /**
   * Takes over an upgraded terminal socket: a previous connection of the same terminal (here or on
   * another replica) is closed, the registry is pointed here.
   */
  attach(ws: WebSocket, identity: TerminalIdentity): void {
    const { siteId, pinpadId } = identity;
    const connId = `${this.replicaId}.${++this.#sequence}`;
    const ref = { siteId, pinpadId, connId };
    if (this.#closed) {
      ws.terminate();
      return;
    }
    const terminal = new LocalTerminal(ws, ref, {
      requestTimeoutMs: this.#o.requestTimeoutMs,
      sessionIdleMs: this.#o.sessionIdleMs,
      pingIntervalMs: this.#o.pingIntervalMs,
      maxXmlBytes: this.#o.maxXmlBytes,
      telemetry: this.#o.telemetry,
      onClosed: (closed, reason, pending) => this.#detach(closed, reason, pending),
    });
    const key = terminalKey(siteId, pinpadId);
    const previous = this.#local.get(key);
    let markRegistered: () => void = () => undefined;
    const whenRegistered = new Promise<void>((resolve) => (markRegistered = resolve));
    const attached: Attached = {
      terminal,
      entry: { siteId, pinpadId, holder: { replicaId: this.replicaId, connId } },
      registered: false,
      whenRegistered,
      markRegistered,
    };
    this.#local.set(key, attached);
    this.#o.telemetry.terminalConnected(ref, identity.remote, identity.tls);
    if (previous !== undefined) void previous.terminal.close('replaced');
    void this.#claim(attached);
  }

  /**
   * Relays one POS request to the terminal, wherever it is connected.
   * @returns the terminal's `<RESPONSE>`, or a synthesized one (see `SYNTHESIZED_RESPONSES`); never rejects
   */
  async request(req: RelayRequest): Promise<RelayAnswer> {
    const startedAt = performance.now();
    const classified = classifyRequest(req.xml, this.#o.maxXmlBytes);
    let answer: RelayAnswer;
    let route: RelayRoute = 'local';
    if (typeof classified === 'string') {
      answer = synthesizedAnswer(classified);
    } else {
      const local = this.#local.get(terminalKey(req.siteId, req.pinpadId));
      if (local !== undefined) {
        answer = await local.terminal.submit(req.clientId, classified, req.xml);
      } else {
        route = 'remote';
        answer = await this.#requestRemote(req, classified);
      }
    }
    this.#o.telemetry.requestAnswered(answer.synthesized, route, startedAt);
    return answer;
  }

  /** A POS client disconnected: it no longer owns any terminal's session, here or on other replicas. */
  releaseClient(clientId: string): void {
    for (const { terminal } of this.#local.values()) terminal.releaseClient(clientId);
    const replicas = this.#clientReplicas.get(clientId);
    this.#clientReplicas.delete(clientId);
    for (const replicaId of replicas ?? []) {
      this.#o.bus.publish(replicaId, { t: 'rel', client: clientId }).catch((error: unknown) => this.#o.telemetry.busFailed('release', error));
    }
  }

  /**
   * Stops: closes every terminal connection (they reconnect to another replica), releases their registry
   * entries, answers forwarded requests DEVICE_OFFLINE and leaves the bus. Idempotent.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#refreshTimer !== undefined) clearInterval(this.#refreshTimer);
    await Promise.all([...this.#local.values()].map(({ terminal }) => terminal.close('shutdown')));
    this.#forwarded.settleAll('DEVICE_OFFLINE');
    try {
      await this.#unsubscribe?.();
    } finally {
      await this.#o.bus.close();
    }
  }

  async #claim(attached: Attached): Promise<void> {
    let previous: TerminalHolder | undefined;
    try {
      previous = await this.#o.registry.claim(attached.entry);
    } catch (error) {
      this.#o.telemetry.registryFailed('claim', error); // retried on the next refresh
      return;
    }
    if (attached.terminal.closed) {
      await this.#release(attached.entry);
      return;
    }
    attached.registered = true;
    attached.markRegistered();
    if (previous !== undefined && previous.replicaId !== this.replicaId) {
      const { siteId, pinpadId } = attached.entry;
      await this.#o.bus
        .publish(previous.replicaId, { t: 'drop', site: siteId, pinpad: pinpadId, conn: previous.connId })
        .catch((error: unknown) => this.#o.telemetry.busFailed('drop', error));
    }
  }

  async #release(entry: TerminalEntry): Promise<void> {
    await this.#o.registry.release(entry).catch((error: unknown) => this.#o.telemetry.registryFailed('release', error));
  }

  #detach(terminal: LocalTerminal, reason: TerminalCloseReason, pending: number): void {
    this.#o.telemetry.terminalDisconnected(terminal.ref, reason, pending);
    const key = terminalKey(terminal.ref.siteId, terminal.ref.pinpadId);
    const attached = this.#local.get(key);
    if (attached?.terminal !== terminal) return; // a newer connection already took its place
    this.#local.delete(key);
    // A replaced connection's entry belongs to its successor: release only what is still ours.
    if (reason !== 'replaced') void this.#release(attached.entry);
  }

  async #refreshRegistry(): Promise<void> {
    const attached = [...this.#local.values()];
    const registered = attached.filter((a) => a.registered);
    for (const unregistered of attached.filter((a) => !a.registered)) void this.#claim(unregistered);
    if (registered.length === 0) return;
    let held: boolean[];
    try {
      held = await this.#o.registry.refresh(registered.map((a) => a.entry));
    } catch (error) {
      this.#o.telemetry.registryFailed('refresh', error);
      return;
    }
    registered.forEach((a, i) => {
      // Another replica took the terminal over (its `drop` message may have been lost): let it go.
      if (!held[i]) void a.terminal.close('replaced');
    });
  }

  async #requestRemote(req: RelayRequest, classified: ClassifiedRequest): Promise<RelayAnswer> {
    let holder: TerminalHolder | undefined;
    try {
      holder = await this.#o.registry.lookup(req.siteId, req.pinpadId);
    } catch (error) {
      this.#o.telemetry.registryFailed('lookup', error);
      return synthesizedAnswer('RELAY_UNAVAILABLE');
    }
    // No entry, or a stale one naming this replica (the terminal is not here): the terminal is offline.
    if (holder === undefined || holder.replicaId === this.replicaId || this.#closed) return synthesizedAnswer('DEVICE_OFFLINE');
    if (classified.kind === 'session-start') this.#rememberClientReplica(req.clientId, holder.replicaId);
    const id = `${this.replicaId}.${++this.#sequence}`;
    const message: RelayRequestMessage = {
      t: 'req',
      id,
      from: this.replicaId,
      client: req.clientId,
      site: req.siteId,
      pinpad: req.pinpadId,
      kind: classified.kind,
      ft: classified.command.functionType,
      cmd: classified.command.command,
      xml: req.xml,
    };
    const answer = this.#forwarded.wait(id);
    this.#o.bus.publish(holder.replicaId, message).catch((error: unknown) => {
      this.#o.telemetry.busFailed('request', error);
      this.#forwarded.settle(id, synthesizedAnswer('RELAY_UNAVAILABLE'));
    });
    return answer;
  }

  #rememberClientReplica(clientId: string, replicaId: string): void {
    const replicas = this.#clientReplicas.get(clientId) ?? new Set<string>();
    replicas.add(replicaId);
    this.#clientReplicas.set(clientId, replicas);
    if (this.#clientReplicas.size > MAX_REMEMBERED_CLIENTS) {
      const oldest = this.#clientReplicas.keys().next().value;
      if (oldest !== undefined) this.#clientReplicas.delete(oldest);
    }
  }

  #onBusMessage(message: RelayMessage): void {
    switch (message.t) {
      case 'req':
        void this.#serveForwarded(message);
        return;
      case 'ack':
        this.#forwarded.acked(message.id);
        return;
      case 'res':
        this.#forwarded.settle(message.id, message.syn !== undefined ? synthesizedAnswer(message.syn) : deviceAnswer(message.xml ?? ''));
        return;
      case 'rel':
        for (const { terminal } of this.#local.values()) terminal.releaseClient(message.client);
        return;
      case 'drop': {
        const attached = this.#local.get(terminalKey(message.site, message.pinpad));
        if (attached !== undefined && attached.terminal.ref.connId === message.conn) void attached.terminal.close('replaced');
        return;
      }
    }
  }

  async #serveForwarded(message: RelayRequestMessage): Promise<void> {
    const publish = (reply: RelayMessage, op: string): Promise<void> =>
      this.#o.bus.publish(message.from, reply).catch((error: unknown) => this.#o.telemetry.busFailed(op, error));
    void publish({ t: 'ack', id: message.id }, 'ack');
    const local = this.#local.get(terminalKey(message.site, message.pinpad));
    const classified: ClassifiedRequest = { kind: message.kind, command: { functionType: message.ft, command: message.cmd } };
    const answer = local === undefined ? synthesizedAnswer('DEVICE_OFFLINE') : await local.terminal.submit(message.client, classified, message.xml);
    await publish(answer.synthesized === undefined ? { t: 'res', id: message.id, xml: answer.xml } : { t: 'res', id: message.id, syn: answer.synthesized }, 'response');
  }
}

