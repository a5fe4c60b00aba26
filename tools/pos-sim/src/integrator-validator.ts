import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * How long a client validated online may still be validated offline (seed 003: "POS API allows
 * offline connection validation for up to 30 days after the previous, successful online validation").
 */
export const OFFLINE_VALIDATION_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

/** The integrator credentials a `register_client` carries (`{"key_id":…,"secret_key":…}`). */
export interface IntegratorCredentials {
  readonly keyId: string;
  readonly secretKey: string;
}

/**
 * The codes the simulated POS puts in its `register_client` nack (`{"code":…,"message":…}`). DESIGN §6
 * leaves the values to the POS; these are the simulator's, documented in its README.
 */
export const POS_REGISTER_NACK = Object.freeze({
  /** The credentials were checked online and are not the configured ones. */
  INVALID_CREDENTIALS: Object.freeze({ code: 1, message: 'Integrator credentials invalid' }),
  /** Offline, and this client was never validated online or not within the last 30 days. */
  OFFLINE_VALIDATION_UNAVAILABLE: Object.freeze({ code: 2, message: 'Offline validation unavailable' }),
  /** The `register_client` could not be decrypted or its credentials could not be read. */
  UNREADABLE: Object.freeze({ code: 3, message: 'register_client unreadable' }),
});

/** Result of {@link IntegratorValidator.validate}. */
export type IntegratorValidation =
  | { readonly ok: true; readonly mode: 'online' | 'offline' }
  | { readonly ok: false; readonly code: number; readonly message: string };

/** Options of {@link IntegratorValidator}. */
export interface IntegratorValidatorOptions {
  /** What the "cloud service" accepts (the integrator's real credentials). */
  readonly expected: IntegratorCredentials;
  /** Start online (default true). */
  readonly online?: boolean;
  /** Clock in ms (injectable for the 30-day rule); default `Date.now`. */
  readonly now?: () => number;
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * The POS's integrator check (seed 003 "Validation" / "Offline Validation"): online, the credentials
 * are compared with the configured ones ("cloud services"); each online success is cached (key id →
 * hash of the secret, time). Offline, a client passes only if it matches a cache entry whose online
 * success is at most {@link OFFLINE_VALIDATION_WINDOW_MS} old. Shared by every connection of a POS.
 */
export class IntegratorValidator {
  readonly #expectedKeyId: Buffer;
  readonly #expectedSecret: Buffer;
  readonly #now: () => number;
  #online: boolean;
  readonly #cache = new Map<string, { readonly secretHash: Buffer; readonly validatedAt: number }>();

  /** @throws TypeError when the expected credentials are not non-empty strings */
  constructor(options: IntegratorValidatorOptions) {
    const { expected, online = true, now = Date.now } = options;
    if (typeof expected?.keyId !== 'string' || expected.keyId === '' || typeof expected.secretKey !== 'string' || expected.secretKey === '') {
      throw new TypeError('expected credentials must be non-empty strings');
    }
    this.#expectedKeyId = sha256(expected.keyId);
    this.#expectedSecret = sha256(expected.secretKey);
    this.#online = online;
    this.#now = now;
  }

  /** Whether the POS can reach the cloud service. */
  get online(): boolean {
    return this.#online;
  }

  /** Switches between online and offline validation ("told it is offline"). */
  setOnline(online: boolean): void {
    this.#online = online;
  }

  /** Validates one `register_client`'s credentials. */
  validate(credentials: IntegratorCredentials): IntegratorValidation {
    const secretHash = sha256(credentials.secretKey);
    if (this.#online) {
      // Hash-then-compare: equal lengths for timingSafeEqual, no early exit on the first differing byte.
      const keyOk = timingSafeEqual(sha256(credentials.keyId), this.#expectedKeyId);
      const secretOk = timingSafeEqual(secretHash, this.#expectedSecret);
      if (!keyOk || !secretOk) return { ok: false, ...POS_REGISTER_NACK.INVALID_CREDENTIALS };
      this.#cache.set(credentials.keyId, { secretHash, validatedAt: this.#now() });
      return { ok: true, mode: 'online' };
    }
    const cached = this.#cache.get(credentials.keyId);
    const fresh = cached !== undefined && this.#now() - cached.validatedAt <= OFFLINE_VALIDATION_WINDOW_MS;
    if (fresh && timingSafeEqual(secretHash, cached.secretHash)) return { ok: true, mode: 'offline' };
    return { ok: false, ...POS_REGISTER_NACK.OFFLINE_VALIDATION_UNAVAILABLE };
  }
}
