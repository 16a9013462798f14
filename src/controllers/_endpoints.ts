// What the Endpoints and EndpointSlice controllers share (k8s-services.md §3.1): which pods a
// Service includes, named targetPort resolution, hostnames, which pod changes matter, the
// indexes that map a pod to its Services (and back) without scanning, and the
// last-change-trigger-time tracker.
import type { Informer } from '../client/index.js';
import type { Pod, Service, ServicePort, Stored } from '../api/index.js';
import { isPodReady, isPodTerminal, parseTime, podReadyCondition } from './_meta.js';
import { inNamespace } from './_informers.js';

/** Service informer index: `ns/key=value` for one (the first) pair of the selector, `ns/*` for `{}`. */
export const SERVICE_SELECTOR_INDEX = 'endpoints.selector';
/** Pod informer index: `ns/key=value` for every label. */
export const POD_LABEL_INDEX = 'endpoints.labels';
/** Pod informer index: the node a pod is bound to (`''` when unscheduled). */
export const POD_NODE_INDEX = 'nodeName';

export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
export const TRIGGER_TIME_ANNOTATION = 'endpoints.kubernetes.io/last-change-trigger-time';

export function serviceSelectorIndex(svc: Stored<Service>): string[] {
  const sel = svc.spec.selector;
  if (!sel) return [];
  const ns = svc.metadata.namespace ?? '';
  const keys = Object.keys(sel).sort();
  const k = keys[0];
  return k === undefined ? [`${ns}/*`] : [`${ns}/${k}=${sel[k]}`];
}

export function podLabelIndex(pod: Stored<Pod>): string[] {
  const ns = pod.metadata.namespace ?? '';
  return Object.entries(pod.metadata.labels ?? {}).map(([k, v]) => `${ns}/${k}=${v}`);
}

export const podNodeIndex = (pod: Stored<Pod>): string[] => [pod.spec.nodeName ?? ''];

/** A Service selector (a map; nil selects nothing, `{}` selects everything) against labels. */
export function selectorMatches(selector: Readonly<Record<string, string>> | undefined, labels: Readonly<Record<string, string>> | undefined): boolean {
  if (!selector) return false;
  for (const k of Object.keys(selector)) if (labels?.[k] !== selector[k]) return false;
  return true;
}

/** The pods of the Service's namespace its selector matches, from the label index. */
export function podsForService(pods: Informer<Pod>, svc: Stored<Service>): Stored<Pod>[] {
  const sel = svc.spec.selector;
  if (!sel) return [];
  const ns = svc.metadata.namespace ?? '';
  const k = Object.keys(sel).sort()[0];
  const candidates = k === undefined ? inNamespace(pods, ns) : pods.byIndex(POD_LABEL_INDEX, `${ns}/${k}=${sel[k]}`);
  return candidates.filter((p) => selectorMatches(sel, p.metadata.labels));
}

/** The Services whose selector matches the pod's labels (GetPodServiceMemberships), by key. */
export function servicesForPod(services: Informer<Service>, pod: Pick<Pod, 'metadata'>): string[] {
  const ns = pod.metadata.namespace ?? '';
  const out = new Set<string>();
  const consider = (svcs: Stored<Service>[]) => {
    for (const s of svcs) if (selectorMatches(s.spec.selector, pod.metadata.labels)) out.add(`${ns}/${s.metadata.name}`);
  };
  for (const [k, v] of Object.entries(pod.metadata.labels ?? {})) consider(services.byIndex(SERVICE_SELECTOR_INDEX, `${ns}/${k}=${v}`));
  consider(services.byIndex(SERVICE_SELECTOR_INDEX, `${ns}/*`));
  return [...out];
}

/** The pod's IPs: status.podIPs, or status.podIP when only that is set. */
export function podIPs(pod: Pick<Pod, 'status'>): string[] {
  const ips = pod.status?.podIPs?.map((p) => p.ip).filter((ip) => ip) ?? [];
  if (ips.length) return ips;
  return pod.status?.podIP ? [pod.status.podIP] : [];
}

export const isIPv6 = (ip: string): boolean => ip.includes(':');

/**
 * endpointsliceutil.ShouldPodBeInEndpoints: terminal pods and pods without an IP never are;
 * terminating pods only when `includeTerminating`.
 */
export function shouldPodBeInEndpoints(pod: Pick<Pod, 'status' | 'metadata'>, o: { includeTerminating: boolean }): boolean {
  if (isPodTerminal(pod)) return false;
  if (podIPs(pod).length === 0) return false;
  if (!o.includeTerminating && pod.metadata.deletionTimestamp) return false;
  return true;
}

/**
 * podutil.FindPort: a numeric targetPort is used as is (omitted means the port itself); a named
 * one is looked up in the pod's containers (and restartable init containers) by name and
 * protocol. Undefined when the pod has no such port.
 */
export function findPort(pod: Pick<Pod, 'spec'>, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target === 0 ? sp.port : target;
  const proto = sp.protocol ?? 'TCP';
  for (const c of pod.spec.containers ?? []) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === proto) return p.containerPort;
  }
  for (const c of pod.spec.initContainers ?? []) {
    if (c.restartPolicy !== 'Always') continue;
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === proto) return p.containerPort;
  }
  return undefined;
}

/** The hostname is published only for a pod whose subdomain names this Service. */
export function shouldSetHostname(pod: Pick<Pod, 'spec' | 'metadata'>, svc: Pick<Service, 'metadata'>): boolean {
  return !!pod.spec.hostname && pod.spec.subdomain === svc.metadata.name && svc.metadata.namespace === pod.metadata.namespace;
}

/** helper.IsServiceIPSet: a ClusterIP that is neither empty nor None. */
export function isServiceIPSet(svc: Pick<Service, 'spec'>): boolean {
  return !!svc.spec.clusterIP && svc.spec.clusterIP !== 'None';
}

/**
 * podEndpointsChanged: `podChanged` when an endpoint built from the pod would differ (deletion,
 * readiness, IPs, node, terminal phase); `labelsChanged` when its Service membership may differ.
 */
export function podEndpointsChanged(old: Pick<Pod, 'metadata' | 'spec' | 'status'>, cur: Pick<Pod, 'metadata' | 'spec' | 'status'>): { podChanged: boolean; labelsChanged: boolean } {
  const labelsChanged =
    !sameLabels(old.metadata.labels, cur.metadata.labels) || old.spec.hostname !== cur.spec.hostname || old.spec.subdomain !== cur.spec.subdomain;
  const podChanged =
    old.metadata.deletionTimestamp !== cur.metadata.deletionTimestamp ||
    isPodReady(old) !== isPodReady(cur) ||
    isPodTerminal(old) !== isPodTerminal(cur) ||
    old.spec.nodeName !== cur.spec.nodeName ||
    podIPs(old).join(',') !== podIPs(cur).join(',');
  return { podChanged, labelsChanged };
}

function sameLabels(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean {
  const ka = Object.keys(a ?? {});
  if (ka.length !== Object.keys(b ?? {}).length) return false;
  return ka.every((k) => a?.[k] === b?.[k]);
}

/**
 * The Services to resync after a pod update (GetServicesToUpdateOnPodChange): none when nothing
 * relevant changed; the current memberships when the endpoint changed; when labels changed,
 * the services it left or joined (all of them if the endpoint changed too).
 */
export function servicesToUpdateOnPodChange(services: Informer<Service>, o: { old: Stored<Pod>; cur: Stored<Pod> }): string[] {
  const { old, cur } = o;
  if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return [];
  const { podChanged, labelsChanged } = podEndpointsChanged(old, cur);
  if (!podChanged && !labelsChanged) return [];
  const now = servicesForPod(services, cur);
  if (!labelsChanged) return now;
  const before = servicesForPod(services, old);
  if (podChanged) return [...new Set([...before, ...now])];
  const a = new Set(before);
  const b = new Set(now);
  return [...before.filter((k) => !b.has(k)), ...now.filter((k) => !a.has(k))];
}

/**
 * The endpoints.kubernetes.io/last-change-trigger-time tracker (endpointutil.TriggerTimeTracker):
 * for a Service seen before, the earliest Ready-transition time among its pods that changed since
 * the last sync (undefined when none did); for a new Service, its creation time.
 */
export class TriggerTimeTracker {
  private readonly states = new Map<string, { pods: Map<string, number>; service: number }>();

  compute(key: string, o: { service: Stored<Service>; pods: readonly Stored<Pod>[] }): number | undefined {
    const { service, pods } = o;
    const state = this.states.get(key);
    let min: number | undefined;
    const podTimes = new Map<string, number>();
    for (const pod of pods) {
      const t = parseTime(podReadyCondition(pod)?.lastTransitionTime);
      if (t === undefined) continue;
      podTimes.set(pod.metadata.name, t);
      if (t > (state?.pods.get(pod.metadata.name) ?? -Infinity)) min = min === undefined ? t : Math.min(min, t);
    }
    const serviceTime = parseTime(service.metadata.creationTimestamp) ?? 0;
    if (serviceTime > (state?.service ?? -Infinity)) min = min === undefined ? serviceTime : Math.min(min, serviceTime);
    this.states.set(key, { pods: podTimes, service: serviceTime });
    if (!state) return serviceTime;
    return min;
  }

  delete(key: string): void {
    this.states.delete(key);
  }
}
