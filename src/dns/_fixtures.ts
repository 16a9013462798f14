// Private to dns/ tests: compact builders for the API objects DNS reads, and one small cluster
// that most tests answer from. Objects are real API shapes, so fixtures go through the same
// boundary conversion (records.ts) as informer events do.
import type { Endpoint, EndpointSlice, Service, ServicePort } from '../api/index.js';
import { RecordIndex } from './cluster_index.js';
import { SERVICE_NAME_LABEL, toEndpointSliceRecord, toServiceRecord } from './records.js';

/** "http:80/TCP", "8080" (unnamed TCP), "dns:53/UDP". */
function port(spec: string): ServicePort {
  const m = /^(?:([a-z0-9-]+):)?(\d+)(?:\/(TCP|UDP|SCTP))?$/.exec(spec);
  if (!m) throw new Error(`Cannot parse port spec ${spec}`);
  return { ...(m[1] ? { name: m[1] } : {}), port: Number(m[2]), protocol: (m[3] as ServicePort['protocol']) ?? 'TCP' };
}

export function service(
  key: string,
  spec: { clusterIP?: string; clusterIPs?: string[]; ports?: string[]; externalName?: string; publishNotReadyAddresses?: boolean },
): Service {
  const [namespace, name] = key.split('/') as [string, string];
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: {
      ...(spec.externalName !== undefined ? { type: 'ExternalName', externalName: spec.externalName } : { type: 'ClusterIP' }),
      ...(spec.clusterIP !== undefined ? { clusterIP: spec.clusterIP } : {}),
      ...(spec.clusterIPs ? { clusterIPs: spec.clusterIPs } : {}),
      ...(spec.ports ? { ports: spec.ports.map(port) } : {}),
      ...(spec.publishNotReadyAddresses ? { publishNotReadyAddresses: true } : {}),
    },
  };
}

/** Endpoint spec: "127.244.0.5", "127.244.0.5 hostname=pet-0", "127.244.0.6 notready". */
function endpoint(spec: string): Endpoint {
  const [ip, ...flags] = spec.split(/\s+/) as [string, ...string[]];
  const hostname = flags.find((f) => f.startsWith('hostname='))?.slice('hostname='.length);
  return { addresses: [ip], conditions: { ready: !flags.includes('notready') }, ...(hostname ? { hostname } : {}) };
}

export function slice(key: string, spec: { service: string; endpoints: string[]; ports?: string[]; addressType?: EndpointSlice['addressType'] }): EndpointSlice {
  const [namespace, name] = key.split('/') as [string, string];
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace, labels: { [SERVICE_NAME_LABEL]: spec.service } },
    addressType: spec.addressType ?? 'IPv4',
    endpoints: spec.endpoints.map(endpoint),
    ports: (spec.ports ?? []).map((p) => {
      const sp = port(p);
      return { name: sp.name ?? '', port: sp.port, protocol: sp.protocol ?? 'TCP' };
    }),
  };
}

export function indexOf(objects: (Service | EndpointSlice)[], opts: { synced?: boolean; now?: () => number } = {}): RecordIndex {
  const index = new RecordIndex(opts.now ?? (() => Date.UTC(2026, 0, 1)));
  for (const o of objects) {
    if (o.kind === 'Service') index.upsertService(toServiceRecord(o));
    else {
      const rec = toEndpointSliceRecord(o);
      if (rec) index.upsertSlice(rec);
    }
  }
  if (opts.synced !== false) index.markSynced();
  return index;
}

/** SOA serial of indexOf's default clock: 2026-01-01T00:00:00Z. */
export const FIXTURE_SERIAL = Date.UTC(2026, 0, 1) / 1000;

/** The cluster most tests answer from. */
export function fixtureCluster(): (Service | EndpointSlice)[] {
  return [
    service('kube-system/kube-dns', { clusterIP: '127.96.0.10', ports: ['dns:53/UDP', 'dns-tcp:53/TCP'] }),
    service('default/web', { clusterIP: '127.96.0.20', ports: ['http:80/TCP', '8080/TCP'] }),
    slice('default/web-abc', { service: 'web', endpoints: ['127.244.0.5', '127.244.1.6'], ports: ['http:8080/TCP', '8080/TCP'] }),
    service('default/db', { clusterIP: 'None', ports: ['pg:5432/TCP'] }),
    slice('default/db-xyz', {
      service: 'db',
      endpoints: ['127.244.0.7 hostname=db-0', '127.244.1.8 hostname=db-1', '127.244.0.9', '127.244.1.10 notready hostname=db-3'],
      ports: ['pg:5432/TCP'],
    }),
    service('default/empty-headless', { clusterIP: 'None', ports: ['http:80/TCP'] }),
    service('default/ext', { externalName: 'foo.example.com' }),
    service('default/alias', { externalName: 'web.default.svc.cluster.local' }),
    service('default/loop-a', { externalName: 'loop-b.default.svc.cluster.local' }),
    service('default/loop-b', { externalName: 'loop-a.default.svc.cluster.local' }),
    service('prod/dual', { clusterIPs: ['127.96.0.30', 'fd00:96::30'], ports: ['http:80/TCP'] }),
    service('prod/warm', { clusterIP: 'None', ports: ['http:80/TCP'], publishNotReadyAddresses: true }),
    slice('prod/warm-1', { service: 'warm', endpoints: ['127.244.2.3 notready hostname=warm-0'], ports: ['http:8080/TCP'] }),
  ];
}
