// Service changes, coalesced per Service until the next sync (upstream servicechangetracker.go):
// the tracker keeps the first `previous` and the latest `current` of each Service, and forgets a
// Service whose changes cancel out. `ServicePortMap.apply` takes the pending changes.
import { objectKey, type Service, type Stored } from '../api/index.js';
import { servicePortId, type ServicePortInfo } from './types.js';

/** Labels that take a Service away from every proxy (cmd/kube-proxy/app/server.go). */
export const SERVICE_PROXY_NAME_LABEL = 'service.kubernetes.io/service-proxy-name';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
/** The label selector kube-proxy's informers use. */
export const PROXY_LABEL_SELECTOR = `!${SERVICE_PROXY_NAME_LABEL},!${HEADLESS_LABEL}`;

/**
 * The ports a proxy programs for `svc`: none for headless (no clusterIP), ExternalName, or a
 * Service carrying either disabling label. SCTP ports are kept: data planes that cannot serve them
 * report them as unserved.
 */
export function servicePortsOf(svc: Stored<Service>): ServicePortInfo[] {
  const labels = svc.metadata.labels ?? {};
  if (SERVICE_PROXY_NAME_LABEL in labels || HEADLESS_LABEL in labels) return [];
  const spec = svc.spec;
  if (spec.type === 'ExternalName') return [];
  const clusterIP = spec.clusterIPs?.[0] ?? spec.clusterIP ?? '';
  if (!clusterIP || clusterIP === 'None') return [];
  const namespace = svc.metadata.namespace ?? 'default';
  const name = svc.metadata.name;
  const lbIPs = (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip).filter((ip): ip is string => !!ip);
  const externallyAccessible = spec.type === 'NodePort' || spec.type === 'LoadBalancer' || (spec.externalIPs?.length ?? 0) > 0;
  const affinity = spec.sessionAffinity === 'ClientIP' ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800) : 0;
  return (spec.ports ?? []).map((p) => {
    const protocol = p.protocol ?? 'TCP';
    const portName = p.name ?? '';
    return {
      id: servicePortId(namespace, name, portName, protocol),
      serviceKey: `${namespace}/${name}`,
      service: { namespace, name, uid: svc.metadata.uid, resourceVersion: svc.metadata.resourceVersion },
      portName,
      protocol,
      clusterIP,
      port: p.port,
      nodePort: spec.type === 'NodePort' || spec.type === 'LoadBalancer' ? (p.nodePort ?? 0) : 0,
      externalIPs: [...(spec.externalIPs ?? [])],
      loadBalancerIPs: spec.type === 'LoadBalancer' ? lbIPs : [],
      affinityTimeoutSeconds: affinity,
      internalTrafficPolicy: spec.internalTrafficPolicy ?? 'Cluster',
      externalTrafficPolicy: externallyAccessible ? (spec.externalTrafficPolicy ?? 'Cluster') : 'Cluster',
      healthCheckNodePort:
        spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local' ? (spec.healthCheckNodePort ?? 0) : 0,
    };
  });
}

/** Equality that ignores resourceVersion: a status-only write must not trigger a sync. */
function samePorts(a: readonly ServicePortInfo[], b: readonly ServicePortInfo[]): boolean {
  const strip = (l: readonly ServicePortInfo[]) => JSON.stringify(l.map((p) => ({ ...p, service: { ...p.service, resourceVersion: '' } })));
  return strip(a) === strip(b);
}

interface Change {
  previous: ServicePortInfo[];
  current: ServicePortInfo[];
}

export class ServiceChangeTracker {
  private readonly items = new Map<string, Change>();

  /**
   * Records a change (undefined `previous` = add, undefined `current` = delete). Returns whether
   * any change is pending, i.e. whether a sync is needed.
   */
  update(previous: Stored<Service> | undefined, current: Stored<Service> | undefined): boolean {
    const obj = current ?? previous;
    if (!obj) return this.items.size > 0;
    const key = objectKey(obj);
    let change = this.items.get(key);
    if (!change) {
      change = { previous: previous ? servicePortsOf(previous) : [], current: [] };
      this.items.set(key, change);
    }
    change.current = current ? servicePortsOf(current) : [];
    if (samePorts(change.previous, change.current)) this.items.delete(key);
    return this.items.size > 0;
  }

  get pending(): number {
    return this.items.size;
  }

  /** Hands over the pending changes and clears them. */
  checkout(): Map<string, Change> {
    const out = new Map(this.items);
    this.items.clear();
    return out;
  }
}

/** The service ports currently known, by service port id. */
export class ServicePortMap {
  private readonly ports = new Map<string, ServicePortInfo>();

  /** Applies the tracker's pending changes; returns the keys of the Services that changed. */
  apply(tracker: ServiceChangeTracker): Set<string> {
    const changed = new Set<string>();
    for (const [key, c] of tracker.checkout()) {
      changed.add(key);
      for (const p of c.previous) this.ports.delete(p.id);
      for (const p of c.current) this.ports.set(p.id, p);
    }
    return changed;
  }

  get(id: string): ServicePortInfo | undefined {
    return this.ports.get(id);
  }

  values(): IterableIterator<ServicePortInfo> {
    return this.ports.values();
  }

  get size(): number {
    return this.ports.size;
  }
}
