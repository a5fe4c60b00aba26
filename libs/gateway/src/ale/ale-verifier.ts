import { aleAad, aleDecrypt, aleEncrypt, encodeAleIv, generateAleIv, isCryptoError, isWellFormedUtf8, type AleSuiteName } from '@pos-link/crypto';
import type { KeyLookup } from '@pos-link/keyring';
import { GatewayError, isGatewayError } from '../errors/gateway-error';
import type { GatewayErrorCode } from '../errors/gateway-error-codes';
import { wireAnswerOf } from '../errors/wire-answers';
import { parseAleCredentials, type AleCredentials, type RawAleCredentials } from './ale-credentials';
import type { FailureBudget } from './failure-budget';
import type { KeySelector } from './key-selector';
import type { ReplayPolicy } from './replay-policy';
import type { ReplayStore } from './replay-store';
import type { AleAddress, SiteResolver } from './site-resolver';

/**
 * Suites without integrity (DESIGN §3): their plaintext must be checked before anything is forwarded, and
 * a failed check answers exactly like a bad padding.
 */
const UNAUTHENTICATED_SUITES: ReadonlySet<AleSuiteName> = new Set(['aes-256-cbc']);

/** One ALE request or message as the transport received it. */
export interface AleInput {
  /** The site of the `/sites/{id}/` prefix (HTTP path or WebSocket upgrade path), if any. */
  readonly prefixSiteId: string | undefined;
  /** The security fields as received. */
  readonly credentials: RawAleCredentials;
  /** The ciphertext text as received (a JSON string literal already unwrapped); undefined or '' = none. */
  readonly ciphertext: string | undefined;
  /** The plaintext claims to be JSON (`content-type`); checked under suites without integrity. */
  readonly declaresJson: boolean;
  /** An `authorization` header is present. */
  readonly hasAuthorization: boolean;
  /** The source address, for the failure budget. */
  readonly source: string;
}

/** A verified ALE request: what to forward and how to answer. */
export interface VerifiedAle {
  readonly encrypted: true;
  /** The key's site (the kitchen to forward to). */
  readonly siteId: string;
  /** The request's key: its answer is sealed with it (DESIGN §3). Never log it. */
  readonly key: KeyLookup;
  readonly suite: AleSuiteName;
  readonly fingerprint: string;
  /** The decrypted payload. */
  readonly plaintext: Buffer;
}

/** A request for a site with `encryption: false`: forward as received, `sec-*` stripped. */
export interface PlaintextRequest {
  readonly encrypted: false;
  readonly siteId: string;
}

/** An encrypted answer: the body text and the `sec-iv` header value. */
export interface SealedAnswer {
  /** base64 ciphertext. */
  readonly ciphertext: string;
  /** base64 IV. */
  readonly iv: string;
}

/** Options of {@link AleVerifier}. */
export interface AleVerifierOptions {
  readonly resolver: SiteResolver;
  readonly selector: KeySelector;
  readonly replayPolicy: ReplayPolicy;
  readonly replayStore: ReplayStore;
  readonly budget: FailureBudget;
  /** `ALE_SUITES`, the first being the default. */
  readonly suites: readonly AleSuiteName[];
  /** `ALE_REQUIRE_AUTHORIZATION`. */
  readonly requireAuthorization: boolean;
  /** Time source (ms). */
  readonly clock: () => number;
}

/**
 * The ALE verification core (DESIGN §3), shared by HTTP and WebSocket: site addressing, the form of the
 * security fields, key selection, the replay window, decryption, the plaintext check and the replay
 * record — in the order of `docs/specs/gateway-http.md` §3. Every failure is a `GatewayError` whose code
 * `WIRE_ANSWERS` maps to the wire; errorCode 2 failures spend the source's failure budget here, so every
 * transport counts them alike.
 */
export class AleVerifier {
  readonly #o: AleVerifierOptions;

  /** @param options the collaborators and settings */
  constructor(options: AleVerifierOptions) {
    if (options.suites.length === 0) throw new TypeError('suites must not be empty');
    this.#o = options;
  }

  /** Site addressing only (DESIGN §3 "Which site"); see `SiteResolver.resolve`. */
  address(prefixSiteId: string | undefined, fingerprint: string | undefined): AleAddress {
    return this.#o.resolver.resolve(prefixSiteId, fingerprint);
  }

  /**
   * Verifies one request: a plaintext site's request is returned as such; an ALE request is checked,
   * decrypted and its `(fingerprint, iv)` recorded.
   * @throws GatewayError (see `WIRE_ANSWERS` for each code's answer)
   */
  async verify(input: AleInput): Promise<VerifiedAle | PlaintextRequest> {
    const address = this.address(input.prefixSiteId, input.credentials.fingerprint);
    if (address.kind === 'plaintext') return { encrypted: false, siteId: address.siteId };
    return this.open(address, input);
  }

  /**
   * Verifies an ALE request whose address is known (`address(...)` said `ale`).
   * @throws GatewayError
   */
  async open(address: Extract<AleAddress, { kind: 'ale' }>, input: AleInput): Promise<VerifiedAle> {
    const o = this.#o;
    const credentials = parseAleCredentials(input.credentials, o.suites);
    if (address.siteId !== undefined) this.#requireTimestamp(address.siteId, credentials);
    if (o.requireAuthorization && !input.hasAuthorization) throw new GatewayError('ERR_GATEWAY_AUTHORIZATION_MISSING');
    const ciphertext = input.ciphertext;
    if (ciphertext === undefined || ciphertext === '') throw new GatewayError('ERR_GATEWAY_BODY_MISSING');
    if (o.budget.isExhausted(input.source)) throw new GatewayError('ERR_GATEWAY_FAILURE_BUDGET_EXCEEDED');
    try {
      // A known fingerprint (the hot path) costs no await; an unknown one refreshes and waits.
      const key = o.selector.cached(credentials.fingerprint) ?? (await o.selector.find(credentials.fingerprint, address.refreshSiteId));
      if (address.siteId === undefined) this.#requireTimestamp(key.siteId, credentials);
      const now = o.clock();
      o.selector.check(key, address.prefixSiteId, now);
      const plaintext = this.#decrypt(key, credentials, ciphertext, input.declaresJson, now);
      const replayTtlMs = this.#replayTtlMs(key.siteId, credentials, now);
      if (replayTtlMs !== undefined) await this.#record(key.siteId, credentials, replayTtlMs);
      return { encrypted: true, siteId: key.siteId, key, suite: credentials.suite, fingerprint: credentials.fingerprint, plaintext };
    } catch (error) {
      if (isGatewayError(error) && wireAnswerOf(error.code).spendsBudget) o.budget.spend(input.source);
      throw error;
    }
  }

  /**
   * Seals an answer for the client of a verified request (DESIGN §3 "Forwarding"): the request's key and
   * suite, a fresh IV, AAD = the fingerprint.
   */
  seal(request: VerifiedAle, plaintext: Buffer): SealedAnswer {
    const iv = generateAleIv(request.suite);
    return {
      ciphertext: aleEncrypt(request.suite, request.key.material, iv, plaintext, aleAad(request.fingerprint)),
      iv: encodeAleIv(iv),
    };
  }

  #requireTimestamp(siteId: string, credentials: AleCredentials): void {
    if (credentials.timestamp === undefined && this.#o.replayPolicy.windowFor(siteId) > 0) {
      throw new GatewayError('ERR_GATEWAY_TIMESTAMP_MISSING');
    }
  }

  /**
   * Window check, decryption and plaintext check as one step with one kind of answer (errorCode 2). The
   * cipher always runs — also for a timestamp outside the window — so the causes cost alike (DESIGN §3).
   */
  #decrypt(key: KeyLookup, c: AleCredentials, ciphertext: string, declaresJson: boolean, now: number): Buffer {
    const windowMs = this.#o.replayPolicy.windowFor(key.siteId);
    const inWindow = windowMs === 0 || (c.timestampMs !== undefined && Math.abs(now - c.timestampMs) <= windowMs);
    let plaintext: Buffer | undefined;
    let failure: GatewayErrorCode | undefined;
    try {
      plaintext = aleDecrypt(c.suite, key.material, c.iv, ciphertext, aleAad(c.fingerprint, c.timestamp));
    } catch (error) {
      if (!isCryptoError(error)) throw error;
      failure = 'ERR_GATEWAY_DECRYPT_FAILED';
    }
    if (plaintext !== undefined && UNAUTHENTICATED_SUITES.has(c.suite) && !isPlausiblePlaintext(plaintext, declaresJson)) {
      failure = 'ERR_GATEWAY_PLAINTEXT_INVALID';
    }
    if (failure === undefined && !inWindow) failure = 'ERR_GATEWAY_TIMESTAMP_OUT_OF_WINDOW';
    if (failure !== undefined) {
      plaintext?.fill(0);
      throw new GatewayError(failure);
    }
    return plaintext as Buffer;
  }

  /**
   * How long the pair must be remembered, or undefined when replay protection is off for the site (or the
   * request has no timestamp, which only a site without a window accepts). The record must outlive every
   * moment the timestamp still passes the window check: until `timestamp + window`.
   */
  #replayTtlMs(siteId: string, c: AleCredentials, now: number): number | undefined {
    const windowMs = this.#o.replayPolicy.windowFor(siteId);
    if (windowMs === 0 || c.timestampMs === undefined) return undefined;
    return Math.max(1, c.timestampMs + windowMs - now + 1);
  }

  /**
   * Records the pair — only now that the message authenticated, so a forgery cannot burn a genuine IV
   * (`docs/protocols/ale.md` §11).
   */
  async #record(siteId: string, c: AleCredentials, ttlMs: number): Promise<void> {
    if (!(await this.#o.replayStore.claim(siteId, c.fingerprint, c.iv, ttlMs))) throw new GatewayError('ERR_GATEWAY_REPLAYED');
  }
}

/**
 * CBC plaintext check (DESIGN §3): valid UTF-8, and valid JSON when the request says JSON. The empty
 * plaintext passes (a bodiless request with a JSON content type; nothing is forwarded that could be garbage).
 */
function isPlausiblePlaintext(plaintext: Buffer, declaresJson: boolean): boolean {
  if (!isWellFormedUtf8(plaintext)) return false;
  if (!declaresJson || plaintext.length === 0) return true;
  try {
    JSON.parse(plaintext.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}
