import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler' with { 'resolution-mode': 'import' };
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress' with { 'resolution-mode': 'import' };
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy' with { 'resolution-mode': 'import' };
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget' with { 'resolution-mode': 'import' };
import type { IService } from 'kubernetes-models/v1/Service' with { 'resolution-mode': 'import' };
import { containerPort, findObject, ofKind, podSpecOf, selects, type K8sObject } from './k8s-objects';
import { SERVICES, type ServiceSpec } from './workspace';

/** The label every pod of one service carries (and every selector uses). */
const NAME_LABEL = 'app.kubernetes.io/name';
/** The label of the Redis pods the services talk to (DESIGN §1: an existing Redis). */
const REDIS_LABELS = { [NAME_LABEL]: 'redis' };
/** The PES port POS terminals connect to (DESIGN §8 `PES_PORT`, seed 003). */
const PES_PORT = 5555;
/** nginx closes a proxied connection idle this long (s); terminals ping every 45 s (DESIGN §5), so keep far above. */
const MIN_PROXY_TIMEOUT_S = 300;

type NetworkPolicyRule = NonNullable<NonNullable<INetworkPolicy['spec']>['egress']>[number];

function podLabels(objects: readonly K8sObject[], app: string): Record<string, string> | undefined {
  const deployment = findObject(objects, 'Deployment', app);
  const spec = deployment?.['spec'] as { template?: { metadata?: { labels?: Record<string, string> } } } | undefined;
  return spec?.template?.metadata?.labels;
}

function policiesFor(objects: readonly K8sObject[], labels: Record<string, string> | undefined): INetworkPolicy[] {
  return ofKind<INetworkPolicy>(objects, 'NetworkPolicy').filter((p) => selects(p.spec?.podSelector?.matchLabels, labels));
}

/** An egress rule to everywhere: no `to`, or an ipBlock of a whole address family. */
function isOpenEgress(rule: NetworkPolicyRule): boolean {
  if (!rule.to || rule.to.length === 0) return true;
  return rule.to.some((peer) => peer.ipBlock?.cidr === '0.0.0.0/0' || peer.ipBlock?.cidr === '::/0');
}

function isRedisPeer(peer: NonNullable<NetworkPolicyRule['to']>[number]): boolean {
  return !peer.namespaceSelector && !peer.ipBlock && selects(peer.podSelector?.matchLabels, REDIS_LABELS);
}

function isDnsPeer(peer: NonNullable<NetworkPolicyRule['to']>[number]): boolean {
  return peer.podSelector?.matchLabels?.['k8s-app'] === 'kube-dns';
}

function serviceProblems(objects: readonly K8sObject[], spec: ServiceSpec, labels: Record<string, string>): string[] {
  const problems: string[] = [];
  const pdb = ofKind<IPodDisruptionBudget>(objects, 'PodDisruptionBudget').find((p) => selects(p.spec?.selector?.matchLabels, labels));
  if (!pdb) problems.push(`no PodDisruptionBudget selects ${spec.app}`);
  if (spec.autoscaled) {
    const hpa = ofKind<IHorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler').find(
      (h) => h.spec?.scaleTargetRef.kind === 'Deployment' && h.spec.scaleTargetRef.name === spec.app,
    );
    if (!hpa) problems.push(`no HorizontalPodAutoscaler scales ${spec.app}`);
    else if ((hpa.spec?.minReplicas ?? 1) > (hpa.spec?.maxReplicas ?? 0)) problems.push(`the HorizontalPodAutoscaler of ${spec.app} has minReplicas > maxReplicas`);
  }
  const policies = policiesFor(objects, labels);
  const egress = policies.flatMap((p) => p.spec?.egress ?? []);
  if (!egress.some((rule) => rule.to?.some(isRedisPeer))) problems.push(`no NetworkPolicy lets ${spec.app} reach Redis`);
  const open = egress.some(isOpenEgress);
  // Only key-sync reaches the Portal (on the internet); the others reach Redis, DNS and (gateway) the kitchen.
  if (spec.app === 'key-sync' && !open) problems.push('no NetworkPolicy lets key-sync reach the Portal');
  if (spec.app !== 'key-sync' && open) problems.push(`a NetworkPolicy lets ${spec.app} reach any address (only key-sync reaches the Portal)`);
  const other = egress.filter((rule) => !rule.to?.every((peer) => isRedisPeer(peer) || isDnsPeer(peer)));
  if (spec.app === 'secure-gateway' && other.length === 0) problems.push('no NetworkPolicy lets secure-gateway reach the kitchen upstream');
  if (spec.app === 'event-stream-ingress' && other.length > 0) problems.push('event-stream-ingress may reach more than Redis and DNS');
  for (const service of ofKind<IService>(objects, 'Service').filter((s) => selects(s.spec?.selector, labels))) {
    const container = podSpecOf(findObject(objects, 'Deployment', spec.app) as K8sObject)?.containers.find((c) => c.name === spec.app);
    for (const port of service.spec?.ports ?? []) {
      const target = container && containerPort(container, port.targetPort ?? port.port);
      if (target === spec.opsPort) problems.push(`Service ${service.metadata?.name} exposes the ops port ${spec.opsPort} (health and metrics stay internal)`);
      if (target === undefined) problems.push(`Service ${service.metadata?.name} targets port ${String(port.targetPort)}, which ${spec.app} does not declare`);
    }
  }
  return problems;
}

function namespaceProblems(objects: readonly K8sObject[], all: Record<string, string>[]): string[] {
  const problems: string[] = [];
  const denyAll = ofKind<INetworkPolicy>(objects, 'NetworkPolicy').find(
    (p) =>
      p.spec?.policyTypes?.includes('Ingress') &&
      p.spec.policyTypes.includes('Egress') &&
      !p.spec.ingress?.length &&
      !p.spec.egress?.length &&
      all.every((labels) => selects(p.spec?.podSelector?.matchLabels, labels)),
  );
  if (!denyAll) problems.push('no default-deny NetworkPolicy covers every service');
  const redisPolicies = ofKind<INetworkPolicy>(objects, 'NetworkPolicy').filter((p) => selects(p.spec?.podSelector?.matchLabels, REDIS_LABELS));
  const redisIngress = redisPolicies.flatMap((p) => p.spec?.ingress ?? []);
  if (redisIngress.length === 0) problems.push('no NetworkPolicy limits who reaches Redis');
  const allowed = [...SERVICES.map((s) => ({ [NAME_LABEL]: s.app })), REDIS_LABELS];
  for (const rule of redisIngress) {
    const peers = rule.from ?? [];
    const ok =
      peers.length > 0 &&
      peers.every((peer) => {
        if (peer.ipBlock || peer.namespaceSelector || !peer.podSelector) return false;
        const { matchLabels, matchExpressions } = peer.podSelector;
        if (matchLabels) return allowed.some((labels) => selects(matchLabels, labels));
        const names = matchExpressions?.find((e) => e.key === NAME_LABEL && e.operator === 'In')?.values ?? [];
        return names.length > 0 && names.every((n) => allowed.some((labels) => labels[NAME_LABEL] === n));
      });
    if (!ok) problems.push('a NetworkPolicy lets more than the services (and Redis itself) reach Redis');
  }
  return problems;
}

function edgeProblems(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  const pes = findObject<IService>(objects, 'Service', 'event-stream-ingress');
  if (pes?.spec?.type !== 'LoadBalancer' || !pes.spec.ports?.some((p) => p.port === PES_PORT && p.protocol !== 'UDP')) {
    problems.push(`Service event-stream-ingress is not a TCP LoadBalancer on ${PES_PORT}`);
  }
  const ingress = ofKind<IIngress>(objects, 'Ingress').find((i) =>
    i.spec?.rules?.some((r) => r.http?.paths.some((p) => p.backend.service?.name === 'secure-gateway')),
  );
  if (!ingress) return [...problems, 'no Ingress routes to secure-gateway'];
  const annotations = ingress.metadata?.annotations ?? {};
  for (const key of ['nginx.ingress.kubernetes.io/proxy-read-timeout', 'nginx.ingress.kubernetes.io/proxy-send-timeout']) {
    if (!(Number(annotations[key]) >= MIN_PROXY_TIMEOUT_S)) problems.push(`Ingress ${ingress.metadata?.name}: ${key} is not at least ${MIN_PROXY_TIMEOUT_S} (WebSockets)`);
  }
  return problems;
}

/**
 * What the rendered set must contain around the Deployments (issue 8): per service a
 * PodDisruptionBudget, an HPA for the autoscaled ones, NetworkPolicies (default deny; every
 * service reaches Redis; only key-sync reaches the internet, for the Portal; the gateway reaches
 * the kitchen; the ingress nothing else; only the services reach Redis), no Service exposing an
 * ops port, the ingress as a TCP LoadBalancer and the gateway behind an Ingress with long
 * timeouts.
 */
export function clusterProblems(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  const all: Record<string, string>[] = [];
  for (const spec of SERVICES) {
    const labels = podLabels(objects, spec.app);
    if (!labels) {
      problems.push(`no Deployment ${spec.app}`);
      continue;
    }
    all.push(labels);
    problems.push(...serviceProblems(objects, spec, labels));
  }
  return [...problems, ...namespaceProblems(objects, all), ...edgeProblems(objects)];
}
