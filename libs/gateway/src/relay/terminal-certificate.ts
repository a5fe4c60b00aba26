/**
 * What a terminal's client certificate says about it under mutual TLS (DESIGN §5: "its identity must
 * match the pinpad id"; "under mutual TLS, [its site comes] from its certificate (document the form)").
 *
 * Accepted forms, any of which may name the pinpad id:
 *
 * | where | form | gives |
 * |---|---|---|
 * | SAN URI | `urn:poslink:site:<siteId>:pinpad:<pinpadId>` | the pinpad id **and** its site |
 * | subject CN | `<pinpadId>` | the pinpad id |
 * | SAN DNS | `<pinpadId>` | the pinpad id |
 *
 * The URI form is the recommended one: the site then travels inside the signed certificate and no
 * `TERMINAL_SITES` entry is needed.
 */
import type { PeerCertificate } from 'node:tls';

/** Prefix and infix of the SAN URI form. */
const URN_PATTERN = /^urn:poslink:site:([^:]+):pinpad:(.+)$/;

/** The identities one certificate carries. */
export interface CertificateIdentity {
  /** Pinpad ids from the CN and SAN DNS names. */
  readonly pinpadIds: ReadonlySet<string>;
  /** Pinpad id → site, from SAN URIs. */
  readonly sites: ReadonlyMap<string, string>;
}

/** The SAN URI naming a terminal and its site. */
export function terminalUrn(siteId: string, pinpadId: string): string {
  return `urn:poslink:site:${siteId}:pinpad:${pinpadId}`;
}

/**
 * Splits Node's `subjectaltname` text (`DNS:a, URI:b, IP Address:1.2.3.4`); Node writes a value that
 * contains a comma or quote as a JSON string (`URI:"a,b"`).
 */
export function parseSubjectAltName(text: string | undefined): Array<{ type: string; value: string }> {
  const entries: Array<{ type: string; value: string }> = [];
  if (text === undefined || text === '') return entries;
  const pattern = /\s*([A-Za-z ]+):("(?:[^"\\]|\\.)*"|[^,]*)(?:,|$)/gy;
  for (let match = pattern.exec(text); match !== null && match[0] !== ''; match = pattern.exec(text)) {
    const raw = match[2];
    let value = raw;
    if (raw.startsWith('"')) {
      try {
        value = JSON.parse(raw) as string;
      } catch {
        continue;
      }
    }
    entries.push({ type: match[1].trim(), value });
  }
  return entries;
}

/** Reads the identities of a verified peer certificate. */
export function certificateIdentity(cert: PeerCertificate): CertificateIdentity {
  const pinpadIds = new Set<string>();
  const sites = new Map<string, string>();
  const cn = (cert.subject as unknown as Record<string, string | string[] | undefined> | undefined)?.['CN'];
  for (const value of Array.isArray(cn) ? cn : cn === undefined ? [] : [cn]) pinpadIds.add(value);
  for (const { type, value } of parseSubjectAltName(cert.subjectaltname)) {
    if (type === 'DNS') pinpadIds.add(value);
    if (type !== 'URI') continue;
    const urn = URN_PATTERN.exec(value);
    if (urn !== null) sites.set(urn[2], urn[1]);
  }
  return { pinpadIds, sites };
}
