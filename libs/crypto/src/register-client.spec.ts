import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import {
  OAEP_HASHES,
  PES_CIPHER_NAMES,
  buildRegisterClient,
  generateDek,
  importRsaPublicKey,
  openRegisterClient,
  pesAad,
  type OaepHash,
  type PesCipherName,
} from './index';
import { captureCryptoError, loadVectors } from './testing';

const { registerClient: rc } = loadVectors().pes;
const privateKey = createPrivateKey(rc.privateKeyPem);
const publicKey = importRsaPublicKey(rc.publicKeyPem);
const aad = pesAad('register_client', rc.msg_id);
const VECTOR: Record<OaepHash, string> = { sha256: rc.msg_data_oaep_sha256, sha1: rc.msg_data_oaep_sha1 };

describe('register_client known answers (shared/vectors pes.registerClient)', () => {
  it('pesAad of register_client with an empty msg_resp is the vector AAD', () => {
    expect(aad.toString()).toBe(rc.aad);
  });

  it.each(OAEP_HASHES.map((h) => [h]))('openRegisterClient (OAEP %s) gives the credentials', (oaepHash) => {
    const { dek, credentials } = openRegisterClient({ privateKey, oaepHash, cipher: 'aes-256-gcm', aad, msgData: VECTOR[oaepHash] });
    expect(credentials.toString('utf8')).toBe(rc.credentials);
    expect(dek).toHaveLength(32);
  });

  it('both vectors carry the same DEK', () => {
    const open = (h: OaepHash) => openRegisterClient({ privateKey, oaepHash: h, cipher: 'aes-256-gcm', aad, msgData: VECTOR[h] }).dek;
    expect(open('sha256')).toEqual(open('sha1'));
  });

  it.each<[string, Partial<Parameters<typeof openRegisterClient>[0]>]>([
    ['the other OAEP hash', { oaepHash: 'sha1' }],
    ['another AAD', { aad: pesAad('register_client', 'reg-0002') }],
    ['the CBC cipher', { cipher: 'aes-256-cbc' }],
    ['another private key', { privateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey }],
    ['a truncated msg_data', { msgData: Buffer.from(rc.msg_data_oaep_sha256, 'base64').subarray(0, 256 + 12 + 15).toString('base64') }],
    ['bad base64', { msgData: `*${rc.msg_data_oaep_sha256}` }],
  ])('refuses the sha256 vector under %s with ERR_CRYPTO_DECRYPT_FAILED', (_name, change) => {
    const options = { privateKey, oaepHash: 'sha256' as const, cipher: 'aes-256-gcm' as const, aad, msgData: rc.msg_data_oaep_sha256, ...change };
    expect(captureCryptoError(() => openRegisterClient(options)).code).toBe('ERR_CRYPTO_DECRYPT_FAILED');
  });
});

describe('buildRegisterClient → openRegisterClient', () => {
  const credentials = Buffer.from(rc.credentials);

  it.each(
    PES_CIPHER_NAMES.flatMap((cipher) => OAEP_HASHES.map((oaepHash) => [cipher, oaepHash] as [PesCipherName, OaepHash])),
  )('%s, OAEP %s: round-trips the DEK and credentials; the RSA part is the modulus length', (cipher, oaepHash) => {
    const dek = generateDek();
    const msgData = buildRegisterClient({ publicKey, dek, oaepHash, cipher, aad, credentials });
    const opened = openRegisterClient({ privateKey, oaepHash, cipher, aad, msgData });
    expect(opened.dek).toEqual(dek);
    expect(opened.credentials).toEqual(credentials);

    const ivBytes = cipher === 'aes-256-gcm' ? 12 : 16;
    const sealedBytes = cipher === 'aes-256-gcm' ? credentials.length + 16 : (Math.floor(credentials.length / 16) + 1) * 16;
    expect(Buffer.from(msgData, 'base64')).toHaveLength(256 + ivBytes + sealedBytes);
  });

  it('uses a 4096-bit key’s full 512 bytes for the RSA part', () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 4096 });
    const dek = generateDek();
    const msgData = buildRegisterClient({ publicKey: pair.publicKey, dek, oaepHash: 'sha256', cipher: 'aes-256-gcm', aad, credentials });
    expect(Buffer.from(msgData, 'base64')).toHaveLength(512 + 12 + credentials.length + 16);
    expect(openRegisterClient({ privateKey: pair.privateKey, oaepHash: 'sha256', cipher: 'aes-256-gcm', aad, msgData }).dek).toEqual(dek);
  });

  it.each<[string, Partial<Parameters<typeof buildRegisterClient>[0]>]>([
    ['a private key as the public key', { publicKey: privateKey }],
    ['an EC public key', { publicKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey }],
    ['a 16-byte DEK', { dek: Buffer.alloc(16) }],
    ['PKCS#1 v1.5 asked for as the hash', { oaepHash: 'pkcs1' as OaepHash }],
    ['an unknown cipher', { cipher: 'aes-256-ctr' as PesCipherName }],
  ])('throws TypeError for %s', (_name, change) => {
    const options = { publicKey, dek: generateDek(), oaepHash: 'sha256' as const, cipher: 'aes-256-gcm' as const, aad, credentials, ...change };
    expect(() => buildRegisterClient(options)).toThrow(TypeError);
  });
});
