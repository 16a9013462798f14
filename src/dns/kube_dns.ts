// The kube-system/kube-dns Service that pods' resolv.conf points at, and the endpoints that lead
// to this DNS server. The Service has no selector (the server is not a pod), so its EndpointSlice
// and Endpoints are written here and labelled so the endpoint controllers leave them alone.
import { isConflict, isNotFound, type Endpoints, type EndpointSlice, type Service } from '../api/index.js';
import type { Client } from '../client/index.js';
import { SERVICE_NAME_LABEL } from './records.js';

export const KUBE_DNS_NAMESPACE = 'kube-system';
export const KUBE_DNS_NAME = 'kube-dns';
/** The managed-by value of the kube-dns EndpointSlice; the EndpointSlice controller owns only its own. */
export const KUBE_DNS_MANAGED_BY = 'dns.kubeloop.dev';

export interface KubeDnsOptions {
  /** The Service's ClusterIP, by convention .10 of the service range (127.96.0.10 in loopback mode). */
  clusterIP: string;
  /** Where this DNS server listens; each address serves UDP and TCP on `port`. */
  endpoints: readonly { ip: string; port: number }[];
}

export interface KubeDnsObjects {
  service: Service;
  endpointSlice: EndpointSlice;
  endpoints: Endpoints;
}

const LABELS = { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'kubeloop-dns' };

export function kubeDnsObjects(o: KubeDnsOptions): KubeDnsObjects {
  const port = o.endpoints[0]?.port ?? 53;
  const metadata = { name: KUBE_DNS_NAME, namespace: KUBE_DNS_NAMESPACE, labels: { ...LABELS } };
  return {
    service: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata,
      spec: {
        type: 'ClusterIP',
        clusterIP: o.clusterIP,
        clusterIPs: [o.clusterIP],
        ports: [
          { name: 'dns', protocol: 'UDP', port: 53, targetPort: port },
          { name: 'dns-tcp', protocol: 'TCP', port: 53, targetPort: port },
        ],
      },
    },
    endpointSlice: {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: KUBE_DNS_NAME,
        namespace: KUBE_DNS_NAMESPACE,
        labels: { ...LABELS, [SERVICE_NAME_LABEL]: KUBE_DNS_NAME, 'endpointslice.kubernetes.io/managed-by': KUBE_DNS_MANAGED_BY },
      },
      addressType: 'IPv4',
      endpoints: o.endpoints.map((e) => ({ addresses: [e.ip], conditions: { ready: true, serving: true, terminating: false } })),
      ports: [
        { name: 'dns', protocol: 'UDP', port },
        { name: 'dns-tcp', protocol: 'TCP', port },
      ],
    },
    endpoints: {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata,
      subsets: [
        {
          addresses: o.endpoints.map((e) => ({ ip: e.ip })),
          ports: [
            { name: 'dns', protocol: 'UDP', port },
            { name: 'dns-tcp', protocol: 'TCP', port },
          ],
        },
      ],
    },
  };
}

async function createOrUpdate<T extends Service | EndpointSlice | Endpoints>(
  rc: { get(name: string): Promise<T & { metadata: { resourceVersion: string } }>; create(o: T): Promise<unknown>; update(o: T): Promise<unknown> },
  want: T,
  merge: (current: T, want: T) => T,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      const current = await rc.get(KUBE_DNS_NAME);
      await rc.update(merge(current, want));
      return;
    } catch (e) {
      if (isNotFound(e)) {
        await rc.create(want);
        return;
      }
      if (isConflict(e) && attempt < 3) continue;
      throw e;
    }
  }
}

/**
 * Creates or updates kube-system/kube-dns with its EndpointSlice and Endpoints. An existing
 * Service keeps its ClusterIP (which cannot change); only ports and labels are brought in line.
 */
export async function ensureKubeDns(client: Client, o: KubeDnsOptions): Promise<KubeDnsObjects> {
  const want = kubeDnsObjects(o);
  await createOrUpdate<Service>(client.services(KUBE_DNS_NAMESPACE), want.service, (cur, w) => ({
    ...cur,
    metadata: { ...cur.metadata, labels: { ...cur.metadata.labels, ...w.metadata.labels } },
    spec: { ...cur.spec, ports: w.spec.ports ?? [] },
  }));
  await createOrUpdate<EndpointSlice>(client.endpointSlices(KUBE_DNS_NAMESPACE), want.endpointSlice, (cur, w) => ({
    ...cur,
    metadata: { ...cur.metadata, labels: { ...cur.metadata.labels, ...w.metadata.labels } },
    endpoints: w.endpoints,
    ports: w.ports ?? null,
  }));
  await createOrUpdate<Endpoints>(client.endpoints(KUBE_DNS_NAMESPACE), want.endpoints, (cur, w) => ({
    ...cur,
    metadata: { ...cur.metadata, labels: { ...cur.metadata.labels, ...w.metadata.labels } },
    subsets: w.subsets ?? [],
  }));
  return want;
}
