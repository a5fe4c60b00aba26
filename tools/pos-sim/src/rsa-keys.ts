import { generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

const generateRsa = promisify(generateKeyPair);

/** The POS's key pair for one connection (seed 003: a new RSA pair per connection, used as KEK). */
export interface PosKeyPair {
  readonly privateKey: KeyObject;
  /** PEM SPKI (`BEGIN PUBLIC KEY`), what `init_client` carries. */
  readonly publicKeyPem: string;
}

/** RSA modulus the simulator generates: the minimum the ingress accepts (DESIGN §6). */
export const POS_RSA_MODULUS_BITS = 2048;

/** A fresh RSA-2048 pair (≈ 50–200 ms of CPU, off the main thread). */
export async function generatePosKeyPair(modulusLength = POS_RSA_MODULUS_BITS): Promise<PosKeyPair> {
  const { privateKey, publicKey } = await generateRsa('rsa', { modulusLength });
  return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/** Where a connection gets its key pair: fresh each time, or from a {@link RsaKeyPool}. */
export type PosKeySource = () => Promise<PosKeyPair>;

/** The default {@link PosKeySource}: a fresh pair per connection, as a real POS does. */
export const freshKeyPairs: PosKeySource = () => generatePosKeyPair();

/**
 * A pre-made pool of key pairs handed out round-robin, for load tests and benchmarks: generating a
 * fresh RSA-2048 pair per connection would make the simulator, not the ingress, the bottleneck. The
 * ingress cannot tell (each connection still gets a fresh DEK).
 */
export class RsaKeyPool {
  readonly #pairs: readonly PosKeyPair[];
  #next = 0;

  private constructor(pairs: readonly PosKeyPair[]) {
    this.#pairs = pairs;
  }

  /** Generates `size` pairs (in parallel on libuv's thread pool). */
  static async create(size: number, modulusLength = POS_RSA_MODULUS_BITS): Promise<RsaKeyPool> {
    if (!Number.isSafeInteger(size) || size < 1) throw new TypeError('size must be a positive integer');
    const pairs = await Promise.all(Array.from({ length: size }, () => generatePosKeyPair(modulusLength)));
    return new RsaKeyPool(pairs);
  }

  /** Pairs in the pool. */
  get size(): number {
    return this.#pairs.length;
  }

  /** The next pair, round-robin. */
  next(): PosKeyPair {
    const pair = this.#pairs[this.#next];
    this.#next = (this.#next + 1) % this.#pairs.length;
    return pair;
  }

  /** This pool as a {@link PosKeySource}. */
  source(): PosKeySource {
    return async () => this.next();
  }
}
