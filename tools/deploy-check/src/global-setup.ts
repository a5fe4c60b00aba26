import path from 'node:path';
import { collectDeployFacts, FACTS_ENV, writeDeployFacts } from './deploy-facts';
import { WORKSPACE_ROOT } from './workspace';

/**
 * Jest global setup: bundles every app and simulator once for all integration specs (each
 * spec file has its own module registry, so a cache in a module would not be shared) and hands
 * the facts file over through the environment, which Jest passes to its workers. A unit-only
 * run (`POSLINK_UNIT_ONLY=1`) has no integration specs and skips it.
 */
export default function globalSetup(): void {
  if (process.env['POSLINK_UNIT_ONLY'] === '1') return;
  const dir = path.join(WORKSPACE_ROOT, 'tmp', 'deploy-check', `${process.pid}-${Date.now()}`);
  process.env[FACTS_ENV] = writeDeployFacts(collectDeployFacts(dir));
}
