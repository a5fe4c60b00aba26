import fc from 'fast-check';
import {
  PES_CIPHER_NAMES,
  generateDek,
  isPesCipherName,
  pesAad,
  pesDecrypt,
  pesEncrypt,
  type PesCipherName,
} from './index';
import { captureCryptoError, loadVectors } from './testing';

const { pes } = loadVectors();
const dek = Buffer.from(pes.dekB64, 'base64');
const IV_BYTES: Record<PesCipherName, number> = { 'aes-256-gcm': 12, 'aes-256-cbc': 16 };
const CIPHER_FIELD = { 'aes-256-gcm': 'gcm', 'aes-256-cbc': 'cbc' } as const;

describe('PES known answers (shared/vectors pes.messages)', () => {
  describe.each(pes.messages.map((m) => [`${m.msg_type}${m.msg_resp === null ? '' : ` ${m.msg_resp}`}`, m] as const))(
    '%s',
    (_name, m) => {
      it('pesAad reproduces the vector AAD', () => {
        expect(pesAad(m.msg_type, m.msg_id, m.msg_resp).toString('utf8')).toBe(m.aad);
      });

      it.each(PES_CIPHER_NAMES.map((c) => [c]))('%s: pesDecrypt reproduces the plaintext', (cipher) => {
        const msgData = m[CIPHER_FIELD[cipher]];
        expect(pesDecrypt(cipher, dek, Buffer.from(m.aad), msgData).toString('utf8')).toBe(m.plaintext);
      });

      it.each(PES_CIPHER_NAMES.map((c) => [c]))('%s: pesEncrypt with the vector IV reproduces msg_data', (cipher) => {
        const msgData = m[CIPHER_FIELD[cipher]];
        const iv = Buffer.from(msgData, 'base64').subarray(0, IV_BYTES[cipher]);
        const aad = pesAad(m.msg_type, m.msg_id, m.msg_resp);
        expect(pesEncrypt(cipher, dek, aad, Buffer.from(m.plaintext), iv)).toBe(msgData);
      });

      it('GCM: the same msg_data under another msg_id, type or response fails', () => {
        for (const aad of [pesAad(m.msg_type, `${m.msg_id}x`, m.msg_resp), pesAad('void_order', m.msg_id, m.msg_resp), pesAad(m.msg_type, m.msg_id, 'nack')]) {
          expect(captureCryptoError(() => pesDecrypt('aes-256-gcm', dek, aad, m.gcm)).code).toBe('ERR_CRYPTO_DECRYPT_FAILED');
        }
      });
    },
  );
});

describe('pesEncrypt / pesDecrypt', () => {
  it('round-trips any plaintext and AAD under both ciphers', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PES_CIPHER_NAMES), fc.uint8Array({ maxLength: 600 }), fc.string(), (cipher, plaintext, msgId) => {
        const key = generateDek();
        const aad = pesAad('create_order', msgId);
        const msgData = pesEncrypt(cipher, key, aad, Buffer.from(plaintext));
        expect(pesDecrypt(cipher, key, aad, msgData)).toEqual(Buffer.from(plaintext));
      }),
    );
  });

  it.each(PES_CIPHER_NAMES.map((c) => [c]))('%s: a fresh IV leads each msg_data', (cipher) => {
    const aad = pesAad('t', '1');
    const a = Buffer.from(pesEncrypt(cipher, dek, aad, Buffer.from('x')), 'base64');
    const b = Buffer.from(pesEncrypt(cipher, dek, aad, Buffer.from('x')), 'base64');
    expect(a.subarray(0, IV_BYTES[cipher])).not.toEqual(b.subarray(0, IV_BYTES[cipher]));
  });

  const m = pes.messages[0]!;
  const aad = Buffer.from(m.aad);
  const flipped = Buffer.from(m.gcm, 'base64');
  flipped[20] ^= 1;
  it.each<[string, PesCipherName, string, Buffer]>([
    ['GCM: a wrong DEK', 'aes-256-gcm', m.gcm, generateDek()],
    ['GCM: a flipped bit', 'aes-256-gcm', flipped.toString('base64'), dek],
    ['GCM: only an IV', 'aes-256-gcm', Buffer.alloc(12).toString('base64'), dek],
    ['GCM: an IV and a 15-byte tag', 'aes-256-gcm', Buffer.alloc(27).toString('base64'), dek],
    ['CBC: a wrong DEK (fixed: a random one unpads by chance 1 in ≈ 256)', 'aes-256-cbc', m.cbc, Buffer.alloc(32, 7)],
    ['CBC: only an IV', 'aes-256-cbc', Buffer.alloc(16).toString('base64'), dek],
    ['CBC: a partial block', 'aes-256-cbc', Buffer.from(m.cbc, 'base64').subarray(0, 40).toString('base64'), dek],
    ['the GCM text read as CBC', 'aes-256-cbc', m.gcm, dek],
    ['bad base64', 'aes-256-gcm', `${m.gcm.slice(0, 10)}!${m.gcm.slice(10)}`, dek],
    ['empty text', 'aes-256-gcm', '', dek],
  ])('refuses %s with ERR_CRYPTO_DECRYPT_FAILED', (_name, cipher, msgData, key) => {
    expect(captureCryptoError(() => pesDecrypt(cipher, key, aad, msgData)).code).toBe('ERR_CRYPTO_DECRYPT_FAILED');
  });

  it('accepts the url alphabet and surrounding whitespace', () => {
    const url = Buffer.from(m.gcm, 'base64').toString('base64url');
    expect(pesDecrypt('aes-256-gcm', dek, aad, ` ${url}\n`).toString()).toBe(m.plaintext);
  });

  it.each<[string, () => unknown]>([
    ['an unknown cipher', () => pesEncrypt('aes-256-ctr' as PesCipherName, dek, aad, Buffer.alloc(0))],
    ['a short DEK', () => pesDecrypt('aes-256-gcm', dek.subarray(1), aad, m.gcm)],
    ['an IV of the wrong length', () => pesEncrypt('aes-256-gcm', dek, aad, Buffer.alloc(0), Buffer.alloc(16))],
    ['msg_data that is not text', () => pesDecrypt('aes-256-gcm', dek, aad, Buffer.alloc(40) as unknown as string)],
    ['a missing AAD', () => pesDecrypt('aes-256-gcm', dek, undefined as unknown as Buffer, m.gcm)],
  ])('throws TypeError for %s', (_name, call) => {
    expect(call).toThrow(TypeError);
  });
});

describe('PES helpers', () => {
  it('generateDek gives 32 fresh bytes', () => {
    expect(generateDek()).toHaveLength(32);
    expect(generateDek()).not.toEqual(generateDek());
  });

  it('pesAad writes an empty msg_resp for none', () => {
    expect(pesAad('add_item', 'id-1').toString()).toBe('add_item.id-1.');
    expect(pesAad('add_item', 'id-1', null).toString()).toBe('add_item.id-1.');
    expect(pesAad('register_client', 'id-1', 'ack').toString()).toBe('register_client.id-1.ack');
  });

  it('isPesCipherName accepts exactly the listed ciphers', () => {
    expect(PES_CIPHER_NAMES).toEqual(['aes-256-gcm', 'aes-256-cbc']);
    expect(isPesCipherName('aes-256-cbc')).toBe(true);
    expect(isPesCipherName('aes-256-ecb')).toBe(false);
  });
});
