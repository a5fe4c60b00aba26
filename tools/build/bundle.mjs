#!/usr/bin/env node
// Bundles one app (apps/<name>/src/main.ts) into dist/apps/<name>/main.js.
//
// esbuild resolves the tsconfig path aliases and bundles the workspace libs; npm packages stay
// external (they are installed next to the bundle). esbuild cannot emit decorator metadata, which
// Nest's dependency injection reads, so every workspace .ts file is compiled by swc first (the same
// compiler and options the tests use) and esbuild only bundles the result.
import { build } from 'esbuild';
import { transformFile } from '@swc/core';
import { createRequire } from 'node:module';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { swcOptions } = require('../../jest.preset.cjs');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const swcPlugin = {
  name: 'swc-decorator-metadata',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes('node_modules')) return undefined;
      const out = await transformFile(args.path, {
        ...swcOptions,
        module: { type: 'es6' },
        sourceMaps: 'inline',
        filename: args.path,
        swcrc: false,
        configFile: false,
      });
      return { contents: out.code, loader: 'js' };
    });
  },
};

/**
 * Bundles one TypeScript entry point into one CommonJS file (npm packages stay external). The output
 * (and its source map) is written to a temporary name and renamed into place, so a process started
 * while another test run re-bundles the same app never reads a half-written file.
 */
export async function bundleEntry(entry, outfile) {
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    packages: 'external',
    tsconfig: path.join(root, 'tsconfig.base.json'),
    plugins: [swcPlugin],
    logLevel: 'warning',
    write: false,
  });
  await mkdir(path.dirname(outfile), { recursive: true });
  // The map first, so the bundle never points at a missing or stale map.
  const isMap = (f) => f.path.endsWith('.map');
  const files = [...result.outputFiles.filter(isMap), ...result.outputFiles.filter((f) => !isMap(f))];
  for (const file of files) {
    const tmp = `${file.path}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, file.contents);
    await rename(tmp, file.path);
  }
  return outfile;
}

/** Bundles `apps/<name>/src/main.ts` into `dist/apps/<name>/main.js`. */
export async function bundleApp(name) {
  return bundleEntry(path.join(root, 'apps', name, 'src', 'main.ts'), path.join(root, 'dist', 'apps', name, 'main.js'));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const names = process.argv.slice(2);
  if (names.length === 0) {
    console.error('usage: node tools/build/bundle.mjs <app> [<app> ...]');
    process.exit(2);
  }
  for (const name of names) await bundleApp(name);
}
