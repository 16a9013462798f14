// Query → answer for the cluster zone and the reverse zones, on a ClusterIndex. Pure: no I/O, no
// clock; the server decides what to do with "not-synced" (SERVFAIL), "not-ours" (forward) and a
// CNAME that leaves the zone (`chase`, looked up upstream).
//
// The model is the DNS one: a query name either exists (possibly with no records of the asked
// type: NOERROR with no answers, "NODATA") or it does not (NXDOMAIN). Both negative answers carry
// the zone's SOA so resolvers cache them for `ttl` seconds. The names that exist are those of the
// Kubernetes DNS specification (kubernetes/dns docs/specification.md, schema 1.1.0) plus the
// empty non-terminals above them; see parseClusterName for every shape.
import type { Answer, SrvData } from 'dns-packet';
import type { ClusterIndex } from './cluster_index.js';
import { dashedIp, ipFamily, normalizeName, parseReverseName, reverseName, undashIp } from './_names.js';
import type { EndpointRecord, PortProtocol, ServiceRecord } from './records.js';

export const DNS_SCHEMA_VERSION = '1.1.0';

/** CNAME chains inside the zone (ExternalName → ExternalName) are followed this deep, then cut. */
const MAX_CNAME_DEPTH = 8;

export interface ResolveOptions {
  /** The cluster domain, e.g. "cluster.local" (any case, trailing dot optional). */
  zone: string;
  /** TTL of every record served, in seconds (also the SOA minimum, so the negative-cache TTL). */
  ttl: number;
  /**
   * `<a>-<b>-<c>-<d>.<ns>.pod.<zone>` A records: "insecure" answers any well-formed IP (the
   * deprecated record the spec still requires, and kubeadm's CoreDNS default); "disabled" never.
   */
  podRecords?: 'insecure' | 'disabled';
}

export interface Question {
  name: string;
  /** A dns-packet type name ("A", "SRV", "UNKNOWN_65", ...). */
  type: string;
}

export type Resolution =
  | {
      kind: 'answer';
      rcode: 'NOERROR' | 'NXDOMAIN';
      answers: Answer[];
      authorities: Answer[];
      additionals: Answer[];
      /** Set when the answer ends in a CNAME to a name outside the zone: look it up and append. */
      chase?: Question;
    }
  /** The name is ours but the index has not seen its first full list yet. */
  | { kind: 'not-synced' }
  /** Not a cluster name (or a reverse name of no cluster IP): forward it upstream. */
  | { kind: 'not-ours' };

/**
 * The shapes of a name inside the zone (labels left of `<zone>`):
 *   (apex)                              SOA, NS
 *   dns-version                         TXT "1.1.0"
 *   ns.dns                              A of the kube-dns Service (the NS target)
 *   dns | svc | pod                     exist, no records
 *   <ns>.svc                            exists while the namespace has a Service
 *   <svc>.<ns>.svc                      A/AAAA, SRV (every port), or CNAME (ExternalName)
 *   <hostname>.<svc>.<ns>.svc           A/AAAA of the endpoints with that hostname (or dashed IP)
 *   _<port>._<proto>.<svc>.<ns>.svc     SRV for a named port
 *   <ns>.pod                            exists (pod records "insecure")
 *   <a>-<b>-<c>-<d>.<ns>.pod            A (AAAA for a dashed IPv6)
 * Anything else does not exist.
 */
export type ClusterName =
  | { kind: 'apex' }
  | { kind: 'dns-version' }
  | { kind: 'nameserver' }
  | { kind: 'empty-non-terminal' }
  | { kind: 'namespace'; namespace: string }
  | { kind: 'service'; namespace: string; service: string }
  | { kind: 'endpoint'; namespace: string; service: string; endpoint: string }
  | { kind: 'port'; namespace: string; service: string; port: string; protocol: PortProtocol }
  | { kind: 'pod-namespace'; namespace: string }
  | { kind: 'pod'; namespace: string; ip: string }
  | { kind: 'none' };

/** `relative` is the normalised name with the zone removed ("" for the apex). */
export function parseClusterName(relative: string): ClusterName {
  if (relative === '') return { kind: 'apex' };
  const l = relative.split('.').reverse();
  const [top, ns, third, fourth, fifth] = l;
  if (l.length === 1) {
    if (top === 'dns-version') return { kind: 'dns-version' };
    if (top === 'svc' || top === 'pod' || top === 'dns') return { kind: 'empty-non-terminal' };
    return { kind: 'none' };
  }
  if (top === 'dns') return l.length === 2 && ns === 'ns' ? { kind: 'nameserver' } : { kind: 'none' };
  if (top === 'pod' && ns !== undefined) {
    if (l.length === 2) return { kind: 'pod-namespace', namespace: ns };
    const ip = l.length === 3 && third !== undefined ? undashIp(third) : undefined;
    return ip ? { kind: 'pod', namespace: ns, ip } : { kind: 'none' };
  }
  if (top !== 'svc' || ns === undefined) return { kind: 'none' };
  if (l.length === 2) return { kind: 'namespace', namespace: ns };
  const service = third as string;
  if (l.length === 3) return { kind: 'service', namespace: ns, service };
  if (l.length === 4 && fourth !== undefined && !fourth.startsWith('_')) return { kind: 'endpoint', namespace: ns, service, endpoint: fourth };
  if (l.length === 5 && fourth !== undefined && fifth !== undefined && fourth.startsWith('_') && fifth.startsWith('_')) {
    const protocol = fourth.slice(1);
    if (protocol === 'tcp' || protocol === 'udp' || protocol === 'sctp') return { kind: 'port', namespace: ns, service, port: fifth.slice(1), protocol };
  }
  return { kind: 'none' };
}

/** The records at one existing name; absent fields mean "none of that type". */
interface NameRecords {
  cname?: string;
  addresses?: string[];
  srv?: { port: number; target: string; targetAddresses: readonly string[] }[];
  txt?: string[];
  soa?: boolean;
  ns?: string[];
  ptr?: string[];
}

interface Ctx {
  index: ClusterIndex;
  zone: string;
  ttl: number;
  podRecords: 'insecure' | 'disabled';
}

export function resolve(index: ClusterIndex, q: Question, opts: ResolveOptions): Resolution {
  const ctx: Ctx = { index, zone: normalizeName(opts.zone), ttl: opts.ttl, podRecords: opts.podRecords ?? 'insecure' };
  const name = normalizeName(q.name);
  const owner = q.name.endsWith('.') ? q.name.slice(0, -1) : q.name;
  if (name === ctx.zone || name.endsWith(`.${ctx.zone}`)) {
    if (!index.synced) return { kind: 'not-synced' };
    return answerInZone(ctx, owner, name, q.type, 0);
  }
  const rev = parseReverseName(name);
  if (rev.kind !== 'address') return { kind: 'not-ours' };
  if (!index.synced) return { kind: 'not-synced' };
  const targets = ptrTargets(ctx, rev.ip);
  // Reverse names of IPs the cluster does not own fall through to the upstream resolvers, as
  // kubeadm's Corefile does with "fallthrough in-addr.arpa ip6.arpa".
  if (targets.length === 0) return { kind: 'not-ours' };
  const revZone = name.endsWith('.ip6.arpa') ? 'ip6.arpa' : 'in-addr.arpa';
  return build(ctx, owner, q.type, { ptr: targets }, revZone);
}

function answerInZone(ctx: Ctx, owner: string, name: string, type: string, depth: number): Resolution & { kind: 'answer' } {
  const relative = name === ctx.zone ? '' : name.slice(0, -(ctx.zone.length + 1));
  const records = recordsAt(ctx, parseClusterName(relative));
  if (!records) return { kind: 'answer', rcode: 'NXDOMAIN', answers: [], authorities: [soa(ctx, ctx.zone)], additionals: [] };
  const res = build(ctx, owner, type, records, ctx.zone);
  if (records.cname === undefined || type === 'CNAME' || type === 'ANY' || records.cname === '') return res;
  // Follow the CNAME: inside the zone here, outside by the server (chase).
  const target = records.cname;
  if (target !== ctx.zone && !target.endsWith(`.${ctx.zone}`)) return { ...res, chase: { name: target, type } };
  if (depth >= MAX_CNAME_DEPTH) return res;
  const next = answerInZone(ctx, target, target, type, depth + 1);
  return {
    kind: 'answer',
    // RFC 6604: the RCODE describes the last name in the chain.
    rcode: next.rcode,
    answers: [...res.answers, ...next.answers],
    authorities: next.answers.length === 0 || next.rcode === 'NXDOMAIN' ? next.authorities : [],
    additionals: next.additionals,
    ...(next.chase ? { chase: next.chase } : {}),
  };
}

function recordsAt(ctx: Ctx, n: ClusterName): NameRecords | undefined {
  const { index, zone } = ctx;
  switch (n.kind) {
    case 'apex':
      return { soa: true, ns: [`ns.dns.${zone}`] };
    case 'dns-version':
      return { txt: [DNS_SCHEMA_VERSION] };
    case 'nameserver': {
      const dns = index.service('kube-system', 'kube-dns');
      return dns?.kind === 'ClusterIP' ? { addresses: [...dns.clusterIPs] } : undefined;
    }
    case 'empty-non-terminal':
      return {};
    case 'namespace':
      return index.hasNamespace(n.namespace) ? {} : undefined;
    case 'service': {
      const svc = index.service(n.namespace, n.service);
      if (!svc) return undefined;
      const target = `${svc.name}.${svc.namespace}.svc.${zone}`;
      switch (svc.kind) {
        case 'ExternalName':
          return svc.externalName ? { cname: svc.externalName } : {};
        case 'ClusterIP':
          return {
            addresses: [...svc.clusterIPs],
            srv: svc.ports.map((p) => ({ port: p.port, target, targetAddresses: svc.clusterIPs })),
          };
        case 'Headless': {
          const eps = published(index, svc);
          // Spec 2.4.1: a headless Service with no ready endpoints answers NXDOMAIN.
          if (eps.length === 0) return undefined;
          return {
            addresses: [...new Set(eps.map((e) => e.ip))],
            srv: eps.flatMap((e) => e.ports.map((p) => ({ port: p.port, target: `${endpointName(e)}.${target}`, targetAddresses: [e.ip] }))),
          };
        }
        default:
          return exhaustive(svc);
      }
    }
    case 'endpoint': {
      const svc = index.service(n.namespace, n.service);
      if (!svc || svc.kind === 'ExternalName') return undefined;
      const eps = published(index, svc).filter((e) => endpointName(e) === n.endpoint);
      return eps.length ? { addresses: eps.map((e) => e.ip) } : undefined;
    }
    case 'port': {
      const svc = index.service(n.namespace, n.service);
      if (!svc || !n.port) return undefined;
      const matches = (p: { name: string; protocol: PortProtocol }) => p.name === n.port && p.protocol === n.protocol;
      const target = `${svc.name}.${svc.namespace}.svc.${zone}`;
      let srv: NameRecords['srv'] = [];
      switch (svc.kind) {
        case 'ExternalName':
          return undefined;
        case 'ClusterIP':
          srv = svc.ports.filter(matches).map((p) => ({ port: p.port, target, targetAddresses: svc.clusterIPs }));
          break;
        case 'Headless':
          srv = published(index, svc).flatMap((e) =>
            e.ports.filter(matches).map((p) => ({ port: p.port, target: `${endpointName(e)}.${target}`, targetAddresses: [e.ip] })),
          );
          break;
        default:
          return exhaustive(svc);
      }
      return srv.length ? { srv } : undefined;
    }
    case 'pod-namespace':
      return ctx.podRecords === 'insecure' ? {} : undefined;
    case 'pod':
      return ctx.podRecords === 'insecure' ? { addresses: [n.ip] } : undefined;
    case 'none':
      return undefined;
    default:
      return exhaustive(n);
  }
}

/** The endpoints DNS publishes: ready ones, or all of them under publishNotReadyAddresses. */
function published(index: ClusterIndex, svc: ServiceRecord): readonly EndpointRecord[] {
  const eps = index.endpoints(svc.namespace, svc.name);
  return svc.publishNotReadyAddresses ? eps : eps.filter((e) => e.ready);
}

/** The spec's endpoint _hostname_: its hostname field, else a system-generated id (the dashed IP). */
function endpointName(e: EndpointRecord): string {
  return e.hostname ?? dashedIp(e.ip);
}

/** PTR targets for an IP: the Services owning it as a ClusterIP, else the endpoints with it. */
function ptrTargets(ctx: Ctx, ip: string): string[] {
  const { index, zone } = ctx;
  const services = index.servicesByClusterIp(ip);
  if (services.length) return services.map((s) => `${s.name}.${s.namespace}.svc.${zone}`);
  const out = new Set<string>();
  for (const o of index.endpointsByIp(ip)) {
    const svc = index.service(o.namespace, o.service);
    if (!svc || svc.kind === 'ExternalName') continue;
    if (!o.endpoint.ready && !svc.publishNotReadyAddresses) continue;
    out.add(`${endpointName(o.endpoint)}.${svc.name}.${svc.namespace}.svc.${zone}`);
  }
  return [...out];
}

function build(ctx: Ctx, owner: string, type: string, r: NameRecords, soaZone: string): Resolution & { kind: 'answer' } {
  const ttl = ctx.ttl;
  const answers: Answer[] = [];
  const additionals: Answer[] = [];
  const any = type === 'ANY';
  if (r.cname !== undefined && r.cname !== '') {
    // A CNAME owns its name: it is the answer for every type.
    answers.push({ name: owner, type: 'CNAME', ttl, class: 'IN', data: r.cname });
    return { kind: 'answer', rcode: 'NOERROR', answers, authorities: [], additionals };
  }
  if (type === 'A' || any) for (const ip of r.addresses ?? []) if (ipFamily(ip) === 'ipv4') answers.push({ name: owner, type: 'A', ttl, class: 'IN', data: ip });
  if (type === 'AAAA' || any) for (const ip of r.addresses ?? []) if (ipFamily(ip) === 'ipv6') answers.push({ name: owner, type: 'AAAA', ttl, class: 'IN', data: ip });
  if ((type === 'SRV' || any) && r.srv?.length) {
    // RFC 2782 weights are for a choice among equal priorities; spread 100 evenly.
    const weight = Math.max(1, Math.floor(100 / r.srv.length));
    const glue = new Set<string>();
    for (const s of r.srv) {
      const data: SrvData = { priority: 0, weight, port: s.port, target: s.target };
      answers.push({ name: owner, type: 'SRV', ttl, class: 'IN', data });
      for (const ip of s.targetAddresses) {
        const k = `${s.target} ${ip}`;
        if (glue.has(k)) continue;
        glue.add(k);
        additionals.push({ name: s.target, type: ipFamily(ip) === 'ipv6' ? 'AAAA' : 'A', ttl, class: 'IN', data: ip });
      }
    }
  }
  if (type === 'TXT' || any) for (const t of r.txt ?? []) answers.push({ name: owner, type: 'TXT', ttl, class: 'IN', data: [t] });
  if ((type === 'SOA' || any) && r.soa) answers.push({ ...soa(ctx, soaZone), name: owner });
  if (type === 'NS' || any) for (const ns of r.ns ?? []) answers.push({ name: owner, type: 'NS', ttl, class: 'IN', data: ns });
  if (type === 'PTR' || any) for (const p of r.ptr ?? []) answers.push({ name: owner, type: 'PTR', ttl, class: 'IN', data: p });
  return { kind: 'answer', rcode: 'NOERROR', answers, authorities: answers.length ? [] : [soa(ctx, soaZone)], additionals };
}

function soa(ctx: Ctx, zone: string): Answer {
  return {
    name: zone,
    type: 'SOA',
    ttl: ctx.ttl,
    class: 'IN',
    data: {
      mname: `ns.dns.${ctx.zone}`,
      rname: `hostmaster.${ctx.zone}`,
      serial: ctx.index.serial >>> 0,
      refresh: 7200,
      retry: 1800,
      expire: 86400,
      minimum: ctx.ttl,
    },
  };
}

function exhaustive(x: never): never {
  throw new Error(`Cannot resolve: unexpected case ${JSON.stringify(x)}`);
}

/** The PTR query name of an IP (convenience for callers and tests). */
export { reverseName };
