// The one repair pass at start-up: allocator state is not persisted, it is rebuilt from the
// stored Services (as ipallocator/controller/repair.go and portallocator/controller/repair.go
// rebuild theirs), so a restart never hands out an address or port twice and nothing leaks.
import type { Service } from '../../api/core.js';
import { formatIPv4, ipFamilyOf, ipv4ToNumber, needsHealthCheck, parseIP } from '../../api/service/index.js';
import type { ServiceAllocators } from './serviceAllocation.js';

/** A ClusterIP kept for a Service that will be created by name, e.g. kube-dns at .10. */
export interface Reservation {
  ip: string;
  /** "namespace/name" of the only Service that may claim the address. */
  owner: string;
}

export type RepairProblemKind =
  | 'ClusterIPNotValid'
  | 'ClusterIPOutOfRange'
  | 'ClusterIPAlreadyAllocated'
  | 'PortOutOfRange'
  | 'PortAlreadyAllocated'
  | 'ReservationUnavailable';

/** Something the stored Services got wrong; upstream reports these as Warning events. */
export interface RepairProblem {
  kind: RepairProblemKind;
  /** "namespace/name" of the Service concerned. */
  service: string;
  value: string | number;
  message: string;
}

export interface RepairReport {
  /** ClusterIPs and NodePorts (healthCheckNodePorts included) now marked taken for Services. */
  clusterIPs: number;
  nodePorts: number;
  /** Reservations now held. */
  reserved: number;
  problems: RepairProblem[];
}

export interface RepairOptions {
  reserve?: readonly Reservation[];
}

const keyOf = (svc: Service) => `${svc.metadata.namespace ?? ''}/${svc.metadata.name ?? ''}`;

/** healthCheckNodePort included; a port TCP and UDP share counts once. */
function serviceNodePorts(svc: Service): number[] {
  const out = new Set<number>();
  for (const p of svc.spec.ports ?? []) if (p.nodePort) out.add(p.nodePort);
  if (needsHealthCheck(svc) && svc.spec.healthCheckNodePort) out.add(svc.spec.healthCheckNodePort);
  return [...out];
}

/**
 * Resets `allocators` and marks every ClusterIP and NodePort of `services` taken, then holds the
 * reservations whose owner does not exist yet. When two Services claim one value the first in
 * `services` keeps it (pass them oldest first) and the clash is reported, not fixed.
 */
export function repairAllocators(services: readonly Service[], allocators: ServiceAllocators, opts: RepairOptions = {}): RepairReport {
  const { clusterIPs, nodePorts, reservations } = allocators;
  clusterIPs.reset();
  nodePorts.reset();
  reservations.clear();
  const problems: RepairProblem[] = [];
  const report = (kind: RepairProblemKind, svc: string, value: string | number, message: string) =>
    problems.push({ kind, service: svc, value, message });

  for (const svc of services) {
    const key = keyOf(svc);
    const spec = svc.spec;
    const hasIP = spec.clusterIP && spec.clusterIP !== 'None';
    if (hasIP) {
      const ips = spec.clusterIPs?.length ? spec.clusterIPs : [spec.clusterIP!];
      for (const ip of ips) {
        const family = ipFamilyOf(ip);
        if (family === 'unknown') {
          report('ClusterIPNotValid', key, ip, `Cluster IP ${ip} is not a valid IP; please recreate service`);
          continue;
        }
        // A family this cluster does not serve has no allocator to repair.
        if (family !== clusterIPs.family) continue;
        const r = clusterIPs.allocate(ip);
        if (r.ok) continue;
        if (r.error.reason === 'NotInRange') {
          report('ClusterIPOutOfRange', key, ip, `Cluster IP [${family}]:${ip} is not within the configured Service CIDR ${clusterIPs.cidr}; please recreate service`);
        } else {
          report('ClusterIPAlreadyAllocated', key, ip, `Cluster IP [${family}]:${ip} was assigned to multiple services; please recreate service`);
        }
      }
    }
    for (const port of serviceNodePorts(svc)) {
      const r = nodePorts.allocate(port);
      if (r.ok) continue;
      if (r.error.reason === 'NotInRange') {
        report('PortOutOfRange', key, port, `Port ${port} is not within the port range ${nodePorts.rangeSpec}; please recreate service`);
      } else {
        report('PortAlreadyAllocated', key, port, `Port ${port} was assigned to multiple services; please recreate service`);
      }
    }
  }
  const servicesUsed = { clusterIPs: clusterIPs.used(), nodePorts: nodePorts.used() };

  const existing = new Set(services.map(keyOf));
  for (const { ip, owner } of opts.reserve ?? []) {
    // An owner that exists already holds whatever address it has.
    if (existing.has(owner)) continue;
    const parsed = parseIP(ip);
    const canonical = parsed?.family === 'IPv4' ? formatIPv4(ipv4ToNumber(parsed.bytes)) : ip;
    const r = clusterIPs.allocate(canonical);
    if (!r.ok) {
      report('ReservationUnavailable', owner, ip, `Cannot reserve cluster IP ${ip} for ${owner}: ${r.error.message}`);
      continue;
    }
    reservations.set(canonical, owner);
  }
  return { ...servicesUsed, reserved: reservations.size, problems };
}
