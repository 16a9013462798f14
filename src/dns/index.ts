// dns/: cluster DNS (the CoreDNS kubernetes plugin's role). See README.md for what is served and
// guaranteed. The only public entry of the folder.
import { readFile } from 'node:fs/promises';
import type { Client } from '../client/index.js';
import { watchCluster, type ClusterIndex } from './cluster_index.js';
import { createForwarder, upstreamsFromResolvConf, type Upstream } from './forward.js';
import { startServer, type ListenAddress } from './server.js';
import { KUBE_DNS_NAME, KUBE_DNS_NAMESPACE } from './kube_dns.js';

export { type ClusterIndex, RecordIndex, watchCluster, type ClusterWatch, type EndpointOwner, type WatchClusterOptions } from './cluster_index.js';
export { createForwarder, upstreamsFromResolvConf, type Forwarder, type ForwarderOptions, type LookupResult, type Upstream } from './forward.js';
export { ensureKubeDns, kubeDnsObjects, KUBE_DNS_MANAGED_BY, KUBE_DNS_NAME, KUBE_DNS_NAMESPACE, type KubeDnsObjects, type KubeDnsOptions } from './kube_dns.js';
export {
  toEndpointSliceRecord,
  toServiceRecord,
  SERVICE_NAME_LABEL,
  type EndpointRecord,
  type EndpointSliceRecord,
  type PortProtocol,
  type PortRecord,
  type ServiceRecord,
} from './records.js';
export { DNS_SCHEMA_VERSION, parseClusterName, resolve, reverseName, type ClusterName, type Question, type Resolution, type ResolveOptions } from './resolve.js';
export {
  formatResolvConf,
  parseResolvConf,
  podDnsConfig,
  podHostnameAndDomain,
  podHostsFile,
  podResolvConf,
  MAX_DNS_NAMESERVERS,
  MAX_DNS_SEARCH_LIST_CHARS,
  MAX_DNS_SEARCH_PATHS,
  type PodDnsConfig,
  type PodHostsFileOptions,
  type PodResolvConfOptions,
  type ResolvConf,
} from './resolvconf.js';
export { ADVERTISED_UDP_PAYLOAD, answerQuery, encodeWithin, startServer, type DnsServer, type ListenAddress, type QueryContext, type ServerOptions, type Transport } from './server.js';

export const DEFAULT_CLUSTER_DOMAIN = 'cluster.local';
export const DEFAULT_TTL_SECONDS = 5;

export interface StartDnsOptions {
  client: Client;
  /** Addresses to serve on, UDP and TCP each (e.g. 127.96.0.10:53). Port 0 picks a free port. */
  listen: ListenAddress[];
  /** The zone served; default "cluster.local". */
  clusterDomain?: string;
  /** TTL of every record, seconds; default 5 (CoreDNS's default). */
  ttl?: number;
  /** Where other names go. Default: the nameservers of `resolvConfPath`, minus this server's own addresses. */
  upstreams?: Upstream[];
  /** Default /etc/resolv.conf; read once at start when `upstreams` is not given. */
  resolvConfPath?: string;
  /** Give up on upstreams after this long and answer SERVFAIL; default 2000 ms. */
  forwardTimeoutMs?: number;
  /** `<dashed-ip>.<ns>.pod.<zone>` records; default "insecure" (kubeadm's CoreDNS setting). */
  podRecords?: 'insecure' | 'disabled';
  log?: (line: Record<string, unknown>) => void;
}

export interface RunningDns {
  /** Resolves once Services and EndpointSlices are listed; until then cluster names get SERVFAIL. */
  ready: Promise<void>;
  /** The addresses bound (useful with port 0). */
  addresses: ListenAddress[];
  /** The live index the server answers from (read-only use). */
  index: ClusterIndex;
  stop(): Promise<void>;
}

/**
 * Starts cluster DNS: informers on Services and EndpointSlices feeding an index, and UDP+TCP
 * listeners answering from it. Resolves once the sockets are bound (rejects if one cannot be);
 * `ready` tells when answers reflect the cluster.
 */
export async function startDns(o: StartDnsOptions): Promise<RunningDns> {
  const zone = o.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN;
  const ttl = o.ttl ?? DEFAULT_TTL_SECONDS;
  let upstreams = o.upstreams;
  if (!upstreams) {
    const path = o.resolvConfPath ?? '/etc/resolv.conf';
    const self = o.listen.filter((l) => l.port === 53).map((l) => l.host);
    try {
      upstreams = upstreamsFromResolvConf(await readFile(path, 'utf8'), self);
    } catch (e) {
      o.log?.({ level: 'warn', msg: 'dns has no upstream resolvers', path, error: e instanceof Error ? e.message : String(e) });
      upstreams = [];
    }
  }
  const watch = watchCluster(o.client, o.log ? { log: o.log } : {});
  const { index } = watch;
  // An upstream that is the kube-dns ClusterIP (a host whose resolv.conf already points into the
  // cluster) would forward to ourselves: pass over it.
  const skip = (u: Upstream) => {
    const svc = index.service(KUBE_DNS_NAMESPACE, KUBE_DNS_NAME);
    return u.port === 53 && svc?.kind === 'ClusterIP' && svc.clusterIPs.includes(u.host);
  };
  const forwarder = createForwarder({ upstreams, skip, ...(o.forwardTimeoutMs ? { timeoutMs: o.forwardTimeoutMs } : {}), ...(o.log ? { log: o.log } : {}) });
  let server;
  try {
    server = await startServer({
      index,
      listen: o.listen,
      zone,
      ttl,
      forwarder,
      ...(o.podRecords ? { podRecords: o.podRecords } : {}),
      ...(o.log ? { log: o.log } : {}),
    });
  } catch (e) {
    watch.stop();
    throw e;
  }
  o.log?.({ level: 'info', msg: 'dns upstreams', upstreams: upstreams.map((u) => `${u.host}:${u.port}`) });
  let stopped = false;
  return {
    ready: watch.ready,
    addresses: server.addresses,
    index,
    async stop() {
      if (stopped) return;
      stopped = true;
      watch.stop();
      await server.close();
    },
  };
}
