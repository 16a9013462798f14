// Questions asked of a Service all over the registry (pkg/api/service/util.go and
// pkg/registry/core/service). `type` is read as stored: callers default it first.
import type { Service } from '../core.js';

/** Headless: exactly one clusterIPs entry and it is "None". */
export function isHeadlessService(svc: Service): boolean {
  const ips = svc.spec.clusterIPs;
  return ips !== undefined && ips.length === 1 && ips[0] === 'None';
}

/** Reachable from outside the cluster: NodePort, LoadBalancer, or ClusterIP with externalIPs. */
export function externallyAccessible(svc: Service): boolean {
  const t = svc.spec.type;
  return t === 'LoadBalancer' || t === 'NodePort' || (t === 'ClusterIP' && (svc.spec.externalIPs?.length ?? 0) > 0);
}

export function requestsOnlyLocalTraffic(svc: Service): boolean {
  const t = svc.spec.type;
  if (t !== 'LoadBalancer' && t !== 'NodePort') return false;
  return svc.spec.externalTrafficPolicy === 'Local';
}

/** A LoadBalancer with externalTrafficPolicy Local needs a healthCheckNodePort. */
export function needsHealthCheck(svc: Service): boolean {
  return svc.spec.type === 'LoadBalancer' && requestsOnlyLocalTraffic(svc);
}

/** Every type but ExternalName has (or is "None" for) a cluster IP. */
export function needsClusterIP(svc: Service): boolean {
  return svc.spec.type !== 'ExternalName';
}

export function needsNodePort(svc: Service): boolean {
  return svc.spec.type === 'NodePort' || svc.spec.type === 'LoadBalancer';
}
