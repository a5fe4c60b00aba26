import type { PeerCertificate } from 'node:tls';
import { certificateIdentity, parseSubjectAltName, terminalUrn } from './terminal-certificate';

function cert(cn: string | string[] | undefined, subjectaltname?: string): PeerCertificate {
  return { subject: cn === undefined ? {} : { CN: cn }, subjectaltname } as unknown as PeerCertificate;
}

describe('parseSubjectAltName', () => {
  it("splits Node's subjectaltname text, JSON-quoted values included", () => {
    expect(parseSubjectAltName('DNS:localhost, IP Address:127.0.0.1, URI:urn:poslink:site:42:pinpad:1')).toEqual([
      { type: 'DNS', value: 'localhost' },
      { type: 'IP Address', value: '127.0.0.1' },
      { type: 'URI', value: 'urn:poslink:site:42:pinpad:1' },
    ]);
    expect(parseSubjectAltName('URI:"urn:x,y", DNS:a')).toEqual([
      { type: 'URI', value: 'urn:x,y' },
      { type: 'DNS', value: 'a' },
    ]);
    expect(parseSubjectAltName(undefined)).toEqual([]);
    expect(parseSubjectAltName('')).toEqual([]);
  });
});

describe('certificateIdentity', () => {
  it('reads pinpad ids from the CN and SAN DNS names, and pinpad → site from SAN URIs', () => {
    const identity = certificateIdentity(cert('T1', `DNS:T7, URI:${terminalUrn('store-9', 'P:3')}, URI:https://example.com/`));
    expect([...identity.pinpadIds]).toEqual(['T1', 'T7']);
    expect([...identity.sites]).toEqual([['P:3', 'store-9']]);
  });

  it('reads every CN of a multi-valued subject, and nothing from a certificate without one', () => {
    expect([...certificateIdentity(cert(['A', 'B'])).pinpadIds]).toEqual(['A', 'B']);
    expect(certificateIdentity(cert(undefined)).pinpadIds.size).toBe(0);
  });

  it('writes the URI form urn:poslink:site:<siteId>:pinpad:<pinpadId>', () => {
    expect(terminalUrn('42', '1')).toBe('urn:poslink:site:42:pinpad:1');
  });
});
