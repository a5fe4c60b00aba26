/**
 * Small, compliant Kubernetes and compose fixtures for the rule specs: each spec breaks one thing
 * and expects exactly the problem that names it. Not the real manifests (those are checked by the
 * integration specs in test/), so a rule is tested on its own.
 */
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment' with { 'resolution-mode': 'import' };
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy' with { 'resolution-mode': 'import' };
import type { IContainer } from 'kubernetes-models/v1/Container' with { 'resolution-mode': 'import' };
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec' with { 'resolution-mode': 'import' };
import type { AppVariable } from './app-variables';
import type { ComposeConfig, ComposeService } from './compose';
import type { ServiceUnderCheck } from './deployment-rules';
import { findObject, type K8sObject } from './k8s-objects';
import { SERVICES } from './workspace';

/** A compose service a spec may change field by field. */
export type WritableComposeService = { -readonly [K in keyof ComposeService]: ComposeService[K] };

/** A compose config whose services a spec may change. */
export interface WritableComposeConfig {
  services: Record<string, WritableComposeService>;
}

/** The variables every fixture app declares (a subset of the real ones, same shapes). */
export function fixtureVariables(opsPort: number): AppVariable[] {
  return [
    { name: 'LOG_LEVEL', default: 'info', required: false, secret: false },
    { name: 'DRAIN_TIMEOUT_MS', default: '10000', required: false, secret: false },
    { name: 'OPS_PORT', default: String(opsPort), required: false, secret: false },
    { name: 'REDIS_URL', default: '', required: true, secret: true },
    { name: 'KEY_WRAP_SECRET', default: '', required: true, secret: true },
  ];
}

/** The three services with the fixture variables. */
export function fixtureServices(): ServiceUnderCheck[] {
  return SERVICES.map((spec) => ({ spec, variables: fixtureVariables(spec.opsPort) }));
}

function deployment(app: string, opsPort: number, replicas: number | undefined): K8sObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: app },
    spec: {
      ...(replicas === undefined ? {} : { replicas }),
      selector: { matchLabels: { 'app.kubernetes.io/name': app } },
      template: {
        metadata: {
          labels: { 'app.kubernetes.io/name': app, 'app.kubernetes.io/part-of': 'pos-link' },
          annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(opsPort), 'prometheus.io/path': '/metrics' },
        },
        spec: {
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: 30,
          securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: app,
              image: `pos-link/${app}:1.0.0`,
              ports: [
                { name: 'public', containerPort: 5555 },
                { name: 'ops', containerPort: opsPort },
              ],
              envFrom: [{ configMapRef: { name: `${app}-config` } }, { secretRef: { name: 'pos-link-redis' } }],
              livenessProbe: { httpGet: { path: '/health/live', port: 'ops' } },
              readinessProbe: { httpGet: { path: '/health/ready', port: 'ops' } },
              lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
              resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            },
          ],
        },
      },
    },
  };
}

function policy(name: string, app: string | null, spec: Record<string, unknown>): K8sObject {
  const podSelector = { matchLabels: app ? { 'app.kubernetes.io/name': app } : { 'app.kubernetes.io/part-of': 'pos-link' } };
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name }, spec: { podSelector, ...spec } };
}

const TO_REDIS = { to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'redis' } } }], ports: [{ port: 6379 }] };

/** A compliant rendered set: the three services and everything around them (a fresh copy each call). */
export function fixtureObjects(): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const { app, opsPort, autoscaled } of SERVICES) {
    objects.push(deployment(app, opsPort, app === 'key-sync' ? 2 : undefined));
    objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${app}-config` }, data: { OPS_PORT: String(opsPort), DRAIN_TIMEOUT_MS: '20000' } });
    objects.push({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: app },
      spec: { maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': app } } },
    });
    if (autoscaled) {
      objects.push({
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: app },
        spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: app }, minReplicas: 2, maxReplicas: 4 },
      });
    }
  }
  objects.push({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'pos-link-redis' },
    data: { REDIS_URL: Buffer.from('redis://redis:6379').toString('base64'), KEY_WRAP_SECRET: Buffer.from('x'.repeat(32)).toString('base64') },
  });
  objects.push(
    policy('deny', null, { policyTypes: ['Ingress', 'Egress'] }),
    policy('key-sync', 'key-sync', { policyTypes: ['Egress'], egress: [TO_REDIS, { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443 }] }] }),
    policy('secure-gateway', 'secure-gateway', { policyTypes: ['Egress'], egress: [TO_REDIS, { to: [{ ipBlock: { cidr: '192.0.2.0/24' } }] }] }),
    policy('event-stream-ingress', 'event-stream-ingress', { policyTypes: ['Egress'], egress: [TO_REDIS] }),
    policy('redis', 'redis', {
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['key-sync', 'secure-gateway', 'event-stream-ingress'] }] } }] }],
    }),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'event-stream-ingress' },
      spec: { type: 'LoadBalancer', selector: { 'app.kubernetes.io/name': 'event-stream-ingress' }, ports: [{ port: 5555, targetPort: 'public' }] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: 'secure-gateway',
        annotations: { 'nginx.ingress.kubernetes.io/proxy-read-timeout': '3600', 'nginx.ingress.kubernetes.io/proxy-send-timeout': '3600' },
      },
      spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'secure-gateway', port: { number: 8080 } } } }] } }] },
    },
  );
  return structuredClone(objects);
}

function composeApp(app: string, opsPort: number): ComposeService {
  return {
    image: `pos-link/${app}:dev`,
    build: { context: '.', dockerfile: `apps/${app}/Dockerfile` },
    environment: { OPS_PORT: String(opsPort), REDIS_URL: 'redis://redis:6379', KEY_WRAP_SECRET: 'demo-secret-of-32-characters-at-least', LOG_LEVEL: '' },
    healthcheck: { test: ['CMD', 'node', '/app/healthcheck.mjs'] },
    depends_on: { redis: { condition: 'service_healthy' } },
    read_only: true,
    cap_drop: ['ALL'],
  };
}

function composeSim(name: string, demo: boolean): ComposeService {
  return {
    image: `pos-link/${name}:dev`,
    build: { context: '.', dockerfile: 'tools/Dockerfile.sim', args: { SIM: name } },
    command: ['--port', '1'],
    ...(demo ? { profiles: ['demo'], healthcheck: { disable: true } } : { healthcheck: { test: ['CMD', 'node', '/app/healthcheck.mjs'] } }),
  };
}

/** A compliant `docker-compose config` (a fresh copy each call). */
export function fixtureCompose(): WritableComposeConfig {
  const services: Record<string, ComposeService> = {
    redis: { image: 'redis:7', command: ['redis-server', '--appendonly', 'yes'], volumes: [{ source: 'data', target: '/data' }], healthcheck: { test: ['CMD', 'redis-cli', 'ping'] } },
    'portal-sim': composeSim('portal-sim', false),
    'kitchen-sim': composeSim('kitchen-sim', false),
    'pos-sim': { ...composeSim('pos-sim', true), depends_on: { 'event-stream-ingress': { condition: 'service_healthy' } } },
    'device-sim': composeSim('device-sim', true),
  };
  for (const { app, opsPort, composeServices } of SERVICES) for (const name of composeServices) services[name] = composeApp(app, opsPort);
  const config: ComposeConfig = { services };
  return structuredClone(config) as WritableComposeConfig;
}

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new TypeError(`fixture has no ${what}`);
  return value;
}

/** A fixture Deployment, typed for in-place changes. */
export function deploymentOf(objects: readonly K8sObject[], app: string): IDeployment {
  return must(findObject<IDeployment>(objects, 'Deployment', app), `Deployment ${app}`);
}

/** The pod spec of a fixture Deployment. */
export function podOf(objects: readonly K8sObject[], app: string): IPodSpec {
  return must(deploymentOf(objects, app).spec?.template.spec, `pod spec of ${app}`);
}

/** The container of a fixture Deployment. */
export function containerOf(objects: readonly K8sObject[], app: string): IContainer {
  return podOf(objects, app).containers[0];
}

/** A fixture NetworkPolicy's spec. */
export function policyOf(objects: readonly K8sObject[], name: string): NonNullable<INetworkPolicy['spec']> {
  return must(findObject<INetworkPolicy>(objects, 'NetworkPolicy', name)?.spec, `NetworkPolicy ${name}`);
}

/** The objects without those of a kind and name. */
export function without(objects: readonly K8sObject[], kind: string, name: string): K8sObject[] {
  return objects.filter((o) => !(o.kind === kind && o.metadata.name === name));
}
