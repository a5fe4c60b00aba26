import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectableUrl, readDemoManifest, removeDemoManifest, writeDemoManifest, type DemoManifest } from './demo-manifest';

const manifest: DemoManifest = {
  pid: 42,
  gatewayUrl: 'http://127.0.0.1:8080',
  pes: { host: '127.0.0.1', port: 5555 },
  siteId: 'demo-store',
  portal: { url: 'http://127.0.0.1:4000', auth: 'Bearer portal-sim', service: 'XKM' },
  integrator: { keyId: 'demo-integrator', secretKey: 's' },
  pinpadId: 'demo-pinpad',
};

describe('demo manifest', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'poslink-manifest-'));

  it('writeDemoManifest → readDemoManifest round-trips, mode 0600 even over an existing file; removeDemoManifest deletes it', async () => {
    const file = path.join(dir, 'demo.json');
    writeFileSync(file, 'old', { mode: 0o644 });
    await writeDemoManifest(file, manifest);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await readDemoManifest(file)).toEqual(manifest);
    await removeDemoManifest(file);
    await removeDemoManifest(file); // already gone: fine
    await expect(readDemoManifest(file)).rejects.toThrow(`no running standalone demo found (${file} is missing)`);
  });

  it('readDemoManifest refuses a file that is not a manifest', async () => {
    const file = path.join(dir, 'other.json');
    writeFileSync(file, '{"a":1}');
    await expect(readDemoManifest(file)).rejects.toThrow(`${file} is not a pos-link demo manifest`);
  });

  it('connectableUrl maps unspecified bind addresses to loopback', () => {
    expect(connectableUrl('http://0.0.0.0:8080').origin).toBe('http://127.0.0.1:8080');
    expect(connectableUrl('http://[::]:8080').origin).toBe('http://[::1]:8080');
    expect(connectableUrl('tcp://10.0.0.5:5555').host).toBe('10.0.0.5:5555');
  });
});
