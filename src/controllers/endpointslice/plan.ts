// The EndpointSlices a Service should have (k8s-services.md §3.3; kubernetes/endpointslice
// reconciler.go and utils.go), as a pure plan: which slices to create, update and delete to get
// from the existing ones to the desired endpoints while touching as few slices as possible.
import {
  deepCopy,
  type Endpoint,
  type EndpointSlice,
  type EndpointSlicePort,
  type OwnerReference,
  type Pod,
  type Service,
  type Stored,
} from '../../api/index.js';
import { isPodReady, rfc3339Nano, sameJson } from '../_meta.js';
import { findPort, HEADLESS_LABEL, isIPv6, isServiceIPSet, podIPs, shouldPodBeInEndpoints, shouldSetHostname, TRIGGER_TIME_ANNOTATION } from '../_endpoints.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const ENDPOINTSLICE_CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
export const DEFAULT_MAX_ENDPOINTS_PER_SLICE = 100;

export type AddressType = EndpointSlice['addressType'];

export interface NodeInfo {
  labels?: Readonly<Record<string, string>>;
}

export interface SliceInputs {
  service: Stored<Service>;
  /** Pods of the namespace matching the selector. */
  pods: readonly Stored<Pod>[];
  /** This controller's slices for the Service (managed-by label), none being deleted. */
  existing: readonly Stored<EndpointSlice>[];
  /** The node a pod runs on; undefined when no such Node exists. */
  node(name: string): NodeInfo | undefined;
  maxEndpointsPerSlice?: number;
  controllerName?: string;
  /** From the TriggerTimeTracker; undefined clears the annotation on written slices. */
  triggerTimeMs?: number;
}

export interface SlicePlan {
  create: EndpointSlice[];
  update: EndpointSlice[];
  delete: Stored<EndpointSlice>[];
  /** Pods left out because their Node is unknown: the sync is retried until it appears. */
  skipped: string[];
}

/** getAddressTypesForService: one address type per IP family of the Service. */
export function addressTypesFor(svc: Service): AddressType[] {
  const out = new Set<AddressType>();
  for (const f of svc.spec.ipFamilies ?? []) out.add(f === 'IPv6' ? 'IPv6' : 'IPv4');
  if (out.size) return [...out];
  if (isServiceIPSet(svc)) return [isIPv6(svc.spec.clusterIP ?? '') ? 'IPv6' : 'IPv4'];
  return ['IPv4', 'IPv6'];
}

/** getEndpointPorts: one port per Service port the pod can serve, sorted canonically. */
export function endpointPorts(svc: Service, pod: Pod): EndpointSlicePort[] {
  const out: EndpointSlicePort[] = [];
  if ((svc.spec.ports ?? []).length === 0) return out;
  for (const sp of svc.spec.ports ?? []) {
    const n = findPort(pod, sp);
    if (n === undefined) continue;
    const p: EndpointSlicePort = { name: sp.name ?? '', port: n, protocol: sp.protocol ?? 'TCP' };
    if (sp.appProtocol) p.appProtocol = sp.appProtocol;
    out.push(p);
  }
  return out.sort((a, b) => cmp(portKey(a), portKey(b)));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const portKey = (p: EndpointSlicePort) => `${p.name ?? ''}\u0000${p.port ?? ''}\u0000${p.protocol ?? ''}\u0000${p.appProtocol ?? ''}`;

/** The key slices are grouped by: their (sorted) port list. */
export function portMapKey(ports: readonly EndpointSlicePort[] | null | undefined): string {
  return (ports ?? []).map(portKey).sort().join('\u0001');
}

/** podToEndpoint for one address type. */
export function podToEndpoint(pod: Stored<Pod>, o: { node: NodeInfo | undefined; service: Service; addressType: AddressType }): Endpoint {
  const { node, service: svc, addressType } = o;
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata.deletionTimestamp;
  const ready = svc.spec.publishNotReadyAddresses === true || (serving && !terminating);
  const ep: Endpoint = {
    addresses: podIPs(pod).filter((ip) => isIPv6(ip) === (addressType === 'IPv6')),
    conditions: { ready, serving, terminating },
  };
  if (shouldSetHostname(pod, svc)) ep.hostname = pod.spec.hostname;
  ep.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name, uid: pod.metadata.uid };
  if (pod.spec.nodeName) ep.nodeName = pod.spec.nodeName;
  const zone = node?.labels?.[ZONE_LABEL];
  if (zone) ep.zone = zone;
  return ep;
}

/** The identity of an endpoint within a slice group: addresses, hostname and pod (hashEndpoint). */
function endpointKey(ep: Endpoint): string {
  return JSON.stringify([[...ep.addresses].sort(), ep.hostname ?? '', ep.targetRef?.namespace ?? '', ep.targetRef?.name ?? '']);
}

/** EndpointsEqualBeyondHash: what may change on an endpoint that keeps its identity. */
function sameBeyondKey(a: Endpoint, b: Endpoint): boolean {
  return (
    (a.nodeName ?? '') === (b.nodeName ?? '') &&
    (a.zone ?? '') === (b.zone ?? '') &&
    a.conditions?.ready === b.conditions?.ready &&
    a.conditions?.serving === b.conditions?.serving &&
    a.conditions?.terminating === b.conditions?.terminating &&
    sameJson(a.hints ?? null, b.hints ?? null) &&
    sameJson(a.targetRef ?? null, b.targetRef ?? null)
  );
}

const RESERVED_LABELS = new Set([SERVICE_NAME_LABEL, MANAGED_BY_LABEL, HEADLESS_LABEL]);

/** setEndpointSliceLabels: the Service's labels plus the reserved ones; and whether they differ. */
export function sliceLabels(svc: Stored<Service>, o: { current: Readonly<Record<string, string>> | undefined; controllerName: string }): { labels: Record<string, string>; changed: boolean } {
  const { current, controllerName } = o;
  const mine: Record<string, string> = {};
  for (const [k, v] of Object.entries(current ?? {})) if (!RESERVED_LABELS.has(k)) mine[k] = v;
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.metadata.labels ?? {})) if (!RESERVED_LABELS.has(k)) labels[k] = v;
  let changed = !sameJson(mine, labels);
  if (isServiceIPSet(svc)) delete labels[HEADLESS_LABEL];
  else labels[HEADLESS_LABEL] = '';
  labels[SERVICE_NAME_LABEL] = svc.metadata.name;
  labels[MANAGED_BY_LABEL] = controllerName;
  if (!changed) for (const k of [SERVICE_NAME_LABEL, MANAGED_BY_LABEL, HEADLESS_LABEL]) if (current?.[k] !== labels[k]) changed = true;
  return { labels, changed };
}

export function serviceOwnerRef(svc: Stored<Service>): OwnerReference {
  return { apiVersion: 'v1', kind: 'Service', name: svc.metadata.name, uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true };
}

function ownedBy(slice: Pick<EndpointSlice, 'metadata'>, svc: Stored<Service>): boolean {
  return (slice.metadata.ownerReferences ?? []).some((o) => o.uid === svc.metadata.uid && o.kind === 'Service' && o.apiVersion === 'v1');
}

/** getEndpointSlicePrefix: `<service>-` when that is a valid generateName. */
function slicePrefix(serviceName: string): string {
  return serviceName.length + 1 <= 253 - 5 ? `${serviceName}-` : serviceName;
}

function newSlice(svc: Stored<Service>, ports: EndpointSlicePort[], addressType: AddressType, controllerName: string): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: slicePrefix(svc.metadata.name),
      namespace: svc.metadata.namespace ?? '',
      labels: sliceLabels(svc, { current: undefined, controllerName }).labels,
      ownerReferences: [serviceOwnerRef(svc)],
    },
    addressType,
    endpoints: [],
    ports,
  };
}

/** Endpoints of a slice as an array (the API may hold null). */
const endpointsOf = (s: Pick<EndpointSlice, 'endpoints'>): Endpoint[] => s.endpoints ?? [];

/** Empty endpoint and port lists are written as null, as upstream's API returns them. */
function finish(s: EndpointSlice, triggerTimeMs: number | undefined): EndpointSlice {
  const annotations = { ...(s.metadata.annotations ?? {}) };
  if (triggerTimeMs !== undefined) annotations[TRIGGER_TIME_ANNOTATION] = rfc3339Nano(triggerTimeMs);
  else delete annotations[TRIGGER_TIME_ANNOTATION];
  const metadata = { ...s.metadata };
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  else delete metadata.annotations;
  return { ...s, metadata, endpoints: s.endpoints?.length ? s.endpoints : null, ports: s.ports?.length ? s.ports : null };
}

interface Desired {
  ports: EndpointSlicePort[];
  endpoints: Map<string, Endpoint>;
}

/** The desired endpoints of one address type, grouped by port list. */
export function desiredEndpoints(i: Pick<SliceInputs, 'service' | 'pods' | 'node'>, o: { addressType: AddressType; skipped?: string[] }): Map<string, Desired> {
  const { addressType, skipped } = o;
  const svc = i.service;
  const byPorts = new Map<string, Desired>();
  for (const pod of i.pods) {
    if (!shouldPodBeInEndpoints(pod, { includeTerminating: true })) continue;
    const ports = endpointPorts(svc, pod);
    const pk = portMapKey(ports);
    let d = byPorts.get(pk);
    if (!d) byPorts.set(pk, (d = { ports, endpoints: new Map() }));
    const nodeName = pod.spec.nodeName ?? '';
    const node = i.node(nodeName);
    if (!node && svc.spec.publishNotReadyAddresses !== true) {
      skipped?.push(`skipping Pod ${pod.metadata.name} for Service ${svc.metadata.namespace}/${svc.metadata.name}: Node ${nodeName} Not Found`);
      continue;
    }
    const ep = podToEndpoint(pod, { node, service: svc, addressType });
    if (ep.addresses.length) d.endpoints.set(endpointKey(ep), ep);
  }
  return byPorts;
}

/** The changes that take the existing slices to the desired state (Reconcile). */
export function planEndpointSlices(i: SliceInputs): SlicePlan {
  const svc = i.service;
  const max = i.maxEndpointsPerSlice ?? DEFAULT_MAX_ENDPOINTS_PER_SLICE;
  const controllerName = i.controllerName ?? ENDPOINTSLICE_CONTROLLER_NAME;
  const plan: SlicePlan = { create: [], update: [], delete: [], skipped: [] };
  const types = addressTypesFor(svc);
  const byType = new Map<AddressType, Stored<EndpointSlice>[]>();
  for (const s of i.existing) {
    if (!types.includes(s.addressType)) {
      plan.delete.push(s);
      continue;
    }
    let l = byType.get(s.addressType);
    if (!l) byType.set(s.addressType, (l = []));
    l.push(s);
  }
  for (const t of types) {
    const skipped: string[] = [];
    const part = planByAddressType(svc, i, byType.get(t) ?? [], t, max, controllerName, skipped);
    if (t === types[0]) plan.skipped.push(...skipped);
    plan.create.push(...part.create.map((s) => finish(s, i.triggerTimeMs)));
    plan.update.push(...part.update.map((s) => finish(s, i.triggerTimeMs)));
    plan.delete.push(...part.delete);
  }
  if (svc.metadata.deletionTimestamp) plan.create = [];
  return plan;
}

function planByAddressType(
  svc: Stored<Service>,
  i: SliceInputs,
  existing: readonly Stored<EndpointSlice>[],
  addressType: AddressType,
  max: number,
  controllerName: string,
  skipped: string[],
): { create: EndpointSlice[]; update: EndpointSlice[]; delete: Stored<EndpointSlice>[] } {
  let create: EndpointSlice[] = [];
  let update: EndpointSlice[] = [];
  const del: Stored<EndpointSlice>[] = [];
  const existingByPorts = new Map<string, Stored<EndpointSlice>[]>();
  for (const s of existing) {
    if (!ownedBy(s, svc)) {
      del.push(s);
      continue;
    }
    const k = portMapKey(s.ports);
    let l = existingByPorts.get(k);
    if (!l) existingByPorts.set(k, (l = []));
    l.push(s);
  }
  const desired = desiredEndpoints(i, { addressType, skipped });
  for (const [pk, d] of desired) {
    const r = planByPorts(svc, existingByPorts.get(pk) ?? [], d, addressType, max, controllerName);
    create.push(...r.create);
    update.push(...r.update);
    del.push(...r.delete);
  }
  for (const [pk, slices] of existingByPorts) if (!desired.has(pk)) del.push(...slices);

  // No slices would remain: keep (or create) exactly one placeholder with no endpoints and no ports.
  if (existing.length === del.length && create.length === 0) {
    const placeholder = newSlice(svc, [], addressType, controllerName);
    const only = del[0];
    if (del.length === 1 && only && isPlaceholderOf(only, placeholder)) del.length = 0;
    else create.push(placeholder);
  }

  // Reuse slices about to be deleted for slices about to be created (finalize).
  for (let k = 0; k < del.length && create.length > 0; ) {
    const gone = del[k];
    const fresh = create[create.length - 1];
    if (!gone || !fresh) break;
    if (gone.addressType === fresh.addressType && ownedBy(gone, svc)) {
      create = create.slice(0, -1);
      update = [...update, { ...fresh, metadata: { ...gone.metadata, labels: fresh.metadata.labels ?? {}, ownerReferences: fresh.metadata.ownerReferences ?? [] } }];
      del.splice(k, 1);
    } else k++;
  }
  return { create, update, delete: del };
}

function isPlaceholderOf(s: Stored<EndpointSlice>, placeholder: EndpointSlice): boolean {
  return (
    s.metadata.namespace === placeholder.metadata.namespace &&
    sameJson(s.metadata.labels ?? {}, placeholder.metadata.labels ?? {}) &&
    sameJson(s.metadata.ownerReferences ?? [], placeholder.metadata.ownerReferences ?? []) &&
    s.addressType === placeholder.addressType &&
    endpointsOf(s).length === 0 &&
    (s.ports ?? []).length === 0
  );
}

/** reconcileByPortMapping: fit the desired endpoints of one port list into slices. */
function planByPorts(
  svc: Stored<Service>,
  existing: readonly Stored<EndpointSlice>[],
  d: Desired,
  addressType: AddressType,
  max: number,
  controllerName: string,
): { create: EndpointSlice[]; update: EndpointSlice[]; delete: Stored<EndpointSlice>[] } {
  const desired = new Map(d.endpoints);
  const byName = new Map<string, EndpointSlice>();
  const unchanged = new Set<string>();
  const toUpdate = new Set<string>();
  const toDelete = new Set<string>();
  const originals = new Map<string, Stored<EndpointSlice>>();

  // 1. Drop endpoints no longer desired, refresh the ones that changed, follow label changes.
  for (const s of existing) {
    originals.set(s.metadata.name, s);
    byName.set(s.metadata.name, s);
    const kept: Endpoint[] = [];
    let changed = false;
    for (const ep of endpointsOf(s)) {
      const key = endpointKey(ep);
      const want = desired.get(key);
      if (!want) continue;
      kept.push(want);
      if (!sameBeyondKey(want, ep)) changed = true;
      desired.delete(key);
    }
    const { labels, changed: labelsChanged } = sliceLabels(svc, { current: s.metadata.labels, controllerName });
    if (changed || kept.length !== endpointsOf(s).length) {
      if (kept.length === 0) toDelete.add(s.metadata.name);
      else {
        const copy = deepCopy(s) as EndpointSlice;
        copy.endpoints = kept;
        copy.metadata.labels = labels;
        byName.set(s.metadata.name, copy);
        toUpdate.add(s.metadata.name);
      }
    } else if (labelsChanged) {
      const copy = deepCopy(s) as EndpointSlice;
      copy.metadata.labels = labels;
      byName.set(s.metadata.name, copy);
      toUpdate.add(s.metadata.name);
    } else unchanged.add(s.metadata.name);
  }

  const pop = (): Endpoint => {
    const [k, v] = desired.entries().next().value as [string, Endpoint];
    desired.delete(k);
    return v;
  };

  // 2. Fill the slices being updated anyway, fullest first.
  if (desired.size > 0 && toUpdate.size > 0) {
    const slices = pick(toUpdate, byName).sort((a, b) => endpointsOf(b).length - endpointsOf(a).length);
    for (const s of slices) {
      const eps = endpointsOf(s);
      while (desired.size > 0 && eps.length < max) eps.push(pop());
      s.endpoints = eps;
    }
  }

  // 3. Put the rest into the unchanged slice they fill best, or into new slices.
  const create: EndpointSlice[] = [];
  while (desired.size > 0) {
    let target: EndpointSlice | undefined;
    if (desired.size < max && unchanged.size > 0) {
      const found = sliceToFill(pick(unchanged, byName), { count: desired.size, max });
      if (found) {
        target = deepCopy(found) as EndpointSlice;
        byName.set(target.metadata.name ?? '', target);
      }
    }
    if (!target) target = newSlice(svc, d.ports, addressType, controllerName);
    const eps = endpointsOf(target);
    while (desired.size > 0 && eps.length < max) eps.push(pop());
    target.endpoints = eps;
    if (target.metadata.name) {
      toUpdate.add(target.metadata.name);
      unchanged.delete(target.metadata.name);
    } else create.push(target);
  }

  return {
    create,
    update: pick(toUpdate, byName),
    delete: pick(toDelete, originals),
  };
}

/** The values of `m` under `names`, in the names' order. */
function pick<T>(names: Iterable<string>, m: ReadonlyMap<string, T>): T[] {
  const out: T[] = [];
  for (const n of names) {
    const v = m.get(n);
    if (v !== undefined) out.push(v);
  }
  return out;
}

/** getSliceToFill: the slice that ends up closest to full after taking `n` endpoints. */
function sliceToFill(slices: readonly EndpointSlice[], o: { count: number; max: number }): EndpointSlice | undefined {
  const { count: n, max } = o;
  let closestDiff = max;
  let closest: EndpointSlice | undefined;
  for (const s of slices) {
    const diff = max - (n + endpointsOf(s).length);
    if (diff >= 0 && diff < closestDiff) {
      closestDiff = diff;
      closest = s;
      if (diff === 0) return s;
    }
  }
  return closest;
}

/**
 * A comparable view of a Service's slices: per address type and port list, the sorted
 * endpoints. Two sets of slices with the same view publish the same endpoints, however they
 * are packed.
 */
export function sliceView(slices: readonly Pick<EndpointSlice, 'addressType' | 'ports' | 'endpoints'>[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const s of slices) {
    const k = `${s.addressType}|${portMapKey(s.ports)}`;
    const l = (out[k] ??= []);
    for (const ep of s.endpoints ?? []) l.push(JSON.stringify(canonicalEndpoint(ep)));
  }
  const sorted: Record<string, string[]> = {};
  for (const k of Object.keys(out).sort()) sorted[k] = (out[k] ?? []).sort();
  return sorted;
}

function canonicalEndpoint(ep: Endpoint): unknown {
  return {
    addresses: [...ep.addresses].sort(),
    conditions: { ready: ep.conditions?.ready, serving: ep.conditions?.serving, terminating: ep.conditions?.terminating },
    hostname: ep.hostname,
    nodeName: ep.nodeName,
    zone: ep.zone,
    targetRef: ep.targetRef ? { kind: ep.targetRef.kind, namespace: ep.targetRef.namespace, name: ep.targetRef.name, uid: ep.targetRef.uid } : undefined,
  };
}
