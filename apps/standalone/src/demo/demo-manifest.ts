import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Where the standalone process tells `npm run demo` how to reach it, when `DEMO_FILE` is unset: one
 * file per machine user's temp dir (a second standalone process on the same machine needs its own
 * `DEMO_FILE`).
 */
export const DEFAULT_DEMO_FILE = path.join(tmpdir(), 'pos-link-demo.json');

/** The pinpad id the demo's terminal (device-sim) dials in with; mapped by the demo `TERMINAL_SITES`. */
export const DEMO_PINPAD_ID = 'demo-pinpad';

/**
 * What the demo needs to drive a running standalone process in demo mode (simulated Portal): its
 * endpoints, the demo site, and the per-run demo credentials. Written with mode 0600 and removed at
 * shutdown; it is only ever written when the Portal is the simulator (no real secret is in it).
 */
export interface DemoManifest {
  /** The standalone process (for messages only). */
  readonly pid: number;
  /** The gateway's public base URL (`http://host:HTTP_PORT`), ALE HTTP, `/ws` and the terminals' `/`. */
  readonly gatewayUrl: string;
  /** The ingress's PES listener. */
  readonly pes: { readonly host: string; readonly port: number };
  /** The demo site (keys, kitchen, ingress `SITE_ID`). */
  readonly siteId: string;
  /** The simulated Portal the POS fetches its site keys from (seed 001). */
  readonly portal: { readonly url: string; readonly auth: string; readonly service: string };
  /** The ingress's integrator credentials, which the simulated POS validates (seed 003). */
  readonly integrator: { readonly keyId: string; readonly secretKey: string };
  /** The pinpad id `TERMINAL_SITES` maps to `siteId`. */
  readonly pinpadId: string;
}

/** Writes the manifest (mode 0600: it holds the per-run demo credentials). */
export async function writeDemoManifest(file: string, manifest: DemoManifest): Promise<void> {
  await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600); // `mode` applies only when the file is created
}

/** Removes the manifest; a missing file is fine. */
export async function removeDemoManifest(file: string): Promise<void> {
  await rm(file, { force: true });
}

/**
 * Reads the manifest a running standalone process wrote.
 * @throws Error naming the file and what to do when it is missing or unreadable
 */
export async function readDemoManifest(file: string): Promise<DemoManifest> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new Error(`no running standalone demo found (${file} is missing): start one with \`npm start\` (without PORTAL_URL) first`);
  }
  const manifest = JSON.parse(text) as DemoManifest;
  if (typeof manifest.gatewayUrl !== 'string' || typeof manifest.pes?.port !== 'number' || typeof manifest.siteId !== 'string') {
    throw new Error(`${file} is not a pos-link demo manifest`);
  }
  return manifest;
}

/** The address to connect to for a listener's URL: an unspecified bind address means loopback here. */
export function connectableUrl(url: string): URL {
  const parsed = new URL(url);
  if (parsed.hostname === '0.0.0.0') parsed.hostname = '127.0.0.1';
  if (parsed.hostname === '[::]') parsed.hostname = '[::1]';
  return parsed;
}
