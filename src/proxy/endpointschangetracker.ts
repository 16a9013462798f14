// EndpointSlice changes, coalesced per Service until the next sync (upstream
// endpointschangetracker.go + endpointslicecache.go). The tracker caches every slice of every
// Service; a change records the Service's endpoints as they were at the first unsynced change,
// and `checkout` drops Services whose endpoints ended up unchanged.
import type { EndpointSlice, Stored } from '../api/index.js';
import { endpointKey, servicePortId, type EndpointInfo } from './types.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** Endpoints per service port id. */
export type ServiceEndpoints = Map<string, EndpointInfo[]>;

interface SliceRecord {
  ports: { name: string; protocol: 'TCP' | 'UDP' | 'SCTP'; port: number }[];
  endpoints: Omit<EndpointInfo, 'port'>[];
}

interface Pending {
  previous: ServiceEndpoints;
  /** When the first unsynced change was seen (clock ms), for change-to-programmed latency. */
  since: number;
}

export interface EndpointsChange {
  previous: ServiceEndpoints;
  current: ServiceEndpoints;
  since: number;
}

function sliceRecord(slice: Stored<EndpointSlice>): SliceRecord | undefined {
  if (slice.addressType !== 'IPv4') return undefined;
  const ports = (slice.ports ?? [])
    .filter((p): p is typeof p & { port: number } => typeof p.port === 'number')
    .map((p) => ({ name: p.name ?? '', protocol: p.protocol ?? 'TCP', port: p.port }));
  const endpoints: Omit<EndpointInfo, 'port'>[] = [];
  for (const e of slice.endpoints ?? []) {
    const ip = e.addresses[0];
    if (!ip) continue;
    const ready = e.conditions?.ready ?? true;
    endpoints.push({
      ip,
      nodeName: e.nodeName ?? '',
      ready,
      serving: e.conditions?.serving ?? ready,
      terminating: e.conditions?.terminating ?? false,
    });
  }
  return { ports, endpoints };
}

/** Merges a Service's slices into endpoints per service port; an endpoint listed twice counts once, ready preferred. */
function mergeSlices(namespace: string, service: string, slices: Iterable<SliceRecord>): ServiceEndpoints {
  const byPort = new Map<string, Map<string, EndpointInfo>>();
  for (const s of slices) {
    for (const p of s.ports) {
      const id = servicePortId(namespace, service, p.name, p.protocol);
      let m = byPort.get(id);
      if (!m) byPort.set(id, (m = new Map()));
      for (const e of s.endpoints) {
        const info: EndpointInfo = { ...e, port: p.port };
        const k = endpointKey(info);
        const prev = m.get(k);
        if (!prev || (!prev.ready && info.ready)) m.set(k, info);
      }
    }
  }
  const out: ServiceEndpoints = new Map();
  for (const [id, m] of byPort) {
    out.set(id, [...m.values()].sort((a, b) => (endpointKey(a) < endpointKey(b) ? -1 : 1)));
  }
  return out;
}

function sameEndpoints(a: ServiceEndpoints, b: ServiceEndpoints): boolean {
  if (a.size !== b.size) return false;
  for (const [id, l] of a) {
    const o = b.get(id);
    if (!o || JSON.stringify(o) !== JSON.stringify(l)) return false;
  }
  return true;
}

export class EndpointsChangeTracker {
  /** service key → slice name → record */
  private readonly cache = new Map<string, Map<string, SliceRecord>>();
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Records a slice add/update (`removed` false) or delete. Returns whether a sync is needed. */
  endpointSliceUpdate(slice: Stored<EndpointSlice>, removed: boolean): boolean {
    const service = slice.metadata.labels?.[SERVICE_NAME_LABEL];
    if (!service) return this.pending.size > 0;
    const namespace = slice.metadata.namespace ?? 'default';
    const key = `${namespace}/${service}`;
    if (!this.pending.has(key)) this.pending.set(key, { previous: this.endpointsOf(key), since: this.now() });
    let slices = this.cache.get(key);
    const rec = removed ? undefined : sliceRecord(slice);
    if (rec) {
      if (!slices) this.cache.set(key, (slices = new Map()));
      slices.set(slice.metadata.name, rec);
    } else if (slices) {
      slices.delete(slice.metadata.name);
      if (slices.size === 0) this.cache.delete(key);
    }
    return true;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** The Service's endpoints from the slices seen so far. */
  endpointsOf(serviceKey: string): ServiceEndpoints {
    const slices = this.cache.get(serviceKey);
    if (!slices) return new Map();
    const i = serviceKey.indexOf('/');
    return mergeSlices(serviceKey.slice(0, i), serviceKey.slice(i + 1), slices.values());
  }

  /** Hands over the Services whose endpoints really changed, and clears all pending changes. */
  checkout(): Map<string, EndpointsChange> {
    const out = new Map<string, EndpointsChange>();
    for (const [key, p] of this.pending) {
      const current = this.endpointsOf(key);
      if (!sameEndpoints(p.previous, current)) out.set(key, { previous: p.previous, current, since: p.since });
    }
    this.pending.clear();
    return out;
  }
}

/** The endpoints currently known, by service port id. */
export class EndpointsMap {
  private readonly byPort = new Map<string, EndpointInfo[]>();

  /** Applies pending changes; returns the changes applied (by service key). */
  apply(tracker: EndpointsChangeTracker): Map<string, EndpointsChange> {
    const changes = tracker.checkout();
    for (const c of changes.values()) {
      for (const id of c.previous.keys()) this.byPort.delete(id);
      for (const [id, l] of c.current) this.byPort.set(id, l);
    }
    return changes;
  }

  get(servicePortId: string): readonly EndpointInfo[] {
    return this.byPort.get(servicePortId) ?? [];
  }
}
