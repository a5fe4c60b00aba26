/** Counters and ack latencies of a simulation run (what the CLI prints). */
export interface PosStatsSnapshot {
  /** Events acked (stored or duplicate on the ingress). */
  readonly acked: number;
  /** Nacks by code (`"5"` → count). */
  readonly nacks: Readonly<Record<string, number>>;
  /** Events sent, resends included. */
  readonly sent: number;
  /** Events sent again after a reconnect or a nack 5. */
  readonly resent: number;
  /** Connections that completed the handshake. */
  readonly handshakes: number;
  /** Handshakes that failed, by reason (`refused`, `closed`, `timeout`, `protocol`, `connect`). */
  readonly handshakeFailures: Readonly<Record<string, number>>;
  /** Ack latency percentiles in milliseconds (send → ack of that send). */
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
}

/** Latency samples kept: enough for stable percentiles, bounded for long runs (reservoir sampling). */
const MAX_SAMPLES = 100_000;

/** Mutable statistics shared by the terminals of one simulator. */
export class PosStats {
  acked = 0;
  sent = 0;
  resent = 0;
  handshakes = 0;
  readonly #nacks = new Map<number, number>();
  readonly #handshakeFailures = new Map<string, number>();
  readonly #samples: number[] = [];
  #seen = 0;

  /** Records one nack. */
  nack(code: number | undefined): void {
    const key = code ?? -1;
    this.#nacks.set(key, (this.#nacks.get(key) ?? 0) + 1);
  }

  /** Records a failed handshake. */
  handshakeFailed(reason: string): void {
    this.#handshakeFailures.set(reason, (this.#handshakeFailures.get(reason) ?? 0) + 1);
  }

  /** Records one ack latency. */
  latency(ms: number): void {
    this.#seen += 1;
    if (this.#samples.length < MAX_SAMPLES) {
      this.#samples.push(ms);
      return;
    }
    const slot = Math.floor(Math.random() * this.#seen);
    if (slot < MAX_SAMPLES) this.#samples[slot] = ms;
  }

  /** A consistent copy of the numbers. */
  snapshot(): PosStatsSnapshot {
    const sorted = [...this.#samples].sort((a, b) => a - b);
    const at = (q: number): number => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);
    return {
      acked: this.acked,
      nacks: Object.fromEntries([...this.#nacks].map(([code, n]) => [String(code), n])),
      sent: this.sent,
      resent: this.resent,
      handshakes: this.handshakes,
      handshakeFailures: Object.fromEntries(this.#handshakeFailures),
      latencyMs: { p50: at(0.5), p99: at(0.99), max: sorted.length === 0 ? 0 : sorted[sorted.length - 1] },
    };
  }
}
