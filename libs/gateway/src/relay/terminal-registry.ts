/**
 * The device registry seam (DESIGN §5: "a registry (device → replica, with TTL) in Redis so a POS on any
 * replica reaches a device on any other"). One entry per terminal, `(siteId, pinpadId)` → the replica
 * and connection holding it; the holder keeps it alive while connected, a terminal reconnecting elsewhere
 * takes it over, and a replica that dies without cleaning up loses its entries when the TTL runs out.
 *
 * `RedisTerminalRegistry` serves a fleet; `MemoryTerminalRegistry` the standalone process (DESIGN §1).
 */

/** Who holds a terminal: a replica (its relay channel) and the connection on it. */
export interface TerminalHolder {
  /** The replica's id (names its relay channel). */
  readonly replicaId: string;
  /** The terminal connection's id on that replica (a reconnect to the same replica is a new holder). */
  readonly connId: string;
}

/** One entry to keep alive. */
export interface TerminalEntry {
  readonly siteId: string;
  readonly pinpadId: string;
  readonly holder: TerminalHolder;
}

/** The registry seam. Every method may reject when the backend fails. */
export interface TerminalRegistry {
  /** Records `holder` for the terminal, replacing any earlier holder (takeover); resolves with that earlier one. */
  claim(entry: TerminalEntry): Promise<TerminalHolder | undefined>;
  /**
   * Extends each entry held by its holder (re-creating one that expired meanwhile: the connection is still
   * alive); resolves with one flag per entry — false when another holder took the terminal over.
   */
  refresh(entries: readonly TerminalEntry[]): Promise<boolean[]>;
  /** Removes the entry if `holder` still holds it. */
  release(entry: TerminalEntry): Promise<void>;
  /** The terminal's current holder, or undefined. */
  lookup(siteId: string, pinpadId: string): Promise<TerminalHolder | undefined>;
}

/** Separator inside a stored holder: neither replica ids nor connection ids contain a space. */
const HOLDER_SEPARATOR = ' ';

/** `replicaId connId`, as stored. */
export function encodeHolder(holder: TerminalHolder): string {
  return `${holder.replicaId}${HOLDER_SEPARATOR}${holder.connId}`;
}

/** The stored form back, or undefined when it is not one. */
export function decodeHolder(text: string | null | undefined): TerminalHolder | undefined {
  if (typeof text !== 'string') return undefined;
  const at = text.indexOf(HOLDER_SEPARATOR);
  if (at <= 0 || at === text.length - 1) return undefined;
  return { replicaId: text.slice(0, at), connId: text.slice(at + 1) };
}

/** Whether two holders are the same connection. */
export function sameHolder(a: TerminalHolder | undefined, b: TerminalHolder | undefined): boolean {
  return a !== undefined && b !== undefined && a.replicaId === b.replicaId && a.connId === b.connId;
}
