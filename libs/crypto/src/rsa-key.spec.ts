import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { RSA_MIN_MODULUS_BITS, importRsaPublicKey } from './index';
import { captureCryptoError, loadVectors } from './testing';

const { registerClient } = loadVectors().pes;
const vectorPrivateKey = createPrivateKey(registerClient.privateKeyPem);
const vectorPublicKey = createPublicKey(registerClient.publicKeyPem);
const spkiDer = vectorPublicKey.export({ format: 'der', type: 'spki' });

/** The four accepted spellings of a public key. */
function forms(publicKey: KeyObject) {
  return {
    pemSpki: publicKey.export({ format: 'pem', type: 'spki' }) as string,
    pemPkcs1: publicKey.export({ format: 'pem', type: 'pkcs1' }) as string,
    derSpki: (publicKey.export({ format: 'der', type: 'spki' }) as Buffer).toString('base64'),
    derPkcs1: (publicKey.export({ format: 'der', type: 'pkcs1' }) as Buffer).toString('base64'),
  };
}

describe('importRsaPublicKey', () => {
  const vectorForms = forms(vectorPublicKey);

  it.each([
    ['PEM SPKI (the vector key)', registerClient.publicKeyPem],
    ['PEM SPKI with CRLF line ends and surrounding whitespace', `\n${registerClient.publicKeyPem.replace(/\n/g, '\r\n')}\n`],
    ['PEM PKCS#1 (BEGIN RSA PUBLIC KEY)', vectorForms.pemPkcs1],
    ['base64 DER SPKI', vectorForms.derSpki],
    ['base64 DER PKCS#1', vectorForms.derPkcs1],
    ['base64 DER SPKI wrapped at 64 columns', vectorForms.derSpki.replace(/(.{64})/g, '$1\n')],
  ])('imports %s', (_form, text) => {
    const key = importRsaPublicKey(text);
    expect(key.type).toBe('public');
    expect(key.asymmetricKeyType).toBe('rsa');
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(key.export({ format: 'der', type: 'spki' })).toEqual(spkiDer);
  });

  it('refuses a 1024-bit key in every form with ERR_CRYPTO_RSA_KEY_TOO_SMALL', () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    for (const text of Object.values(forms(publicKey))) {
      expect(captureCryptoError(() => importRsaPublicKey(text)).code).toBe('ERR_CRYPTO_RSA_KEY_TOO_SMALL');
    }
  });

  it('accepts a key of exactly the minimum size', () => {
    expect(RSA_MIN_MODULUS_BITS).toBe(2048);
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(importRsaPublicKey(forms(publicKey).derPkcs1).asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pss = generateKeyPairSync('rsa-pss', { modulusLength: 2048 });
  const ed = generateKeyPairSync('ed25519');
  it.each([
    ['an EC key (PEM SPKI)', ec.publicKey.export({ format: 'pem', type: 'spki' }) as string],
    ['an EC key (base64 DER SPKI)', (ec.publicKey.export({ format: 'der', type: 'spki' }) as Buffer).toString('base64')],
    ['an Ed25519 key', ed.publicKey.export({ format: 'pem', type: 'spki' }) as string],
    ['an RSA-PSS key (cannot do OAEP)', pss.publicKey.export({ format: 'pem', type: 'spki' }) as string],
    ['an RSA private key (PEM)', registerClient.privateKeyPem],
    ['an RSA private key (base64 DER PKCS#8)', vectorPrivateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64')],
    ['an RSA private key (base64 DER PKCS#1)', vectorPrivateKey.export({ format: 'der', type: 'pkcs1' }).toString('base64')],
    ['an RSA private key (PEM PKCS#1 under the public label)', (vectorPrivateKey.export({ format: 'pem', type: 'pkcs1' }) as string).replace(/RSA PRIVATE KEY/g, 'RSA PUBLIC KEY')],
    ['DER with a long-form length that overstates the body', Buffer.concat([Buffer.from([0x30, 0x82, 0xff, 0xff]), spkiDer.subarray(4)]).toString('base64')],
    ['SPKI under the PKCS#1 label', registerClient.publicKeyPem.replace(/PUBLIC KEY/g, 'RSA PUBLIC KEY')],
    ['PKCS#1 under the SPKI label', vectorForms.pemPkcs1.replace(/RSA PUBLIC KEY/g, 'PUBLIC KEY')],
    ['mismatched PEM labels', registerClient.publicKeyPem.replace('END PUBLIC KEY', 'END RSA PUBLIC KEY')],
    ['PEM with text after it', `${registerClient.publicKeyPem.trim()}\nextra`],
    ['DER with a trailing byte', Buffer.concat([spkiDer, Buffer.from([0])]).toString('base64')],
    ['DER cut short', spkiDer.subarray(0, spkiDer.length - 1).toString('base64')],
    ['base64 with a bad character', `${vectorForms.derSpki.slice(0, 20)}*${vectorForms.derSpki.slice(20)}`],
    ['an empty string', ''],
    ['text that is far too long', 'A'.repeat(100_000)],
  ])('refuses %s with ERR_CRYPTO_RSA_KEY_INVALID', (_name, text) => {
    expect(captureCryptoError(() => importRsaPublicKey(text)).code).toBe('ERR_CRYPTO_RSA_KEY_INVALID');
  });

  it('throws TypeError for a non-string', () => {
    expect(() => importRsaPublicKey(spkiDer as unknown as string)).toThrow(TypeError);
  });
});
