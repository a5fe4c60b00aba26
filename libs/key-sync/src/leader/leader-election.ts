/**
 * Who may fetch from the Portal and write the key store (DESIGN §1: "One active replica (Redis lock), others
 * stand by"). The engine asks {@link isLeader} before every fetch and {@link confirm} right before every write
 * (fencing), and reacts to {@link onChange}.
 */
export interface LeaderElection {
  /** Starts campaigning; resolves after the first attempt (leader or not). */
  start(): Promise<void>;
  /** The local view: true while this replica holds the lock and its lease has not run out. Never waits. */
  isLeader(): boolean;
  /**
   * Checks, against the lock itself, that this replica still holds it (and extends the lease): the fencing
   * step before every write. False when the lock is lost or cannot be checked — then nothing may be written.
   */
  confirm(): Promise<boolean>;
  /** Calls `listener(true)` on becoming leader, `listener(false)` on losing it; returns its remover. */
  onChange(listener: (leader: boolean) => void): () => void;
  /** Stops campaigning and releases the lock if held (so a standby takes over at once). */
  close(): Promise<void>;
}

/**
 * The in-memory mode's election (DESIGN §1 standalone: one process, one key-sync, no Redis): always the
 * leader from `start` until `close`.
 */
export class SoleLeader implements LeaderElection {
  readonly #listeners = new Set<(leader: boolean) => void>();
  #leader = false;

  /** {@inheritDoc LeaderElection.start} */
  async start(): Promise<void> {
    if (this.#leader) return;
    this.#leader = true;
    for (const listener of [...this.#listeners]) listener(true);
  }

  /** {@inheritDoc LeaderElection.isLeader} */
  isLeader(): boolean {
    return this.#leader;
  }

  /** {@inheritDoc LeaderElection.confirm} */
  async confirm(): Promise<boolean> {
    return this.#leader;
  }

  /** {@inheritDoc LeaderElection.onChange} */
  onChange(listener: (leader: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** {@inheritDoc LeaderElection.close} */
  async close(): Promise<void> {
    if (!this.#leader) return;
    this.#leader = false;
    for (const listener of [...this.#listeners]) listener(false);
  }
}
