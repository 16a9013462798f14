// The allocation half of the Service registry, as pkg/registry/core/service/storage does it
// (alloc.go allocateCreate/allocateUpdate/releaseAllocatedResources, storage.go
// normalizeClusterIPs/patchAllocatedValues/defaultOnRead). Pure apart from the allocators it is
// handed: no I/O, no clock.
//
// Contract with the REST layer (upstream order):
//   create: defaultService → allocateCreate → prepareForCreate → validateService → persist;
//           commit() after a successful write, revert() on any failure (dry run: revert()).
//   update: defaultService(next) → allocateUpdate({ next, prev: stored }, allocators) → prepareForUpdate →
//           validateServiceUpdate → persist; commit()/revert() likewise.
//   delete: releaseOnDelete(stored) after the delete is persisted (not on dry run).
// Allocation errors are reported instead of validation errors, as upstream does.
import type { IPFamily, Service, ServicePort } from '../../api/core.js';
import { internalError, invalid, StatusError } from '../../api/errors.js';
import { field, root, type FieldError } from '../../api/field.js';
import { deepCopy } from '../../api/objects.js';
import {
  dropTypeDependentFields,
  formatIPv4,
  goStrings,
  ipFamilyOf,
  ipv4ToNumber,
  isHeadlessService,
  needsClusterIP,
  needsHealthCheck,
  needsNodePort,
  parseIP,
  validateServiceClusterIPsRelatedFields,
} from '../../api/service/index.js';
import { Transaction } from './_txn.js';
import { DEFAULT_SERVICE_CIDR, IPAllocator } from './ip.js';
import { DEFAULT_NODE_PORT_RANGE, PortAllocator } from './port.js';
import type { Random } from './range.js';

/** The allocators one cluster's Services draw from. */
export interface ServiceAllocators {
  /** ClusterIPs; its family is the cluster's only (primary) IP family. */
  readonly clusterIPs: IPAllocator;
  /** NodePorts and healthCheckNodePorts share one range. */
  readonly nodePorts: PortAllocator;
  /**
   * ClusterIPs held for a Service that does not exist yet: canonical IP → "namespace/name".
   * The address is marked taken; only the named Service may claim it, by asking for it
   * explicitly. Filled by repairAllocators.
   */
  readonly reservations: Map<string, string>;
}

export interface ServiceAllocatorsOptions {
  /** Service CIDR; default 127.96.0.0/12 (loopback mode). */
  serviceCIDR?: string;
  /** NodePort range; default 30000-32767. */
  nodePortRange?: string;
  random?: Random;
}

export function newServiceAllocators(opts: ServiceAllocatorsOptions = {}): ServiceAllocators {
  return {
    clusterIPs: new IPAllocator(opts.serviceCIDR ?? DEFAULT_SERVICE_CIDR, { random: opts.random }),
    nodePorts: new PortAllocator(opts.nodePortRange ?? DEFAULT_NODE_PORT_RANGE, { random: opts.random }),
    reservations: new Map(),
  };
}

/**
 * The outcome of allocating for a create or update. On success `service` carries the allocated
 * values, and exactly one of commit()/revert() must follow. On failure nothing stays allocated
 * and `status` is the error to answer with: 422 Invalid (its causes are `errors`), or 500 for an
 * exhausted range ("Internal error occurred: failed to allocate a serviceIP: range is full").
 */
export type AllocationResult =
  | { ok: true; service: Service; commit(): void; revert(): void }
  | { ok: false; status: StatusError; errors: FieldError[] };

type Step = { ok: true } | { ok: false; status: StatusError; errors: FieldError[] };
const OK: Step = { ok: true };

const SERVICE_KIND = { group: '', kind: 'Service' };

function invalidStep(svc: Service, errors: FieldError[]): Step {
  return { ok: false, status: invalid(SERVICE_KIND, svc.metadata.name ?? '', errors), errors };
}

function internalStep(message: string): Step {
  return { ok: false, status: internalError(new Error(message)), errors: [] };
}

/** A plain Go error reaching the apiserver: 500 with no reason, the message verbatim. */
function unknownStep(message: string): Step {
  return {
    ok: false,
    status: new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code: 500 }),
    errors: [],
  };
}

const has = <T>(v: T | undefined | null): v is T => v !== undefined && v !== null;
const isEmpty = (m: Record<string, string> | undefined | null) => !m || Object.keys(m).length === 0;
const sameStrings = (a: readonly string[] | undefined | null, b: readonly string[] | undefined | null) =>
  (a ?? []).length === (b ?? []).length && (a ?? []).every((v, i) => v === (b ?? [])[i]);
const serviceKey = (svc: Service) => `${svc.metadata.namespace ?? ''}/${svc.metadata.name ?? ''}`;

function canonicalIPv4(ip: string): string | undefined {
  const p = parseIP(ip);
  return p?.family === 'IPv4' ? formatIPv4(ipv4ToNumber(p.bytes)) : undefined;
}

function configuredFamilies(al: ServiceAllocators): Set<IPFamily> {
  return new Set([al.clusterIPs.family]);
}

const otherFamily = (f: IPFamily): IPFamily => (f === 'IPv4' ? 'IPv6' : 'IPv4');

// ---------------------------------------------------------------- field normalization

function normalizeInPlace(svc: Service, old: Service | undefined): void {
  const spec = svc.spec;
  const clusterIP = spec.clusterIP ?? '';
  if (!old) {
    // An old client set only the singular field.
    if (clusterIP.length > 0 && (spec.clusterIPs?.length ?? 0) === 0) spec.clusterIPs = [clusterIP];
    return;
  }
  const oldClusterIP = old.spec.clusterIP ?? '';
  // An old client patched some other field and did not send clusterIPs.
  if ((old.spec.clusterIPs?.length ?? 0) > 0 && (spec.clusterIPs?.length ?? 0) === 0 && oldClusterIP === clusterIP) {
    spec.clusterIPs = [...(old.spec.clusterIPs ?? [])];
  }
  if (oldClusterIP !== clusterIP) {
    if (oldClusterIP.length > 0 && clusterIP.length === 0) {
      // Clearing the singular clears the plural on the client's behalf.
      if (sameStrings(old.spec.clusterIPs, spec.clusterIPs)) delete spec.clusterIPs;
    } else if (sameStrings(old.spec.clusterIPs, spec.clusterIPs)) {
      spec.clusterIPs = [clusterIP];
    }
  }
}

/**
 * normalizeClusterIPs: keeps clusterIP and clusterIPs in step for clients that set only one.
 * `prev` is the stored object on update, absent on create. Returns a copy.
 */
export function normalizeClusterIPs(svc: Service, prev?: Service): Service {
  const out = deepCopy(svc);
  normalizeInPlace(out, prev);
  return out;
}

function nodePortsOf(ports: readonly ServicePort[] | undefined): Set<number> {
  const out = new Set<number>();
  for (const p of ports ?? []) if (p.nodePort) out.add(p.nodePort);
  return out;
}

function patchInPlace(svc: Service, old: Service): void {
  const spec = svc.spec;
  if (needsClusterIP(old) && needsClusterIP(svc)) {
    if (!spec.clusterIP && old.spec.clusterIP) spec.clusterIP = old.spec.clusterIP;
    if ((spec.clusterIPs?.length ?? 0) === 0 && (old.spec.clusterIPs?.length ?? 0) > 0) spec.clusterIPs = [...(old.spec.clusterIPs ?? [])];
  }
  if (needsNodePort(old) && needsNodePort(svc)) {
    const oldPorts = nodePortsOf(old.spec.ports);
    // NodePorts both old and new already mention cannot be patched into another port.
    const used = new Set([...nodePortsOf(spec.ports)].filter((np) => oldPorts.has(np)));
    // Matched by port name: the client may have changed anything else about the port.
    const byName = new Map<string, number>();
    for (const p of old.spec.ports ?? []) byName.set(p.name ?? '', p.nodePort ?? 0);
    for (const p of spec.ports ?? []) {
      if (p.nodePort) continue;
      const oldVal = byName.get(p.name ?? '') ?? 0;
      if (oldVal !== 0 && !used.has(oldVal)) p.nodePort = oldVal;
    }
  }
  if (needsHealthCheck(old) && needsHealthCheck(svc) && !spec.healthCheckNodePort && old.spec.healthCheckNodePort) {
    spec.healthCheckNodePort = old.spec.healthCheckNodePort;
  }
}

/**
 * patchAllocatedValues: values the server allocated and the client omitted (clusterIP(s),
 * nodePorts by port name, healthCheckNodePort) are copied from `prev`, so re-applying the
 * original manifest works and a PUT with `clusterIP: ""` keeps the IP. Returns a copy.
 */
export function patchAllocatedValues(next: Service, prev: Service): Service {
  const out = deepCopy(next);
  patchInPlace(out, prev);
  return out;
}

function defaultOnReadInPlace(svc: Service, primary: IPFamily): void {
  // Objects written before clusterIP became plural.
  normalizeInPlace(svc, undefined);
  const spec = svc.spec;
  if (needsClusterIP(svc) && (spec.ipFamilies?.length ?? 0) === 0) {
    if (spec.clusterIP === 'None') {
      if (isEmpty(spec.selector)) {
        // Headless without selector: endpoints may be of either family.
        spec.ipFamilyPolicy = 'RequireDualStack';
        spec.ipFamilies = [primary, otherFamily(primary)];
      } else {
        spec.ipFamilyPolicy = 'SingleStack';
        spec.ipFamilies = [primary];
      }
    } else {
      spec.ipFamilies = (spec.clusterIPs ?? []).map((ip) => (ipFamilyOf(ip) === 'IPv6' ? 'IPv6' : 'IPv4'));
      if (spec.ipFamilies.length === 1) spec.ipFamilyPolicy = 'SingleStack';
      else if (spec.ipFamilies.length === 2) spec.ipFamilyPolicy = 'RequireDualStack';
    }
  }
  // internalTrafficPolicy was once defaulted for ExternalName too; it is hidden on read.
  if (spec.type === 'ExternalName') delete spec.internalTrafficPolicy;
}

/** defaultOnRead: how a stored Service is shown (GET, LIST, WATCH) and read before update. */
export function defaultServiceOnRead(svc: Service, opts: { primaryFamily?: IPFamily } = {}): Service {
  const out = deepCopy(svc);
  defaultOnReadInPlace(out, opts.primaryFamily ?? 'IPv4');
  return out;
}

// ---------------------------------------------------------------- IP families

function isMatchingPreferDualStack(svc: Service, old: Service | undefined): boolean {
  if (!old || !has(svc.spec.ipFamilyPolicy)) return false;
  if (old.spec.type !== svc.spec.type) return false;
  const t = svc.spec.type;
  if (t !== 'ClusterIP' && t !== 'NodePort' && t !== 'LoadBalancer') return false;
  if (svc.spec.ipFamilyPolicy !== 'PreferDualStack') return false;
  if (has(old.spec.ipFamilyPolicy) && old.spec.ipFamilyPolicy !== 'PreferDualStack') return false;
  return sameStrings(old.spec.clusterIPs, svc.spec.clusterIPs) && sameStrings(old.spec.ipFamilies, svc.spec.ipFamilies);
}

/** initIPFamilyFields: defaults ipFamilyPolicy and ipFamilies and checks them against the cluster. */
function initIPFamilyFields(svc: Service, old: Service | undefined, al: ServiceAllocators): FieldError[] {
  const spec = svc.spec;
  if (spec.type === 'ExternalName') return [];
  if (isMatchingPreferDualStack(svc, old)) return [];

  if (!has(spec.ipFamilyPolicy)) {
    if (old && has(old.spec.ipFamilyPolicy)) spec.ipFamilyPolicy = old.spec.ipFamilyPolicy;
    else if (spec.clusterIP === 'None' && isEmpty(spec.selector)) spec.ipFamilyPolicy = 'RequireDualStack';
    else spec.ipFamilyPolicy = 'SingleStack';
  }
  const pre = validateServiceClusterIPsRelatedFields(svc);
  if (pre.length > 0) return pre;

  const configured = configuredFamilies(al);
  const primary = al.clusterIPs.family;
  const policyPath = root('spec', 'ipFamilyPolicy');
  const policy = spec.ipFamilyPolicy;
  const errs: FieldError[] = [];

  if (old) {
    if (policy === 'SingleStack') {
      // Setting SingleStack without touching the lists is a clear request to downgrade.
      if (sameStrings(old.spec.clusterIPs, spec.clusterIPs) && (spec.clusterIPs?.length ?? 0) > 1) spec.clusterIPs = spec.clusterIPs!.slice(0, 1);
      if (sameStrings(old.spec.ipFamilies, spec.ipFamilies) && (spec.ipFamilies?.length ?? 0) > 1) spec.ipFamilies = spec.ipFamilies!.slice(0, 1);
    } else {
      const reduced = (a: readonly string[] | undefined, b: readonly string[] | undefined) => (a?.length ?? 0) > 0 && (a?.length ?? 0) < (b?.length ?? 0);
      if (reduced(spec.clusterIPs, old.spec.clusterIPs)) errs.push(field.invalid(policyPath, policy, "must be 'SingleStack' to release the secondary cluster IP"));
      if (reduced(spec.ipFamilies, old.spec.ipFamilies)) errs.push(field.invalid(policyPath, policy, "must be 'SingleStack' to release the secondary IP family"));
    }
  }

  if (spec.ipFamilyPolicy === 'SingleStack') {
    if (spec.clusterIPs?.length === 2) {
      errs.push(field.invalid(policyPath, spec.ipFamilyPolicy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"));
    }
    if (spec.ipFamilies?.length === 2) {
      errs.push(field.invalid(policyPath, spec.ipFamilyPolicy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
    }
  }

  // Infer families from requested IPs.
  const families: IPFamily[] = [...(spec.ipFamilies ?? [])];
  const requested = spec.clusterIPs ?? [];
  for (let i = 0; i < requested.length && requested[i] !== 'None'; i++) {
    if (i < families.length) continue;
    const fam = ipFamilyOf(requested[i]!);
    if (fam === 'unknown' || !configured.has(fam)) {
      errs.push(field.invalid(root('spec', 'clusterIPs').index(i), goStrings(spec.clusterIPs), `${fam} is not configured on this cluster`));
    } else {
      families.push(fam);
    }
  }
  if (families.length > 0 || has(spec.ipFamilies)) spec.ipFamilies = families;
  if (errs.length > 0) return errs;

  // Headless without selector may list families the cluster does not have.
  if (spec.clusterIP === 'None' && isEmpty(spec.selector)) {
    if (families.length === 0) families.push(primary);
    if (families.length < 2 && spec.ipFamilyPolicy !== 'SingleStack') families.push(otherFamily(families[0]!));
    spec.ipFamilies = families;
    return [];
  }

  if (spec.ipFamilyPolicy === 'RequireDualStack' && configured.size < 2) {
    errs.push(field.invalid(policyPath, spec.ipFamilyPolicy, 'this cluster is not configured for dual-stack services'));
  }
  families.forEach((fam, i) => {
    if (!configured.has(fam)) errs.push(field.invalid(root('spec', 'ipFamilies').index(i), fam, 'not configured on this cluster'));
  });
  if (errs.length > 0) return errs;

  if (families.length === 0) families.push(primary);
  spec.ipFamilies = families;
  // A PreferDualStack/RequireDualStack Service gains the other family only on a dual-stack
  // cluster; kubeloop's clusters are single-stack.
  return [];
}

// ---------------------------------------------------------------- ClusterIPs

function allocClusterIPs(svc: Service, al: ServiceAllocators, txn: Transaction): Step {
  const spec = svc.spec;
  if (spec.type === 'ExternalName') return OK;
  if (spec.clusterIPs?.[0] === 'None') return OK;
  const clusterIPs = [...(spec.clusterIPs ?? [])];
  const families = spec.ipFamilies ?? [];
  families.forEach((_, i) => {
    if (i >= clusterIPs.length) clusterIPs.push('');
  });

  for (let i = 0; i < families.length; i++) {
    // initIPFamilyFields admitted only configured families.
    const requested = clusterIPs[i] ?? '';
    if (requested === '') {
      const r = al.clusterIPs.allocateNext();
      if (!r.ok) return internalStep(`failed to allocate a serviceIP: ${r.error.message}`);
      txn.undoWith(() => al.clusterIPs.release(r.value));
      clusterIPs[i] = r.value;
      continue;
    }
    const canonical = canonicalIPv4(requested);
    if (canonical !== undefined && al.reservations.get(canonical) === serviceKey(svc) && al.clusterIPs.has(canonical)) {
      // The owner claims its reserved address; it is already marked taken.
      txn.onCommit(() => al.reservations.delete(canonical));
      continue;
    }
    const r = al.clusterIPs.allocate(requested);
    if (!r.ok) {
      const err = field.invalid(root('spec', 'clusterIPs'), goStrings(spec.clusterIPs), `failed to allocate IP ${requested}: ${r.error.message}`);
      return invalidStep(svc, [err]);
    }
    txn.undoWith(() => al.clusterIPs.release(requested));
  }
  if (families.length > 0) {
    spec.clusterIPs = clusterIPs;
    spec.clusterIP = clusterIPs[0];
  }
  return OK;
}

function updateClusterIPs(svc: Service, old: Service, al: ServiceAllocators, txn: Transaction): Step {
  if (isMatchingPreferDualStack(svc, old)) return OK;
  // ExternalName → anything else: allocate afresh (or take the requested IP).
  if (old.spec.type === 'ExternalName' && svc.spec.type !== 'ExternalName') return allocClusterIPs(svc, al, txn);
  if (isHeadlessService(old)) return OK;
  // Anything else → ExternalName: the old IPs go back to the pool once the update is stored.
  if (old.spec.type !== 'ExternalName' && svc.spec.type === 'ExternalName') {
    (old.spec.ipFamilies ?? []).forEach((fam, i) => {
      const ip = old.spec.clusterIPs?.[i];
      if (ip && fam === al.clusterIPs.family) txn.onCommit(() => al.clusterIPs.release(ip));
    });
  }
  // Adding or removing a secondary family (dual-stack up/downgrade) cannot happen on a
  // single-stack cluster: initIPFamilyFields rejects the second family.
  return OK;
}

// ---------------------------------------------------------------- NodePorts

function shouldAllocateNodePorts(svc: Service): boolean {
  if (svc.spec.type === 'NodePort') return true;
  if (svc.spec.type === 'LoadBalancer') return svc.spec.allocateLoadBalancerNodePorts !== false;
  return false;
}

/** Every port's nodePort, duplicates included (TCP and UDP may share one). */
function collectNodePorts(svc: Service): number[] {
  return (svc.spec.ports ?? []).map((p) => p.nodePort ?? 0).filter((np) => np !== 0);
}

/** A portallocator operation: allocations undone on revert, releases deferred to commit. */
class NodePortOperation {
  constructor(
    private readonly ports: PortAllocator,
    private readonly txn: Transaction,
  ) {}
  allocate(port: number) {
    const r = this.ports.allocate(port);
    if (r.ok) this.txn.undoWith(() => this.ports.release(port));
    return r;
  }
  allocateNext() {
    const r = this.ports.allocateNext();
    if (r.ok) this.txn.undoWith(() => this.ports.release(r.value));
    return r;
  }
  releaseDeferred(port: number): void {
    this.txn.onCommit(() => this.ports.release(port));
  }
}

const nodePortPath = (i: number) => root('spec', 'ports').index(i).child('nodePort');

/** initNodePorts: on create, ports with the same port number share one nodePort. */
function initNodePorts(svc: Service, op: NodePortOperation): Step {
  const ports = svc.spec.ports ?? [];
  const byPortNumber = new Map<number, number>();
  for (let i = 0; i < ports.length; i++) {
    const sp = ports[i]!;
    const requested = sp.nodePort ?? 0;
    // Without allocation only explicit requests are honoured.
    if (requested === 0 && !shouldAllocateNodePorts(svc)) continue;
    const shared = byPortNumber.get(sp.port) ?? 0;
    if (shared === 0) {
      // A later port with the same number may carry the request.
      const np = ports.find((p) => p.port === sp.port && (p.nodePort ?? 0) !== 0)?.nodePort ?? 0;
      if (np !== 0) {
        const r = op.allocate(np);
        if (!r.ok) return invalidStep(svc, [field.invalid(nodePortPath(i), np, r.error.message)]);
        sp.nodePort = np;
        byPortNumber.set(sp.port, np);
      } else {
        const r = op.allocateNext();
        if (!r.ok) return internalStep(`failed to allocate a nodePort: ${r.error.message}`);
        sp.nodePort = r.value;
        byPortNumber.set(sp.port, r.value);
      }
    } else if (requested !== shared) {
      if (requested === 0) {
        sp.nodePort = shared;
      } else {
        const r = op.allocate(requested);
        if (!r.ok) return invalidStep(svc, [field.invalid(nodePortPath(i), requested, r.error.message)]);
      }
    }
  }
  return OK;
}

/** On update, a zero nodePort gets a fresh one: a UDP twin added later does not share. */
function updateNodePorts(svc: Service, old: Service, op: NodePortOperation): Step {
  const oldNumbers = collectNodePorts(old);
  const seen = new Set<string>();
  const newlyAllocated = new Set<number>();
  const ports = svc.spec.ports ?? [];
  for (let i = 0; i < ports.length; i++) {
    const sp = ports[i]!;
    let np = sp.nodePort ?? 0;
    if (np === 0 && !shouldAllocateNodePorts(svc)) continue;
    if (np !== 0) {
      if (!oldNumbers.includes(np) && !newlyAllocated.has(np)) {
        const r = op.allocate(np);
        if (!r.ok) return invalidStep(svc, [field.invalid(nodePortPath(i), np, r.error.message)]);
        newlyAllocated.add(np);
      }
    } else {
      const r = op.allocateNext();
      if (!r.ok) return internalStep(`failed to allocate a nodePort: ${r.error.message}`);
      np = r.value;
      sp.nodePort = np;
    }
    const key = `${sp.protocol ?? ''} ${np}`;
    if (seen.has(key)) return unknownStep(`duplicate nodePort: {${key}}`);
    seen.add(key);
  }
  const newNumbers = collectNodePorts(svc);
  for (const np of oldNumbers) if (!newNumbers.includes(np)) op.releaseDeferred(np);
  return OK;
}

function allocHealthCheckNodePort(svc: Service, op: NodePortOperation): Step {
  const requested = svc.spec.healthCheckNodePort ?? 0;
  if (requested !== 0) {
    const r = op.allocate(requested);
    if (!r.ok) return internalStep(`failed to allocate requested HealthCheck NodePort ${requested}: ${r.error.message}`);
    return OK;
  }
  const r = op.allocateNext();
  // Upstream prints the zero it had not yet replaced.
  if (!r.ok) return internalStep(`failed to allocate a HealthCheck NodePort 0: ${r.error.message}`);
  svc.spec.healthCheckNodePort = r.value;
  return OK;
}

function updateNodePortsTxn(svc: Service, old: Service, op: NodePortOperation): Step {
  const t = svc.spec.type;
  if (needsNodePort(old) && (t === 'ExternalName' || t === 'ClusterIP')) {
    for (const np of collectNodePorts(old)) op.releaseDeferred(np);
  }
  if (needsNodePort(svc)) {
    const step = updateNodePorts(svc, old, op);
    if (!step.ok) return step;
  }
  const needed = needsHealthCheck(old);
  const needs = needsHealthCheck(svc);
  if (!needed && needs) return allocHealthCheckNodePort(svc, op);
  if (needed && !needs && old.spec.healthCheckNodePort) op.releaseDeferred(old.spec.healthCheckNodePort);
  return OK;
}

// ---------------------------------------------------------------- entry points

function finish(svc: Service, txn: Transaction, step: Step): AllocationResult {
  if (!step.ok) {
    txn.revert();
    return step;
  }
  return { ok: true, service: svc, commit: () => txn.commit(), revert: () => txn.revert() };
}

/**
 * Allocates what a new Service needs: normalizes clusterIP(s), defaults ipFamilies and
 * ipFamilyPolicy, takes the requested or a random ClusterIP, NodePorts (TCP and UDP on the same
 * port share one), and a healthCheckNodePort for LoadBalancer with externalTrafficPolicy Local.
 * `svc` should be defaulted (defaultService); it is not modified.
 */
export function allocateCreate(svc: Service, allocators: ServiceAllocators): AllocationResult {
  const service = deepCopy(svc);
  normalizeInPlace(service, undefined);
  const txn = new Transaction();
  const famErrs = initIPFamilyFields(service, undefined, allocators);
  if (famErrs.length > 0) return finish(service, txn, invalidStep(service, famErrs));

  let step = allocClusterIPs(service, allocators, txn);
  if (!step.ok) return finish(service, txn, step);

  const op = new NodePortOperation(allocators.nodePorts, txn);
  if (needsNodePort(service)) {
    step = initNodePorts(service, op);
    if (!step.ok) return finish(service, txn, step);
  }
  if (needsHealthCheck(service)) step = allocHealthCheckNodePort(service, op);
  return finish(service, txn, step);
}

/**
 * An update, old and new named (upstream passes After/Before wrappers for the same reason:
 * two Services in a row are easy to swap).
 */
export interface ServiceUpdate {
  /** The client's object, defaulted. */
  next: Service;
  /** The stored object. */
  prev: Service;
}

/**
 * Allocates for an update of `prev` (as stored) to `next` (defaulted): patches omitted
 * allocated values back from `prev`, allocates what the new shape needs (ExternalName →
 * ClusterIP gets an IP, new ports get NodePorts), and wipes type-dependent fields the new type
 * does not use. Whatever `prev` held and `next` no longer does is released only on commit().
 */
export function allocateUpdate({ next, prev }: ServiceUpdate, allocators: ServiceAllocators): AllocationResult {
  const old = defaultServiceOnRead(prev, { primaryFamily: allocators.clusterIPs.family });
  let service = deepCopy(next);
  patchInPlace(service, old);
  normalizeInPlace(service, old);
  const txn = new Transaction();
  const famErrs = initIPFamilyFields(service, old, allocators);
  if (famErrs.length > 0) return finish(service, txn, invalidStep(service, famErrs));

  let step = updateClusterIPs(service, old, allocators, txn);
  if (!step.ok) return finish(service, txn, step);
  step = updateNodePortsTxn(service, old, new NodePortOperation(allocators.nodePorts, txn));
  if (!step.ok) return finish(service, txn, step);

  service = dropTypeDependentFields(service, old);
  return finish(service, txn, OK);
}

/** Releases the ClusterIPs, NodePorts and healthCheckNodePort of a deleted Service. */
export function releaseOnDelete(svc: Service, allocators: ServiceAllocators): void {
  const s = defaultServiceOnRead(svc, { primaryFamily: allocators.clusterIPs.family });
  if (needsClusterIP(s) && s.spec.clusterIPs?.[0] !== 'None') {
    for (const ip of s.spec.clusterIPs ?? []) if (ipFamilyOf(ip) === allocators.clusterIPs.family) allocators.clusterIPs.release(ip);
  }
  for (const np of collectNodePorts(s)) allocators.nodePorts.release(np);
  if (needsHealthCheck(s) && (s.spec.healthCheckNodePort ?? 0) > 0) allocators.nodePorts.release(s.spec.healthCheckNodePort!);
}
