// The Service strategy's prepare hooks (pkg/registry/core/service/strategy.go). Pure functions:
// each returns a new object and leaves its arguments alone.
import type { Service, ServicePort } from '../core.js';
import { deepCopy } from '../objects.js';
import { needsClusterIP, needsHealthCheck, needsNodePort } from './predicates.js';

/** PrepareForCreate: clients may not set status; a new Service starts with an empty one. */
export function prepareForCreate(svc: Service): Service {
  const out = deepCopy(svc);
  out.status = { loadBalancer: {} };
  return out;
}

/**
 * PrepareForUpdate: status is kept from `prev` (it changes only through /status), and the
 * load-balancer status is cleared once the Service is no longer a LoadBalancer. The spec half
 * of upstream's dropTypeDependentFields runs in allocateUpdate, right after allocation.
 */
export function prepareForUpdate(next: Service, prev: Service): Service {
  const out = deepCopy(next);
  out.status = prev.status ? deepCopy(prev.status) : { loadBalancer: {} };
  if (out.spec.type !== 'LoadBalancer') out.status.loadBalancer = {};
  return out;
}

const sameStrings = (a: readonly string[] | undefined, b: readonly string[] | undefined) =>
  (a ?? []).length === (b ?? []).length && (a ?? []).every((v, i) => v === (b ?? [])[i]);

function nodePortSet(ports: readonly ServicePort[] | undefined): Set<number> {
  const out = new Set<number>();
  for (const p of ports ?? []) if (p.nodePort) out.add(p.nodePort);
  return out;
}

/**
 * dropTypeDependentFields, spec part: when `type` changes so that an allocated or defaulted
 * field no longer applies, and the client did not also change that field (a change is left for
 * validation to reject), the field is wiped. The allocator releases what it held.
 */
export function dropTypeDependentFields(next: Service, prev: Service): Service {
  const out = deepCopy(next);
  const spec = out.spec;
  const old = prev.spec;

  if (needsClusterIP(prev) && !needsClusterIP(out)) {
    if ((old.clusterIP ?? '') === (spec.clusterIP ?? '') && sameStrings(old.clusterIPs, spec.clusterIPs)) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (sameFamilies(old.ipFamilies, spec.ipFamilies)) delete spec.ipFamilies;
    if ((old.ipFamilyPolicy ?? '') === (spec.ipFamilyPolicy ?? '')) delete spec.ipFamilyPolicy;
  }

  if (needsNodePort(prev) && !needsNodePort(out)) {
    const before = nodePortSet(old.ports);
    // Ports may be added, removed or edited, as long as no new nodePort appears.
    if ([...nodePortSet(spec.ports)].every((np) => before.has(np))) {
      for (const p of spec.ports ?? []) delete p.nodePort;
    }
  }

  if (needsHealthCheck(prev) && !needsHealthCheck(out) && (old.healthCheckNodePort ?? 0) === (spec.healthCheckNodePort ?? 0)) {
    delete spec.healthCheckNodePort;
  }

  if (old.type === 'LoadBalancer' && spec.type !== 'LoadBalancer') {
    const a = old.allocateLoadBalancerNodePorts;
    const b = spec.allocateLoadBalancerNodePorts;
    if (a !== undefined && a !== null && b !== undefined && b !== null && a === b) delete spec.allocateLoadBalancerNodePorts;
    if ((old.loadBalancerClass ?? null) === (spec.loadBalancerClass ?? null)) delete spec.loadBalancerClass;
  }

  const needsETP = (s: Service) => s.spec.type === 'NodePort' || s.spec.type === 'LoadBalancer';
  if (needsETP(prev) && !needsETP(out) && (old.externalTrafficPolicy ?? '') === (spec.externalTrafficPolicy ?? '')) {
    delete spec.externalTrafficPolicy;
  }
  return out;
}

function sameFamilies(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  // reflect.DeepEqual: nil and empty differ.
  const absent = (v: readonly string[] | undefined | null) => v === undefined || v === null;
  if (absent(a) || absent(b)) return absent(a) && absent(b);
  return sameStrings(a, b);
}
