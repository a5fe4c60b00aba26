import { deploymentProblems, preStopPauseMs } from './deployment-rules';
import type { K8sObject } from './k8s-objects';
import { containerOf, deploymentOf, fixtureObjects, fixtureServices, podOf, without } from './test-fixtures';

const [keySync, gateway] = fixtureServices();

function configMap(objects: K8sObject[], app: string): Record<string, string> {
  return objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === `${app}-config`)!['data'] as Record<string, string>;
}

describe('deploymentProblems', () => {
  it('accepts the compliant fixture of every service', () => {
    const objects = fixtureObjects();
    for (const service of fixtureServices()) expect(deploymentProblems(objects, service)).toEqual([]);
  });

  it('reports a missing Deployment or container', () => {
    expect(deploymentProblems(without(fixtureObjects(), 'Deployment', 'key-sync'), keySync)).toEqual(['no Deployment key-sync']);
    const objects = fixtureObjects();
    containerOf(objects, 'key-sync').name = 'other';
    expect(deploymentProblems(objects, keySync)).toEqual(['Deployment key-sync has no container key-sync']);
  });

  it('requires liveness on /health/live and readiness on /health/ready, both on the ops port', () => {
    const objects = fixtureObjects();
    const container = containerOf(objects, 'secure-gateway');
    delete container.livenessProbe;
    container.readinessProbe = { httpGet: { path: '/health/ready', port: 'public' } };
    expect(deploymentProblems(objects, gateway)).toEqual([
      'Deployment secure-gateway has no livenessProbe (httpGet /health/live)',
      'Deployment secure-gateway readinessProbe probes port public (5555), not the ops port 9080',
    ]);
    container.livenessProbe = { httpGet: { path: '/healthz', port: 9080 } };
    container.readinessProbe = { httpGet: { path: '/health/ready', port: 9080 } };
    expect(deploymentProblems(objects, gateway)).toEqual(['Deployment secure-gateway livenessProbe probes /healthz, not /health/live']);
  });

  it('requires the ops server on the DESIGN §8 port, with matching Prometheus annotations', () => {
    const objects = fixtureObjects();
    configMap(objects, 'secure-gateway')['OPS_PORT'] = '9999';
    deploymentOf(objects, 'secure-gateway').spec!.template.metadata!.annotations!['prometheus.io/port'] = '9999';
    expect(deploymentProblems(objects, gateway)).toEqual([
      'Deployment secure-gateway runs its ops server on 9999, not 9080 (DESIGN §8)',
      'Deployment secure-gateway pod annotation prometheus.io/port is "9999", not "9080"',
    ]);
  });

  it('requires cpu and memory requests and a memory limit', () => {
    const objects = fixtureObjects();
    containerOf(objects, 'key-sync').resources = { requests: { cpu: '1' } };
    expect(deploymentProblems(objects, keySync)).toEqual([
      'Deployment key-sync sets no resources.requests.memory',
      'Deployment key-sync sets no resources.limits.memory',
    ]);
  });

  it('requires non-root, read-only root, no privilege escalation, no capabilities, RuntimeDefault seccomp, no token', () => {
    const objects = fixtureObjects();
    const pod = podOf(objects, 'key-sync');
    pod.securityContext = { runAsUser: 0 };
    pod.automountServiceAccountToken = true;
    containerOf(objects, 'key-sync').securityContext = { capabilities: { drop: ['NET_RAW'] } };
    expect(deploymentProblems(objects, keySync)).toEqual([
      'Deployment key-sync does not set runAsNonRoot: true',
      'Deployment key-sync runs as uid 0',
      'Deployment key-sync does not set readOnlyRootFilesystem: true',
      'Deployment key-sync does not set allowPrivilegeEscalation: false',
      'Deployment key-sync does not drop ALL capabilities',
      'Deployment key-sync has no RuntimeDefault seccomp profile',
      'Deployment key-sync mounts a service-account token it never uses',
    ]);
  });

  it('requires a grace period longer than the preStop pause plus the DRAIN_TIMEOUT_MS the Deployment sets', () => {
    const objects = fixtureObjects();
    configMap(objects, 'key-sync')['DRAIN_TIMEOUT_MS'] = '25000';
    expect(deploymentProblems(objects, keySync)).toEqual([
      'Deployment key-sync terminationGracePeriodSeconds (30) is not longer than preStop (5 s) + DRAIN_TIMEOUT_MS (25 s)',
    ]);
    podOf(objects, 'key-sync').terminationGracePeriodSeconds = 31;
    expect(deploymentProblems(objects, keySync)).toEqual([]);
    delete configMap(objects, 'key-sync')['DRAIN_TIMEOUT_MS'];
    expect(deploymentProblems(objects, keySync)).toEqual([
      'Deployment key-sync does not set DRAIN_TIMEOUT_MS (its grace period cannot be checked against it)',
    ]);
    delete containerOf(objects, 'key-sync').lifecycle;
    expect(deploymentProblems(objects, keySync)).toEqual([
      'Deployment key-sync has no preStop hook (the endpoint removal needs time to propagate)',
    ]);
  });

  it('checks the environment against the app: required set, nothing undeclared, secrets only from Secrets', () => {
    const objects = fixtureObjects();
    const data = configMap(objects, 'key-sync');
    data['KEY_WRAP_SECRET'] = 'x'.repeat(32);
    data['OPS_PROT'] = '1';
    containerOf(objects, 'key-sync').env = [{ name: 'REDIS_URL', value: 'redis://r:6379' }];
    // The Secret (a later envFrom source) wins in the container, but the ConfigMap still holds the secret.
    expect(deploymentProblems(objects, keySync)).toEqual([
      'Deployment key-sync sets OPS_PROT, which key-sync does not declare',
      'Deployment key-sync takes the secret REDIS_URL from a value, not a Secret',
      'Deployment key-sync reads ConfigMap key-sync-config, which holds the secret KEY_WRAP_SECRET',
    ]);
    const noSecret = without(fixtureObjects(), 'Secret', 'pos-link-redis');
    expect(deploymentProblems(noSecret, keySync)).toEqual([
      'Deployment key-sync envFrom Secret pos-link-redis does not exist',
      'Deployment key-sync does not set the required REDIS_URL',
      'Deployment key-sync does not set the required KEY_WRAP_SECRET',
    ]);
  });

  it('requires key-sync to run 2 replicas and autoscaled services to leave replicas to the HPA', () => {
    const objects = fixtureObjects();
    deploymentOf(objects, 'key-sync').spec!.replicas = 1;
    deploymentOf(objects, 'secure-gateway').spec!.replicas = 3;
    expect(deploymentProblems(objects, keySync)).toEqual(['Deployment key-sync runs 1 replicas, not 2 (leader + stand-by)']);
    expect(deploymentProblems(objects, gateway)).toEqual([
      'Deployment secure-gateway sets replicas (3) although a HorizontalPodAutoscaler owns the count',
    ]);
  });
});

describe('preStopPauseMs', () => {
  it('reads exec sleep N, the native sleep action, and no hook', () => {
    expect(preStopPauseMs({ name: 'a', lifecycle: { preStop: { exec: { command: ['/bin/sleep', '7'] } } } })).toBe(7000);
    expect(preStopPauseMs({ name: 'a', lifecycle: { preStop: { sleep: { seconds: 3 } } } })).toBe(3000);
    expect(preStopPauseMs({ name: 'a', lifecycle: { preStop: { exec: { command: ['true'] } } } })).toBe(0);
    expect(preStopPauseMs({ name: 'a' })).toBeUndefined();
  });
});
