import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findOnPath, requireTool } from './external-tool';

describe('findOnPath', () => {
  it('finds an executable file on PATH and skips non-executable ones', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'deploy-check-'));
    try {
      writeFileSync(path.join(dir, 'tool-x'), '#!/bin/sh\n');
      writeFileSync(path.join(dir, 'tool-y'), '');
      chmodSync(path.join(dir, 'tool-x'), 0o755);
      chmodSync(path.join(dir, 'tool-y'), 0o644);
      expect(findOnPath('tool-x', `/nonexistent${path.delimiter}${dir}`)).toBe(path.join(dir, 'tool-x'));
      expect(findOnPath('tool-y', dir)).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('requireTool', () => {
  const saved = process.env['PATH'];
  afterEach(() => {
    process.env['PATH'] = saved;
  });

  it('fails (never skips) when a tool is missing, saying how to install it', () => {
    process.env['PATH'] = '/nonexistent';
    expect(() => requireTool('docker-compose')).toThrow(
      'docker-compose is not installed, so the deployment files cannot be checked: run .ci/run (it installs it) or `apt-get install -y docker-compose`',
    );
    expect(() => requireTool('kubectl')).toThrow('`apt-get install -y kubernetes-client`');
  });
});
