import type { IContainer } from 'kubernetes-models/v1/Container' with { 'resolution-mode': 'import' };
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec' with { 'resolution-mode': 'import' };
import { effectiveValue, type AppVariable } from './app-variables';
import { containerPort, findObject, podSpecOf, resolveContainerEnv, type K8sObject } from './k8s-objects';
import { KEY_SYNC_REPLICAS, type ServiceSpec } from './workspace';

/** A service with the variables its app declares (from its bundle's `--print-config=json`). */
export interface ServiceUnderCheck {
  readonly spec: ServiceSpec;
  readonly variables: readonly AppVariable[];
}

/** Kubernetes' default when a pod sets no terminationGracePeriodSeconds. */
const DEFAULT_GRACE_SECONDS = 30;

/** The preStop pause in ms: `exec: sleep N` or the native `sleep: {seconds}`; `undefined` when there is none. */
export function preStopPauseMs(container: IContainer): number | undefined {
  const preStop = container.lifecycle?.preStop;
  if (!preStop) return undefined;
  if (preStop.sleep) return preStop.sleep.seconds * 1000;
  const command = preStop.exec?.command ?? [];
  const seconds = command.length === 2 && /(^|\/)sleep$/.test(command[0]) ? Number(command[1]) : NaN;
  return Number.isFinite(seconds) ? seconds * 1000 : 0;
}

function probeProblems(container: IContainer, opsPort: number): string[] {
  const problems: string[] = [];
  const probes = [
    ['livenessProbe', container.livenessProbe, '/health/live'],
    ['readinessProbe', container.readinessProbe, '/health/ready'],
  ] as const;
  for (const [field, probe, path] of probes) {
    const get = probe?.httpGet;
    if (!get) {
      problems.push(`has no ${field} (httpGet ${path})`);
      continue;
    }
    if (get.path !== path) problems.push(`${field} probes ${get.path ?? '/'}, not ${path}`);
    const port = containerPort(container, get.port);
    if (port !== opsPort) problems.push(`${field} probes port ${String(get.port)} (${port ?? 'unknown'}), not the ops port ${opsPort}`);
  }
  if (!container.ports?.some((p) => p.containerPort === opsPort)) problems.push(`declares no container port ${opsPort} (ops)`);
  return problems;
}

function securityProblems(pod: IPodSpec, container: IContainer): string[] {
  const problems: string[] = [];
  const c = container.securityContext ?? {};
  const p = pod.securityContext ?? {};
  if ((c.runAsNonRoot ?? p.runAsNonRoot) !== true) problems.push('does not set runAsNonRoot: true');
  if ((c.runAsUser ?? p.runAsUser) === 0) problems.push('runs as uid 0');
  if (c.readOnlyRootFilesystem !== true) problems.push('does not set readOnlyRootFilesystem: true');
  if (c.allowPrivilegeEscalation !== false) problems.push('does not set allowPrivilegeEscalation: false');
  if (!c.capabilities?.drop?.includes('ALL')) problems.push('does not drop ALL capabilities');
  if ((c.seccompProfile ?? p.seccompProfile)?.type !== 'RuntimeDefault') problems.push('has no RuntimeDefault seccomp profile');
  if (pod.automountServiceAccountToken !== false) problems.push('mounts a service-account token it never uses');
  return problems;
}

function resourceProblems(container: IContainer): string[] {
  const { requests, limits } = container.resources ?? {};
  const missing = [
    ['requests.cpu', requests?.['cpu']],
    ['requests.memory', requests?.['memory']],
    ['limits.memory', limits?.['memory']],
  ].filter(([, value]) => value === undefined);
  return missing.map(([name]) => `sets no resources.${name}`);
}

function envProblems(service: ServiceUnderCheck, container: IContainer, objects: readonly K8sObject[]): { problems: string[]; values: Map<string, string | undefined> } {
  const resolved = resolveContainerEnv(container, objects);
  const problems = [...resolved.problems];
  const declared = new Map(service.variables.map((v) => [v.name, v]));
  const values = new Map<string, string | undefined>();
  for (const [name, source] of resolved.vars) {
    values.set(name, source.value);
    const variable = declared.get(name);
    if (!variable) problems.push(`sets ${name}, which ${service.spec.app} does not declare`);
    else if (variable.secret && source.from !== 'secret') problems.push(`takes the secret ${name} from a ${source.from}, not a Secret`);
  }
  for (const variable of service.variables) {
    if (variable.required && !resolved.vars.has(variable.name)) problems.push(`does not set the required ${variable.name}`);
  }
  // A secret in a ConfigMap is readable by anyone who may read ConfigMaps, even when a later
  // Secret overrides it in the container.
  for (const source of container.envFrom ?? []) {
    const map = source.configMapRef && findObject(objects, 'ConfigMap', source.configMapRef.name ?? '');
    for (const key of Object.keys((map?.['data'] ?? {}) as Record<string, string>)) {
      if (declared.get((source.prefix ?? '') + key)?.secret) problems.push(`reads ConfigMap ${map?.metadata.name}, which holds the secret ${key}`);
    }
  }
  return { problems, values };
}

function graceProblems(service: ServiceUnderCheck, pod: IPodSpec, container: IContainer, env: ReadonlyMap<string, string | undefined>): string[] {
  const pause = preStopPauseMs(container);
  if (pause === undefined) return ['has no preStop hook (the endpoint removal needs time to propagate)'];
  if (!env.get('DRAIN_TIMEOUT_MS')) return ['does not set DRAIN_TIMEOUT_MS (its grace period cannot be checked against it)'];
  const drainMs = Number(effectiveValue(service.variables, env, 'DRAIN_TIMEOUT_MS'));
  const graceMs = (pod.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS) * 1000;
  return graceMs > pause + drainMs
    ? []
    : [`terminationGracePeriodSeconds (${graceMs / 1000}) is not longer than preStop (${pause / 1000} s) + DRAIN_TIMEOUT_MS (${drainMs / 1000} s)`];
}

function metricsProblems(deployment: K8sObject, opsPort: number): string[] {
  const annotations = (deployment['spec'] as { template?: { metadata?: { annotations?: Record<string, string> } } }).template?.metadata?.annotations ?? {};
  const expected: Record<string, string> = { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(opsPort), 'prometheus.io/path': '/metrics' };
  return Object.entries(expected)
    .filter(([key, value]) => annotations[key] !== value)
    .map(([key, value]) => `pod annotation ${key} is ${JSON.stringify(annotations[key])}, not ${JSON.stringify(value)}`);
}

/**
 * Everything one service's Deployment must be (issue 8): probes on the ops port, resources,
 * a hardened security context, a grace period longer than preStop + drain, Prometheus
 * annotations, an environment that sets every required variable, declares nothing unknown and
 * takes secrets only from Secrets; key-sync with its fixed replicas, autoscaled services
 * without a `replicas` that would fight the HorizontalPodAutoscaler. Problems are prefixed
 * with `Deployment <app>`.
 */
export function deploymentProblems(objects: readonly K8sObject[], service: ServiceUnderCheck): string[] {
  const { app, opsPort, autoscaled } = service.spec;
  const deployment = findObject(objects, 'Deployment', app);
  if (!deployment) return [`no Deployment ${app}`];
  const pod = podSpecOf(deployment);
  const container = pod?.containers.find((c) => c.name === app);
  if (!pod || !container) return [`Deployment ${app} has no container ${app}`];

  const env = envProblems(service, container, objects);
  const effectiveOps = Number(effectiveValue(service.variables, env.values, 'OPS_PORT'));
  const problems = [
    ...env.problems,
    ...(effectiveOps === opsPort ? [] : [`runs its ops server on ${effectiveOps}, not ${opsPort} (DESIGN §8)`]),
    ...probeProblems(container, opsPort),
    ...metricsProblems(deployment, opsPort),
    ...resourceProblems(container),
    ...securityProblems(pod, container),
    ...graceProblems(service, pod, container, env.values),
  ];
  const replicas = (deployment['spec'] as { replicas?: number }).replicas;
  if (autoscaled && replicas !== undefined) problems.push(`sets replicas (${replicas}) although a HorizontalPodAutoscaler owns the count`);
  if (app === 'key-sync' && replicas !== KEY_SYNC_REPLICAS) problems.push(`runs ${replicas ?? 1} replicas, not ${KEY_SYNC_REPLICAS} (leader + stand-by)`);
  return problems.map((p) => `Deployment ${app} ${p}`);
}
