// The minimal records DNS keeps, built from API objects at the informer boundary (as CoreDNS's
// object.ToService / EndpointSliceToEndpoints). Everything DNS needs is decided here once:
// headless vs ClusterIP vs ExternalName, canonical IPs, lower-cased names, endpoint readiness.
// Query code never sees a Service or an EndpointSlice. Do not add fields the resolver does not use.
import type { EndpointSlice, Service } from '../api/index.js';
import { canonicalIp, normalizeName } from './_names.js';

/** The EndpointSlice label naming the owning Service (discovery.k8s.io/v1 LabelServiceName). */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export type PortProtocol = 'tcp' | 'udp' | 'sctp';

export interface PortRecord {
  /** Lower-cased; "" for an unnamed port (which has no SRV record of its own). */
  name: string;
  protocol: PortProtocol;
  port: number;
}

interface ServiceRecordBase {
  namespace: string;
  name: string;
  ports: readonly PortRecord[];
  /** Publish endpoints whatever their readiness (spec.publishNotReadyAddresses). */
  publishNotReadyAddresses: boolean;
}

export type ServiceRecord =
  /** Has (or is waiting for) ClusterIPs; NodePort and LoadBalancer Services are this kind too. */
  | (ServiceRecordBase & { kind: 'ClusterIP'; clusterIPs: readonly string[] })
  /** clusterIP "None": names resolve to the ready endpoints themselves. */
  | (ServiceRecordBase & { kind: 'Headless' })
  /** A CNAME to `externalName` (lower-cased, no trailing dot; "" when unset). */
  | (ServiceRecordBase & { kind: 'ExternalName'; externalName: string });

export interface EndpointRecord {
  /** Canonical IP text. */
  ip: string;
  /** The endpoint's hostname (lower-cased), if the slice gives one. */
  hostname: string | undefined;
  /** conditions.ready, where an absent value means ready (discovery/v1 semantics). */
  ready: boolean;
  /** The slice's ports: for headless SRV records, the port a client must dial is the endpoint's. */
  ports: readonly PortRecord[];
}

export interface EndpointSliceRecord {
  namespace: string;
  /** The slice's own name, its identity in the index. */
  name: string;
  /** The Service it belongs to, from the kubernetes.io/service-name label. */
  service: string;
  endpoints: readonly EndpointRecord[];
}

function toProtocol(p: string | undefined): PortProtocol {
  switch (p) {
    case 'UDP':
      return 'udp';
    case 'SCTP':
      return 'sctp';
    default:
      return 'tcp';
  }
}

function validPort(n: number | undefined): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535;
}

export function toServiceRecord(svc: Pick<Service, 'metadata' | 'spec'>): ServiceRecord {
  const base: ServiceRecordBase = {
    namespace: (svc.metadata.namespace ?? '').toLowerCase(),
    name: (svc.metadata.name ?? '').toLowerCase(),
    ports: (svc.spec.ports ?? [])
      .filter((p) => validPort(p.port))
      .map((p) => ({ name: (p.name ?? '').toLowerCase(), protocol: toProtocol(p.protocol), port: p.port })),
    publishNotReadyAddresses: svc.spec.publishNotReadyAddresses === true,
  };
  if (svc.spec.type === 'ExternalName') {
    return { ...base, kind: 'ExternalName', externalName: normalizeName(svc.spec.externalName ?? '') };
  }
  const ips = svc.spec.clusterIPs?.length ? svc.spec.clusterIPs : svc.spec.clusterIP ? [svc.spec.clusterIP] : [];
  if (ips[0] === 'None') return { ...base, kind: 'Headless' };
  const clusterIPs = ips.map(canonicalIp).filter((ip): ip is string => ip !== undefined);
  return { ...base, kind: 'ClusterIP', clusterIPs };
}

/** undefined for a slice DNS ignores: no service-name label, or FQDN addresses. */
export function toEndpointSliceRecord(slice: Pick<EndpointSlice, 'metadata' | 'addressType' | 'endpoints' | 'ports'>): EndpointSliceRecord | undefined {
  const service = slice.metadata.labels?.[SERVICE_NAME_LABEL];
  if (!service || slice.addressType === 'FQDN') return undefined;
  const ports: PortRecord[] = (slice.ports ?? [])
    .filter((p) => validPort(p.port))
    .map((p) => ({ name: (p.name ?? '').toLowerCase(), protocol: toProtocol(p.protocol), port: p.port as number }));
  const endpoints: EndpointRecord[] = [];
  for (const ep of slice.endpoints ?? []) {
    const hostname = ep.hostname ? ep.hostname.toLowerCase() : undefined;
    const ready = ep.conditions?.ready !== false;
    for (const a of ep.addresses) {
      const ip = canonicalIp(a);
      if (ip) endpoints.push({ ip, hostname, ready, ports });
    }
  }
  return {
    namespace: (slice.metadata.namespace ?? '').toLowerCase(),
    name: slice.metadata.name ?? '',
    service: service.toLowerCase(),
    endpoints,
  };
}
