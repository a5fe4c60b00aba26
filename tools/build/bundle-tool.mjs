#!/usr/bin/env node
// Bundles one simulator/tool CLI (tools/<name>/src/cli.ts) into dist/tools/<name>/cli.js, the file
// tools/Dockerfile.sim copies. Same esbuild + swc pipeline as the apps (bundle.mjs): workspace
// libs are inlined, npm packages stay external (installed next to the bundle).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleEntry } from './bundle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Tool names become paths: keep them to one plain folder name. */
const TOOL_NAME = /^[a-z0-9][a-z0-9-]*$/;

/**
 * Bundles `tools/<name>/src/cli.ts` into `outfile` (default `dist/tools/<name>/cli.js`) and
 * returns the output path. Throws when the name is not a folder name or the CLI does not exist.
 */
export async function bundleTool(name, outfile = path.join(root, 'dist', 'tools', name, 'cli.js')) {
  if (!TOOL_NAME.test(name)) throw new TypeError(`not a tool name: ${JSON.stringify(name)}`);
  const entry = path.join(root, 'tools', name, 'src', 'cli.ts');
  if (!existsSync(entry)) throw new Error(`tools/${name}/src/cli.ts does not exist`);
  return bundleEntry(entry, outfile);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const names = process.argv.slice(2);
  if (names.length === 0) {
    console.error('usage: node tools/build/bundle-tool.mjs <tool> [<tool> ...]   (bundles tools/<tool>/src/cli.ts)');
    process.exit(2);
  }
  for (const name of names) await bundleTool(name);
}
