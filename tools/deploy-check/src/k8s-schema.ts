import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { K8sObject } from './k8s-objects';
import { WORKSPACE_ROOT } from './workspace';

/** Validating a few dozen objects takes well under a second; this bounds a hung child. */
const VALIDATE_TIMEOUT_MS = 60_000;

/**
 * Validates each object against its Kubernetes OpenAPI schema with `kubernetes-models`
 * (offline; in a child Node process, see validate-models.mjs). Returns one list of problems
 * per object, `<Kind>/<name>: <message>`; an object of a kind the package has no schema for is
 * a problem too (a typo in `kind` or `apiVersion` must not pass unvalidated).
 */
export function schemaProblems(objects: readonly K8sObject[]): string[] {
  const out = execFileSync(process.execPath, [path.join(__dirname, 'validate-models.mjs')], {
    cwd: WORKSPACE_ROOT,
    input: JSON.stringify(objects),
    timeout: VALIDATE_TIMEOUT_MS,
    maxBuffer: 32 * 1024 * 1024,
  });
  const results = JSON.parse(out.toString('utf8')) as string[][];
  if (!Array.isArray(results) || results.length !== objects.length) throw new Error('validate-models.mjs answered for a different number of objects');
  return results.flatMap((messages, i) => messages.map((m) => `${objects[i].kind}/${objects[i].metadata.name}: ${m}`));
}
