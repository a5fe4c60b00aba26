/**
 * The layer rules of DESIGN §1 / STYLE 1 are enforced by `@nx/enforce-module-boundaries`; these tests
 * prove it by linting deliberate violations (as virtual files inside real projects — nothing is written).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

const CASES: Array<[file: string, code: string, expected: string]> = [
  ['libs/crypto/src/probe.ts', "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n", 'not allowed to import "@nestjs/common"'],
  ['libs/crypto/src/probe.ts', "import { connect } from 'node:net';\nexport const x = connect;\n", "'node:net' import is restricted"],
  ['libs/protocol/src/probe.ts', "import Redis from 'ioredis';\nexport const x = Redis;\n", 'not allowed to import "ioredis"'],
  ['libs/protocol/src/probe.ts', "import * as p from '@pos-link/platform';\nexport const x = p;\n", 'type:types'],
  ['libs/crypto/src/probe.ts', "import * as p from '@pos-link/protocol';\nexport const x = p;\n", 'type:util'],
  ['libs/ingress/src/probe.ts', "import * as g from '@pos-link/gateway';\nexport const x = g;\n", 'type:feature'],
  // kitchen-sim imports no workspace lib: a platform → tool import is reported by its tag, not as a cycle.
  ['libs/platform/src/probe.ts', "import * as s from '@pos-link/kitchen-sim';\nexport const x = s;\n", 'type:data-access'],
  ['libs/gateway/src/probe.ts', "import * as s from '@pos-link/portal-sim';\nexport const x = s;\n", 'type:feature'],
  ['apps/secure-gateway/src/probe.ts', "import * as k from '@pos-link/key-sync';\nexport const x = k;\n", 'scope:gateway'],
];
const APP_IMPORTS_APP = ['apps/standalone/src/probe.ts', "import * as m from '../../key-sync/src/main';\nexport const x = m;\n"];
const ALLOWED = ['libs/gateway/src/probe.ts', "import * as c from '@pos-link/crypto';\nexport const x = c;\n"];

let results: string[][] = [];

beforeAll(() => {
  const input = [...CASES, APP_IMPORTS_APP, ALLOWED].map(([file, code]) => ({ file, code }));
  const out = execFileSync(process.execPath, [path.join(__dirname, 'lint-probes.mjs')], {
    cwd: root,
    input: JSON.stringify(input),
    env: { ...process.env, NX_DAEMON: 'false' },
  });
  results = JSON.parse(out.toString()) as string[][];
}, 120_000);

describe('module boundaries', () => {
  it.each(CASES.map((c, i) => [c[0], c[2], i] as const))('%s: a forbidden import fails lint (%s)', (_file, expected, i) => {
    expect(results[i].join('\n')).toContain(expected);
  });

  it('an app importing another app fails lint', () => {
    expect(results[CASES.length].length).toBeGreaterThan(0);
  });

  it('an allowed import passes', () => {
    expect(results[CASES.length + 1]).toEqual([]);
  });
});
