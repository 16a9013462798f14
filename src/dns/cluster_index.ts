// What the resolver may ask about the cluster (ClusterIndex), one in-memory implementation of it
// (RecordIndex), and the informer feed that keeps a RecordIndex current (watchCluster).
//
// Contract of every ClusterIndex:
// - Names and namespaces are looked up lower-cased; IPs in canonical form (see _names.ts).
// - `synced` stays false until the first complete list of Services and EndpointSlices is in; the
//   resolver answers SERVFAIL for cluster names until then rather than a wrong NXDOMAIN.
// - Reads are consistent with the last event applied; there is no partial state between events.
import type { EndpointSlice, Service } from '../api/index.js';
import { Informer, type Client } from '../client/index.js';
import { toEndpointSliceRecord, toServiceRecord, type EndpointRecord, type EndpointSliceRecord, type ServiceRecord } from './records.js';

export interface EndpointOwner {
  namespace: string;
  service: string;
  endpoint: EndpointRecord;
}

export interface ClusterIndex {
  readonly synced: boolean;
  /** Unix seconds of the last change: the SOA serial. */
  readonly serial: number;
  service(namespace: string, name: string): ServiceRecord | undefined;
  /** Whether any Service lives in the namespace (so `<ns>.svc.<zone>` exists as a name). */
  hasNamespace(namespace: string): boolean;
  /** The Service's endpoints across all its slices, one per IP (ready ones win over unready). */
  endpoints(namespace: string, service: string): readonly EndpointRecord[];
  servicesByClusterIp(ip: string): readonly ServiceRecord[];
  endpointsByIp(ip: string): readonly EndpointOwner[];
}

const key = (namespace: string, name: string) => `${namespace}/${name}`;

function addTo<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  s.add(v);
}

function removeFrom<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  const s = m.get(k);
  if (!s) return;
  s.delete(v);
  if (s.size === 0) m.delete(k);
}

/** A ClusterIndex over plain maps, changed by upsert/delete calls (from informers, or tests). */
export class RecordIndex implements ClusterIndex {
  private readonly serviceByName = new Map<string, ServiceRecord>();
  private readonly servicesInNamespace = new Map<string, number>();
  private readonly serviceKeysByClusterIp = new Map<string, Set<string>>();
  private readonly sliceByName = new Map<string, EndpointSliceRecord>();
  private readonly sliceKeysByService = new Map<string, Set<string>>();
  private readonly sliceKeysByEndpointIp = new Map<string, Set<string>>();
  /** Merged endpoints per Service, built on first read after a change to its slices. */
  private readonly mergedEndpoints = new Map<string, readonly EndpointRecord[]>();
  private isSynced = false;
  private lastChange: number;

  constructor(private readonly now: () => number = Date.now) {
    this.lastChange = Math.floor(now() / 1000);
  }

  get synced(): boolean {
    return this.isSynced;
  }

  get serial(): number {
    return this.lastChange;
  }

  markSynced(): void {
    this.isSynced = true;
  }

  upsertService(rec: ServiceRecord): void {
    this.deleteService(rec.namespace, rec.name);
    const k = key(rec.namespace, rec.name);
    this.serviceByName.set(k, rec);
    this.servicesInNamespace.set(rec.namespace, (this.servicesInNamespace.get(rec.namespace) ?? 0) + 1);
    if (rec.kind === 'ClusterIP') for (const ip of rec.clusterIPs) addTo(this.serviceKeysByClusterIp, ip, k);
    this.touch();
  }

  deleteService(namespace: string, name: string): void {
    const k = key(namespace, name);
    const old = this.serviceByName.get(k);
    if (!old) return;
    this.serviceByName.delete(k);
    const n = (this.servicesInNamespace.get(namespace) ?? 1) - 1;
    if (n > 0) this.servicesInNamespace.set(namespace, n);
    else this.servicesInNamespace.delete(namespace);
    if (old.kind === 'ClusterIP') for (const ip of old.clusterIPs) removeFrom(this.serviceKeysByClusterIp, ip, k);
    this.touch();
  }

  upsertSlice(rec: EndpointSliceRecord): void {
    this.deleteSlice(rec.namespace, rec.name);
    const k = key(rec.namespace, rec.name);
    this.sliceByName.set(k, rec);
    const svc = key(rec.namespace, rec.service);
    addTo(this.sliceKeysByService, svc, k);
    for (const ep of rec.endpoints) addTo(this.sliceKeysByEndpointIp, ep.ip, k);
    this.mergedEndpoints.delete(svc);
    this.touch();
  }

  deleteSlice(namespace: string, name: string): void {
    const k = key(namespace, name);
    const old = this.sliceByName.get(k);
    if (!old) return;
    this.sliceByName.delete(k);
    const svc = key(old.namespace, old.service);
    removeFrom(this.sliceKeysByService, svc, k);
    for (const ep of old.endpoints) removeFrom(this.sliceKeysByEndpointIp, ep.ip, k);
    this.mergedEndpoints.delete(svc);
    this.touch();
  }

  service(namespace: string, name: string): ServiceRecord | undefined {
    return this.serviceByName.get(key(namespace, name));
  }

  hasNamespace(namespace: string): boolean {
    return this.servicesInNamespace.has(namespace);
  }

  endpoints(namespace: string, service: string): readonly EndpointRecord[] {
    const svc = key(namespace, service);
    const cached = this.mergedEndpoints.get(svc);
    if (cached) return cached;
    // During a controller's slice rewrite one IP can sit in two slices; keep one record per IP,
    // preferring a ready one, then one that carries a hostname.
    const byIp = new Map<string, EndpointRecord>();
    const sliceKeys = [...(this.sliceKeysByService.get(svc) ?? [])].sort();
    for (const sk of sliceKeys) {
      for (const ep of this.sliceByName.get(sk)?.endpoints ?? []) {
        const seen = byIp.get(ep.ip);
        if (!seen || (!seen.ready && ep.ready) || (seen.ready === ep.ready && !seen.hostname && ep.hostname)) byIp.set(ep.ip, ep);
      }
    }
    const merged = [...byIp.values()];
    this.mergedEndpoints.set(svc, merged);
    return merged;
  }

  servicesByClusterIp(ip: string): readonly ServiceRecord[] {
    const keys = this.serviceKeysByClusterIp.get(ip);
    if (!keys) return [];
    return [...keys].sort().flatMap((k) => {
      const s = this.serviceByName.get(k);
      return s ? [s] : [];
    });
  }

  endpointsByIp(ip: string): readonly EndpointOwner[] {
    const keys = this.sliceKeysByEndpointIp.get(ip);
    if (!keys) return [];
    const out: EndpointOwner[] = [];
    for (const k of [...keys].sort()) {
      const slice = this.sliceByName.get(k);
      if (!slice) continue;
      for (const endpoint of slice.endpoints) if (endpoint.ip === ip) out.push({ namespace: slice.namespace, service: slice.service, endpoint });
    }
    return out;
  }

  private touch(): void {
    this.lastChange = Math.max(this.lastChange, Math.floor(this.now() / 1000));
  }
}

export interface WatchClusterOptions {
  log?: (line: Record<string, unknown>) => void;
}

export interface ClusterWatch {
  index: ClusterIndex;
  /** Resolves once Services and EndpointSlices have both been listed (or the watch was stopped). */
  ready: Promise<void>;
  stop(): void;
}

/**
 * Keeps a RecordIndex current from Service and EndpointSlice informers on `client`. Objects are
 * shrunk to records as they arrive; the informers' own caches are the only full copies.
 */
export function watchCluster(client: Client, opts: WatchClusterOptions = {}): ClusterWatch {
  const index = new RecordIndex();
  const informerOpts = opts.log ? { log: opts.log } : {};
  const services = new Informer<Service>(client.services(), informerOpts);
  const slices = new Informer<EndpointSlice>(client.endpointSlices(), informerOpts);

  services.addHandler({
    onAdd: (s) => index.upsertService(toServiceRecord(s)),
    onUpdate: (_old, s) => index.upsertService(toServiceRecord(s)),
    onDelete: (s) => index.deleteService((s.metadata.namespace ?? '').toLowerCase(), s.metadata.name.toLowerCase()),
  });
  const applySlice = (s: EndpointSlice & { metadata: { name: string } }) => {
    const rec = toEndpointSliceRecord(s);
    // A slice that lost its service-name label must stop contributing.
    if (rec) index.upsertSlice(rec);
    else index.deleteSlice((s.metadata.namespace ?? '').toLowerCase(), s.metadata.name);
  };
  slices.addHandler({
    onAdd: applySlice,
    onUpdate: (_old, s) => applySlice(s),
    onDelete: (s) => index.deleteSlice((s.metadata.namespace ?? '').toLowerCase(), s.metadata.name),
  });

  const ready = Promise.all([services.start(), slices.start()]).then(() => {
    if (services.hasSynced && slices.hasSynced) {
      index.markSynced();
      opts.log?.({ level: 'info', msg: 'dns index synced', services: services.keys().length, endpointSlices: slices.keys().length });
    }
  });
  return {
    index,
    ready,
    stop() {
      services.stop();
      slices.stop();
    },
  };
}
