import { rmSync } from 'node:fs';
import path from 'node:path';
import { FACTS_ENV } from './deploy-facts';

/** Jest global teardown: removes the scratch directory of global-setup.ts. */
export default function globalTeardown(): void {
  const file = process.env[FACTS_ENV];
  if (file) rmSync(path.dirname(file), { recursive: true, force: true });
}
