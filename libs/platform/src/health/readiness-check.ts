/**
 * A dependency the app cannot serve without (Redis, a listener). `check` resolves when it is
 * usable and rejects when not; its error's message (or `code`) is shown in `/health/ready`, so it
 * must name the problem, never a secret.
 */
export interface ReadinessCheck {
  /** Key in the health response, e.g. `redis`. */
  readonly name: string;
  /** Resolves when healthy. */
  check(): Promise<void>;
}
