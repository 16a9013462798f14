// The Endpoints object a Service should have (k8s-services.md §3.2; endpoints_controller.go
// syncService, pkg/api/v1/endpoints RepackSubsets), as pure functions of the Service, its pods
// and the current object.
import type { EndpointAddress, EndpointPort, Endpoints, EndpointSubset, Pod, Service, Stored } from '../../api/index.js';
import { isPodReady, rfc3339Nano, sameJson } from '../_meta.js';
import { findPort, HEADLESS_LABEL, isIPv6, isServiceIPSet, podIPs, shouldPodBeInEndpoints, shouldSetHostname, TRIGGER_TIME_ANNOTATION } from '../_endpoints.js';

/** Addresses kept in one Endpoints object at most (`maxCapacity`). */
export const MAX_ENDPOINTS_CAPACITY = 1000;
export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';

export type EndpointsPlan =
  | { action: 'none' }
  | { action: 'create'; endpoints: Endpoints }
  | { action: 'update'; endpoints: Endpoints };

export interface EndpointsInputs {
  service: Stored<Service>;
  /** Pods of the namespace matching the selector. */
  pods: readonly Stored<Pod>[];
  current: Stored<Endpoints> | undefined;
  /** From the TriggerTimeTracker; undefined clears the annotation. */
  triggerTimeMs: number | undefined;
  maxCapacity?: number;
}

/** The address family the Endpoints carry: ipFamilies[0], else the ClusterIP's, else the pod's. */
function wantsIPv6(svc: Service, pod: Pod): boolean {
  const fam = svc.spec.ipFamilies?.[0];
  if (fam) return fam === 'IPv6';
  if (isServiceIPSet(svc)) return isIPv6(svc.spec.clusterIP ?? '');
  return isIPv6(pod.status?.podIP ?? podIPs(pod)[0] ?? '');
}

function addressFor(svc: Stored<Service>, pod: Stored<Pod>): EndpointAddress | undefined {
  const v6 = wantsIPv6(svc, pod);
  const ip = podIPs(pod).find((x) => isIPv6(x) === v6);
  if (!ip) return undefined;
  const a: EndpointAddress = { ip };
  if (shouldSetHostname(pod, svc)) a.hostname = pod.spec.hostname;
  if (pod.spec.nodeName) a.nodeName = pod.spec.nodeName;
  a.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name, uid: pod.metadata.uid };
  return a;
}

interface Entry {
  address: EndpointAddress;
  ready: boolean;
  port: EndpointPort | undefined;
}

/** The subsets for a Service and its pods, repacked and sorted, before truncation. */
export function desiredSubsets(svc: Stored<Service>, pods: readonly Stored<Pod>[]): EndpointSubset[] {
  const publishNotReady = svc.spec.publishNotReadyAddresses === true;
  const ports = svc.spec.ports ?? [];
  const entries: Entry[] = [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, { includeTerminating: publishNotReady })) continue;
    const address = addressFor(svc, pod);
    if (!address) continue;
    const ready = publishNotReady || isPodReady(pod);
    if (ports.length === 0) {
      // Headless services may have no ports; others publish nothing without ports.
      if (svc.spec.clusterIP === 'None') entries.push({ address, ready, port: undefined });
      continue;
    }
    for (const sp of ports) {
      const n = findPort(pod, sp);
      if (n === undefined) continue;
      const port: EndpointPort = { port: n, protocol: sp.protocol ?? 'TCP' };
      if (sp.name) port.name = sp.name;
      if (sp.appProtocol) port.appProtocol = sp.appProtocol;
      entries.push({ address, ready, port: orderedPort(port) });
    }
  }
  return repackSubsets(entries);
}

function orderedPort(p: EndpointPort): EndpointPort {
  return { ...(p.name ? { name: p.name } : {}), port: p.port, ...(p.protocol ? { protocol: p.protocol } : {}), ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) };
}

const addrKey = (a: EndpointAddress) => `${a.ip}\u0000${a.targetRef?.uid ?? ''}`;
const portKey = (p: EndpointPort | undefined) => (p ? `${p.name ?? ''}\u0000${p.port}\u0000${p.protocol ?? ''}\u0000${p.appProtocol ?? ''}` : '');

/**
 * RepackSubsets: addresses offering the same set of ports (with the same readiness) share one
 * subset; an address not ready on any port is not ready on all of them. Ordering is
 * deterministic (addresses by IP then UID, ports by name/port/protocol, subsets by content)
 * where upstream orders ports and subsets by a hash.
 */
function repackSubsets(entries: readonly Entry[]): EndpointSubset[] {
  const addrs = new Map<string, EndpointAddress>();
  // port key -> (address key -> ready)
  const byPort = new Map<string, { port: EndpointPort | undefined; addrs: Map<string, boolean> }>();
  for (const e of entries) {
    const ak = addrKey(e.address);
    if (!addrs.has(ak)) addrs.set(ak, e.address);
    const pk = portKey(e.port);
    let slot = byPort.get(pk);
    if (!slot) byPort.set(pk, (slot = { port: e.port, addrs: new Map() }));
    const was = slot.addrs.get(ak);
    if (was === undefined || was) slot.addrs.set(ak, e.ready);
  }
  // Group ports by their address set (with readiness).
  const groups = new Map<string, { set: Map<string, boolean>; ports: EndpointPort[] }>();
  for (const { port, addrs: set } of byPort.values()) {
    const key = [...set.entries()]
      .map(([k, r]) => `${k}\u0000${r ? 1 : 0}`)
      .sort()
      .join('\u0001');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { set, ports: [] }));
    if (port) g.ports.push(port);
  }
  const out: EndpointSubset[] = [];
  for (const g of groups.values()) {
    const ready: EndpointAddress[] = [];
    const notReady: EndpointAddress[] = [];
    for (const [k, r] of g.set) {
      const a = addrs.get(k);
      if (a) (r ? ready : notReady).push(a);
    }
    ready.sort(lessAddress);
    notReady.sort(lessAddress);
    g.ports.sort((a, b) => cmp(portKey(a), portKey(b)));
    const s: EndpointSubset = {};
    if (ready.length) s.addresses = ready;
    if (notReady.length) s.notReadyAddresses = notReady;
    if (g.ports.length) s.ports = g.ports;
    out.push(s);
  }
  return out.sort((a, b) => cmp(subsetKey(a), subsetKey(b)));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function lessAddress(a: EndpointAddress, b: EndpointAddress): number {
  const c = cmp(a.ip, b.ip);
  return c !== 0 ? c : cmp(a.targetRef?.uid ?? '', b.targetRef?.uid ?? '');
}

function subsetKey(s: EndpointSubset): string {
  const first = s.addresses?.[0] ?? s.notReadyAddresses?.[0];
  return `${first ? addrKey(first) : ''}\u0001${(s.ports ?? []).map(portKey).join('\u0002')}`;
}

/**
 * truncateEndpoints: beyond `max` addresses, keep ready ones first, spread over the subsets in
 * proportion (rounded up). Returns the truncated copy and whether anything was cut.
 */
export function truncateSubsets(subsets: readonly EndpointSubset[], max = MAX_ENDPOINTS_CAPACITY): { subsets: EndpointSubset[]; truncated: boolean } {
  let totalReady = 0;
  let totalNotReady = 0;
  for (const s of subsets) {
    totalReady += s.addresses?.length ?? 0;
    totalNotReady += s.notReadyAddresses?.length ?? 0;
  }
  if (totalReady + totalNotReady <= max) return { subsets: [...subsets], truncated: false };
  const truncateReady = totalReady > max;
  const limit = truncateReady ? max : max - totalReady;
  const numTotal = truncateReady ? totalReady : totalNotReady;
  let canBeAdded = limit;
  const out: EndpointSubset[] = [];
  for (const s of subsets) {
    const inSubset = truncateReady ? (s.addresses?.length ?? 0) : (s.notReadyAddresses?.length ?? 0);
    let toBeAdded = Math.ceil((inSubset / numTotal) * limit);
    if (toBeAdded > canBeAdded) toBeAdded = canBeAdded;
    const n: EndpointSubset = { ...s };
    if (truncateReady) {
      const kept = (s.addresses ?? []).slice(0, toBeAdded);
      if (kept.length) n.addresses = kept;
      else delete n.addresses;
      delete n.notReadyAddresses;
      canBeAdded -= kept.length;
    } else {
      const kept = (s.notReadyAddresses ?? []).slice(0, toBeAdded);
      if (kept.length) n.notReadyAddresses = kept;
      else delete n.notReadyAddresses;
      canBeAdded -= kept.length;
    }
    if (n.addresses || n.notReadyAddresses) out.push(n);
  }
  return { subsets: out, truncated: true };
}

function withoutTargetRefVersions(subsets: readonly EndpointSubset[] | undefined): unknown {
  const strip = (a: EndpointAddress) => (a.targetRef?.resourceVersion ? { ...a, targetRef: { ...a.targetRef, resourceVersion: undefined } } : a);
  return (subsets ?? []).map((s) => ({ ...s, addresses: s.addresses?.map(strip), notReadyAddresses: s.notReadyAddresses?.map(strip) }));
}

/** The create or update that brings the Service's Endpoints up to date, or none. */
export function planEndpoints(i: EndpointsInputs): EndpointsPlan {
  const svc = i.service;
  const max = i.maxCapacity ?? MAX_ENDPOINTS_CAPACITY;
  const full = desiredSubsets(svc, i.pods);
  const { subsets, truncated } = truncateSubsets(full, max);
  const svcLabels = svc.metadata.labels ?? {};
  const labels: Record<string, string> = { ...svcLabels };
  if (isServiceIPSet(svc)) delete labels[HEADLESS_LABEL];
  else labels[HEADLESS_LABEL] = '';
  const cur = i.current;
  if (cur) {
    const curLabels = { ...(cur.metadata.labels ?? {}) };
    delete curLabels[HEADLESS_LABEL];
    const capacityOk = (cur.metadata.annotations?.[OVER_CAPACITY_ANNOTATION] !== undefined) === truncated;
    const headlessOk = (cur.metadata.labels?.[HEADLESS_LABEL] !== undefined) === !isServiceIPSet(svc);
    if (sameJson(withoutTargetRefVersions(cur.subsets), withoutTargetRefVersions(subsets)) && sameJson(curLabels, svcLabels) && capacityOk && headlessOk) {
      return { action: 'none' };
    }
  }
  const annotations: Record<string, string> = { ...(cur?.metadata.annotations ?? {}) };
  if (i.triggerTimeMs !== undefined) annotations[TRIGGER_TIME_ANNOTATION] = rfc3339Nano(i.triggerTimeMs);
  else delete annotations[TRIGGER_TIME_ANNOTATION];
  if (truncated) annotations[OVER_CAPACITY_ANNOTATION] = 'truncated';
  else delete annotations[OVER_CAPACITY_ANNOTATION];
  const ep: Endpoints = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: cur
      ? { ...cur.metadata, labels, annotations }
      : { name: svc.metadata.name, namespace: svc.metadata.namespace ?? '', labels, annotations },
  };
  if (subsets.length) ep.subsets = subsets;
  return cur ? { action: 'update', endpoints: ep } : { action: 'create', endpoints: ep };
}
