import type { PortalSim } from '@pos-link/portal-sim';

/** Something whose lines were captured: a `LineCapture`, a child's stdout collector. */
export interface CapturedLines {
  readonly lines: readonly string[];
}

/**
 * DESIGN §2: "no key value ever appears in a log line". Collects every key value the Portal simulators ever
 * listed (at start, on each rotation and whenever asked) and every captured log stream, and asserts at the end
 * that no line contains any of them.
 */
export class LogAudit {
  readonly #secrets = new Set<string>();
  readonly #captures: CapturedLines[] = [];
  readonly #removers: Array<() => void> = [];

  /** Watches a simulator: its current values now and every key a rotation adds. */
  watchPortal(portal: PortalSim, siteIds: readonly string[]): void {
    this.rememberCurrent(portal, siteIds);
    this.#removers.push(portal.onRotate((_siteId, key) => this.#secrets.add(key.value)));
  }

  /** Remembers the values the simulator lists now (call after explicit key changes). */
  rememberCurrent(portal: PortalSim, siteIds: readonly string[]): void {
    for (const siteId of siteIds) for (const key of portal.currentKeys(siteId)) this.#secrets.add(key.value);
  }

  /** Adds a secret that must never be logged (wrap secret, Portal auth …). */
  remember(secret: string): void {
    this.#secrets.add(secret);
  }

  /** Adds a captured log stream. */
  capture<T extends CapturedLines>(lines: T): T {
    this.#captures.push(lines);
    return lines;
  }

  /** How many lines and secrets the audit covers. */
  get coverage(): { lines: number; secrets: number } {
    return { lines: this.#captures.reduce((sum, c) => sum + c.lines.length, 0), secrets: this.#secrets.size };
  }

  /** Every (secret, line) pair where a line contains a secret; empty when clean. */
  leaks(): string[] {
    const found: string[] = [];
    for (const capture of this.#captures) {
      for (const line of capture.lines) {
        for (const secret of this.#secrets) if (line.includes(secret)) found.push(`a key value in: ${line.split(secret).join('***').slice(0, 300)}`);
      }
    }
    return found;
  }

  /** Stops watching the simulators. */
  dispose(): void {
    for (const remove of this.#removers.splice(0)) remove();
  }
}
