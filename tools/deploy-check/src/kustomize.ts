import { runTool } from './external-tool';
import { parseManifests, type K8sObject } from './k8s-objects';
import { WORKSPACE_ROOT } from './workspace';

/**
 * The overlays use kustomize v5 syntax (`labels` with `includeTemplates`, inline `patches` with
 * targets). kubectl 1.27+ embeds kustomize v5; Debian's `kubernetes-client` (kubectl 1.20)
 * embeds v2.0.3, which cannot read them.
 */
export const MIN_KUSTOMIZE_MAJOR = 5;

/**
 * The major version of the kustomize embedded in a `kubectl version --client -o json` output
 * (`"kustomizeVersion": "v5.5.0"`), or `undefined` when it does not say.
 */
export function kustomizeMajor(versionJson: string): number | undefined {
  try {
    const version = (JSON.parse(versionJson) as { kustomizeVersion?: unknown }).kustomizeVersion;
    const match = typeof version === 'string' ? /^v?(\d+)\./.exec(version) : null;
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Throws unless the installed kubectl embeds kustomize v5 or later, saying what to install:
 * an old kubectl fails on the overlays with messages that do not point at the cause.
 */
export function requireKustomizeV5(): void {
  const run = runTool('kubectl', ['version', '--client', '-o', 'json'], { cwd: WORKSPACE_ROOT });
  const major = kustomizeMajor(run.stdout);
  if (major === undefined || major < MIN_KUSTOMIZE_MAJOR) {
    throw new Error(
      `kubectl embeds kustomize ${major === undefined ? '(unknown)' : `v${major}`}; deploy/ needs kustomize v${MIN_KUSTOMIZE_MAJOR}+ ` +
        '(kubectl 1.27 or later, e.g. from pkgs.k8s.io — Debian bookworm\'s kubernetes-client is 1.20)',
    );
  }
}

/**
 * Renders a Kustomize directory (repository-relative, e.g. `deploy/overlays/prod`) with
 * `kubectl kustomize` and parses the result. Throws with kubectl's message when it fails, and
 * when kubectl is missing (see `requireTool`).
 */
export function renderKustomization(dir: string): K8sObject[] {
  const run = runTool('kubectl', ['kustomize', dir], { cwd: WORKSPACE_ROOT });
  if (run.status !== 0) throw new Error(`kubectl kustomize ${dir} failed (${run.status}): ${run.stderr.trim()}`);
  return parseManifests(run.stdout, `kubectl kustomize ${dir}`);
}
