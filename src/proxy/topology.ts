// Which endpoints of a service port may be used, and by whom (upstream pkg/proxy/topology.go
// CategorizeEndpoints, without topology hints): ready endpoints, and only when there are none,
// endpoints that are serving and terminating — decided independently for the cluster-wide set
// and for each node's local set.
import type { EndpointInfo } from './types.js';

export interface CategorizedEndpoints<E extends EndpointInfo = EndpointInfo> {
  /** Usable endpoints for Cluster traffic policy. */
  cluster: E[];
  /** Usable endpoints for Local traffic policy, per node name (nodes without any are absent). */
  localByNode: Map<string, E[]>;
  /** True when some client somewhere could be served: when false, connections are rejected. */
  hasAnyEndpoints: boolean;
}

/** Splits `endpoints` into the cluster set and the per-node local sets. Pure. */
export function categorizeEndpoints<E extends EndpointInfo>(endpoints: readonly E[]): CategorizedEndpoints<E> {
  let cluster = endpoints.filter((e) => e.ready);
  if (cluster.length === 0) cluster = endpoints.filter((e) => e.serving && e.terminating);

  const readyByNode = new Map<string, E[]>();
  const fallbackByNode = new Map<string, E[]>();
  for (const e of endpoints) {
    if (!e.nodeName) continue;
    const m = e.ready ? readyByNode : e.serving && e.terminating ? fallbackByNode : undefined;
    if (!m) continue;
    let l = m.get(e.nodeName);
    if (!l) m.set(e.nodeName, (l = []));
    l.push(e);
  }
  const localByNode = new Map(readyByNode);
  for (const [node, l] of fallbackByNode) if (!localByNode.has(node)) localByNode.set(node, l);
  // Every local endpoint is ready or serving+terminating, so none exist when `cluster` is empty.
  return { cluster, localByNode, hasAnyEndpoints: cluster.length > 0 };
}

/** Number of ready endpoints on `node` (what healthCheckNodePort reports; terminating ones do not count). */
export function localReadyCount(endpoints: readonly EndpointInfo[], node: string): number {
  const ips = new Set<string>();
  for (const e of endpoints) if (e.ready && e.nodeName === node) ips.add(e.ip);
  return ips.size;
}
