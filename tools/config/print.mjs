#!/usr/bin/env node
// Prints or regenerates the configuration tables (STYLE 6; DESIGN §8) from the config classes.
//
// The config classes are the single source: every app's bundle answers `--print-config` (Markdown)
// and `--print-env` (a .env template) from them, so this script only bundles the apps (with the
// project's own build script) and asks each one.
//
//   node tools/config/print.mjs                prints every app's table to stdout
//   node tools/config/print.mjs --write        rewrites the tables inside docs/configuration.md
//   node tools/config/print.mjs --check        exits 1 when docs/configuration.md is out of date
//   node tools/config/print.mjs --env <app>    prints a .env template for one app
//
// In docs/configuration.md each table sits between `<!-- config:<app>:begin -->` and
// `<!-- config:<app>:end -->`; the prose around them is written by hand.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const APPS = ['key-sync', 'secure-gateway', 'event-stream-ingress', 'standalone'];
const DOC = path.join(root, 'docs/configuration.md');

/** Runs an app's bundle with only PATH in its environment, in an empty directory (no .env is read). */
function ask(app, flag) {
  return execFileSync(process.execPath, [path.join(root, 'dist/apps', app, 'main.js'), flag], {
    cwd: mkdtempSync(path.join(tmpdir(), 'poslink-config-')),
    env: { PATH: process.env.PATH ?? '' },
    encoding: 'utf8',
  });
}

function bundle(apps) {
  execFileSync(process.execPath, [path.join(root, 'tools/build/bundle.mjs'), ...apps], { cwd: root, stdio: 'inherit' });
}

function tables() {
  bundle(APPS);
  return new Map(APPS.map((app) => [app, ask(app, '--print-config')]));
}

function fillDoc(text, byApp) {
  let out = text;
  for (const [app, table] of byApp) {
    const begin = `<!-- config:${app}:begin -->`;
    const end = `<!-- config:${app}:end -->`;
    const from = out.indexOf(begin);
    const to = out.indexOf(end);
    if (from < 0 || to < from) throw new Error(`docs/configuration.md: markers for ${app} are missing`);
    out = `${out.slice(0, from + begin.length)}\n${table}${out.slice(to)}`;
  }
  return out;
}

const [mode, arg] = process.argv.slice(2);
if (mode === undefined) {
  for (const [app, table] of tables()) process.stdout.write(`## ${app}\n\n${table}\n`);
} else if (mode === '--write' || mode === '--check') {
  const current = readFileSync(DOC, 'utf8');
  const wanted = fillDoc(current, tables());
  if (mode === '--write') {
    writeFileSync(DOC, wanted);
    console.log(current === wanted ? 'docs/configuration.md is up to date' : 'docs/configuration.md rewritten');
  } else if (current !== wanted) {
    console.error('docs/configuration.md is out of date: run node tools/config/print.mjs --write');
    process.exit(1);
  } else {
    console.log('docs/configuration.md is up to date');
  }
} else if (mode === '--env' && APPS.includes(arg)) {
  bundle([arg]);
  process.stdout.write(ask(arg, '--print-env'));
} else {
  console.error(`usage: node tools/config/print.mjs [--write | --check | --env <${APPS.join('|')}>]`);
  process.exit(2);
}
