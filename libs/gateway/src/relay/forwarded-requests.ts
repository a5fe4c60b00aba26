/**
 * Requests this replica forwarded to the replica holding their terminal, waiting for their answer
 * (DESIGN §5, `docs/specs/relay.md` §7). Each has two deadlines: the receiving replica's `ack` must come
 * within `ackMs` (else the registry named a replica that is gone: DEVICE_OFFLINE), and the answer within
 * `deadlineMs` (a backstop: the terminal's replica answers DEVICE_TIMEOUT itself first).
 */
import { synthesizedAnswer, type RelayAnswer } from './relay-answer';
import type { SynthesizedName } from './synthesized-responses';

interface Waiting {
  readonly resolve: (answer: RelayAnswer) => void;
  ackTimer: NodeJS.Timeout | undefined;
  readonly deadline: NodeJS.Timeout;
}

/** The forwarded requests of one replica, by id. */
export class ForwardedRequests {
  readonly #ackMs: number;
  readonly #deadlineMs: number;
  readonly #waiting = new Map<string, Waiting>();

  /**
   * @param ackMs how long the receipt may take
   * @param deadlineMs how long the answer may take
   */
  constructor(ackMs: number, deadlineMs: number) {
    this.#ackMs = ackMs;
    this.#deadlineMs = deadlineMs;
  }

  /** Starts waiting for request `id`; resolves with its answer, or with the synthesized one of a deadline. */
  wait(id: string): Promise<RelayAnswer> {
    return new Promise<RelayAnswer>((resolve) => {
      this.#waiting.set(id, {
        resolve,
        ackTimer: setTimeout(() => this.settle(id, synthesizedAnswer('DEVICE_OFFLINE')), this.#ackMs),
        deadline: setTimeout(() => this.settle(id, synthesizedAnswer('DEVICE_TIMEOUT')), this.#deadlineMs),
      });
    });
  }

  /** The receiving replica acknowledged `id`: its ack deadline no longer applies. */
  acked(id: string): void {
    const waiting = this.#waiting.get(id);
    if (waiting === undefined) return;
    clearTimeout(waiting.ackTimer);
    waiting.ackTimer = undefined;
  }

  /** Answers `id` (once; later answers — after a deadline — are ignored). */
  settle(id: string, answer: RelayAnswer): void {
    const waiting = this.#waiting.get(id);
    if (waiting === undefined) return;
    this.#waiting.delete(id);
    clearTimeout(waiting.ackTimer);
    clearTimeout(waiting.deadline);
    waiting.resolve(answer);
  }

  /** Answers every waiting request with `name` (shutdown). */
  settleAll(name: SynthesizedName): void {
    for (const id of [...this.#waiting.keys()]) this.settle(id, synthesizedAnswer(name));
  }
}
