import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress' with { 'resolution-mode': 'import' };
import type { IService } from 'kubernetes-models/v1/Service' with { 'resolution-mode': 'import' };
import { clusterProblems } from './cluster-rules';
import { findObject } from './k8s-objects';
import { fixtureObjects, policyOf, without } from './test-fixtures';

describe('clusterProblems', () => {
  it('accepts the compliant fixture', () => {
    expect(clusterProblems(fixtureObjects())).toEqual([]);
  });

  it('requires a PodDisruptionBudget per service and an HPA for the gateway and the ingress', () => {
    let objects = without(fixtureObjects(), 'PodDisruptionBudget', 'event-stream-ingress');
    objects = without(objects, 'HorizontalPodAutoscaler', 'secure-gateway');
    expect(clusterProblems(objects)).toEqual([
      'no HorizontalPodAutoscaler scales secure-gateway',
      'no PodDisruptionBudget selects event-stream-ingress',
    ]);
  });

  it('reports a missing Deployment', () => {
    expect(clusterProblems(without(fixtureObjects(), 'Deployment', 'key-sync'))).toEqual(['no Deployment key-sync']);
  });

  it('lets only key-sync reach any address (the Portal)', () => {
    const objects = fixtureObjects();
    policyOf(objects, 'secure-gateway').egress!.push({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] });
    policyOf(objects, 'key-sync').egress!.pop();
    expect(clusterProblems(objects)).toEqual([
      'no NetworkPolicy lets key-sync reach the Portal',
      'a NetworkPolicy lets secure-gateway reach any address (only key-sync reaches the Portal)',
    ]);
  });

  it('treats an egress rule without `to` as reaching any address', () => {
    const objects = fixtureObjects();
    policyOf(objects, 'event-stream-ingress').egress!.push({ ports: [{ port: 443 }] });
    expect(clusterProblems(objects)).toEqual([
      'a NetworkPolicy lets event-stream-ingress reach any address (only key-sync reaches the Portal)',
      'event-stream-ingress may reach more than Redis and DNS',
    ]);
  });

  it('requires every service to reach Redis, the gateway the kitchen, and the ingress nothing else', () => {
    const objects = fixtureObjects();
    policyOf(objects, 'secure-gateway').egress!.pop();
    policyOf(objects, 'event-stream-ingress').egress = [{ to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'kitchen' } } }] }];
    expect(clusterProblems(objects)).toEqual([
      'no NetworkPolicy lets secure-gateway reach the kitchen upstream',
      'no NetworkPolicy lets event-stream-ingress reach Redis',
      'event-stream-ingress may reach more than Redis and DNS',
    ]);
  });

  it('requires a default deny covering every service and Redis reachable from the services only', () => {
    let objects = without(fixtureObjects(), 'NetworkPolicy', 'deny');
    policyOf(objects, 'redis').ingress!.push({ from: [{ podSelector: {} }] });
    expect(clusterProblems(objects)).toEqual([
      'no default-deny NetworkPolicy covers every service',
      'a NetworkPolicy lets more than the services (and Redis itself) reach Redis',
    ]);
    objects = without(fixtureObjects(), 'NetworkPolicy', 'redis');
    expect(clusterProblems(objects)).toEqual(['no NetworkPolicy limits who reaches Redis']);
  });

  it('keeps the ops port off every Service and requires the ingress as a TCP LoadBalancer on 5555', () => {
    const objects = fixtureObjects();
    const service = findObject<IService>(objects, 'Service', 'event-stream-ingress')!;
    service.spec!.type = 'ClusterIP';
    service.spec!.ports!.push({ name: 'metrics', port: 9082, targetPort: 'ops' }, { port: 1, targetPort: 'nope' });
    expect(clusterProblems(objects)).toEqual([
      'Service event-stream-ingress exposes the ops port 9082 (health and metrics stay internal)',
      'Service event-stream-ingress targets port nope, which event-stream-ingress does not declare',
      'Service event-stream-ingress is not a TCP LoadBalancer on 5555',
    ]);
  });

  it('requires an Ingress to the gateway with WebSocket-length timeouts', () => {
    const objects = fixtureObjects();
    findObject<IIngress>(objects, 'Ingress', 'secure-gateway')!.metadata!.annotations!['nginx.ingress.kubernetes.io/proxy-read-timeout'] = '60';
    expect(clusterProblems(objects)).toEqual([
      'Ingress secure-gateway: nginx.ingress.kubernetes.io/proxy-read-timeout is not at least 300 (WebSockets)',
    ]);
    expect(clusterProblems(without(objects, 'Ingress', 'secure-gateway'))).toEqual(['no Ingress routes to secure-gateway']);
  });
});
