import { parseAllDocuments } from 'yaml';
import type { IContainer } from 'kubernetes-models/v1/Container' with { 'resolution-mode': 'import' };
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec' with { 'resolution-mode': 'import' };

/** Any Kubernetes object as rendered: type meta and a name, the rest unchecked until validated. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly [field: string]: unknown;
}

function isK8sObject(value: unknown): value is K8sObject {
  if (typeof value !== 'object' || value === null) return false;
  const o = value as Record<string, unknown>;
  const meta = o['metadata'] as Record<string, unknown> | undefined;
  return typeof o['apiVersion'] === 'string' && typeof o['kind'] === 'string' && typeof meta?.['name'] === 'string';
}

/**
 * Parses a multi-document YAML stream (`kubectl kustomize` output, a manifest file) into objects.
 * Empty documents are skipped; a YAML error or a document that is not an object with
 * `apiVersion`, `kind` and `metadata.name` throws, naming the document.
 */
export function parseManifests(text: string, source: string): K8sObject[] {
  const out: K8sObject[] = [];
  parseAllDocuments(text).forEach((doc, index) => {
    if (doc.errors.length > 0) throw new Error(`${source}, document ${index + 1}: ${doc.errors[0].message}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return;
    if (!isK8sObject(value)) throw new Error(`${source}, document ${index + 1}: not a Kubernetes object (apiVersion, kind, metadata.name)`);
    out.push(value);
  });
  return out;
}

/** The objects of one kind. */
export function ofKind<T = K8sObject>(objects: readonly K8sObject[], kind: string): T[] {
  return objects.filter((o) => o.kind === kind) as unknown as T[];
}

/** The object of a kind and name, or `undefined`. */
export function findObject<T = K8sObject>(objects: readonly K8sObject[], kind: string, name: string): T | undefined {
  return objects.find((o) => o.kind === kind && o.metadata.name === name) as unknown as T | undefined;
}

/** Whether a `matchLabels` selector selects pods with these labels. */
export function selects(selector: Readonly<Record<string, string>> | undefined, labels: Readonly<Record<string, string>> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}

/** Where a container's environment variable comes from. */
export interface EnvSource {
  readonly from: 'configMap' | 'secret' | 'value' | 'field';
  /** The ConfigMap or Secret name (`configMap`, `secret`). */
  readonly ref?: string;
  /** The value, when the manifest holds it (a ConfigMap, a literal, a rendered Secret). */
  readonly value?: string;
}

/** A container's resolved environment, and the references that did not resolve. */
export interface ResolvedEnv {
  readonly vars: ReadonlyMap<string, EnvSource>;
  readonly problems: readonly string[];
}

function secretValues(secret: K8sObject): Record<string, string> {
  const data = (secret['data'] ?? {}) as Record<string, string>;
  const stringData = (secret['stringData'] ?? {}) as Record<string, string>;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) out[key] = Buffer.from(value, 'base64').toString('utf8');
  return { ...out, ...stringData };
}

/**
 * Resolves a container's environment as the kubelet would: `envFrom` sources in order (later
 * ones win), then `env` entries. ConfigMaps and Secrets are looked up in `objects` (the render
 * plus any Secrets created out of band, e.g. from deploy/secrets.template.yaml); a missing one
 * is a problem unless the reference is `optional`.
 */
export function resolveContainerEnv(container: IContainer, objects: readonly K8sObject[]): ResolvedEnv {
  const vars = new Map<string, EnvSource>();
  const problems: string[] = [];
  for (const source of container.envFrom ?? []) {
    const prefix = source.prefix ?? '';
    if (source.configMapRef) {
      const name = source.configMapRef.name ?? '';
      const map = findObject(objects, 'ConfigMap', name);
      if (!map) {
        if (!source.configMapRef.optional) problems.push(`envFrom ConfigMap ${name} does not exist`);
        continue;
      }
      for (const [key, value] of Object.entries((map['data'] ?? {}) as Record<string, string>)) {
        vars.set(prefix + key, { from: 'configMap', ref: name, value });
      }
    }
    if (source.secretRef) {
      const name = source.secretRef.name ?? '';
      const secret = findObject(objects, 'Secret', name);
      if (!secret) {
        if (!source.secretRef.optional) problems.push(`envFrom Secret ${name} does not exist`);
        continue;
      }
      for (const [key, value] of Object.entries(secretValues(secret))) vars.set(prefix + key, { from: 'secret', ref: name, value });
    }
  }
  for (const entry of container.env ?? []) {
    const ref = entry.valueFrom;
    if (ref?.secretKeyRef) vars.set(entry.name, { from: 'secret', ref: ref.secretKeyRef.name });
    else if (ref?.configMapKeyRef) vars.set(entry.name, { from: 'configMap', ref: ref.configMapKeyRef.name });
    else if (ref) vars.set(entry.name, { from: 'field' });
    else vars.set(entry.name, { from: 'value', value: entry.value ?? '' });
  }
  return { vars, problems };
}

/** The container port a probe or Service names (by name or number), or `undefined`. */
export function containerPort(container: IContainer, port: string | number | undefined): number | undefined {
  if (typeof port === 'number') return port;
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

/** The pod spec of a workload's template (Deployment). */
export function podSpecOf(workload: K8sObject): IPodSpec | undefined {
  const spec = workload['spec'] as { template?: { spec?: IPodSpec } } | undefined;
  return spec?.template?.spec;
}
