// cluster/: assembles one kubeloop cluster in this process — API server, and (as their issues
// land) controllers, node agents, proxy and DNS — on one data dir.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startApiServer, type RunningApiServer } from '../apiserver/index.js';
import { writeKubeconfig } from './kubeconfig.js';
import { Client, InProcessTransport } from '../client/index.js';
import { ensureKubeDns, startDns } from '../dns/index.js';
import { startLoadBalancerController, startProxy, type RunningProxy } from '../proxy/index.js';
import { parseCIDR } from '../api/service/index.js';
import { startControllers } from '../controllers/index.js';
import { routePodStreams, startNodeAgent, type NodeAgent } from '../node/agent/index.js';
import { createPodStreamsHandler } from '../apiserver/streams/index.js';

export const DEFAULT_POD_CIDR = '127.244.0.0/16';
export const DEFAULT_LB_CIDR = '127.250.0.0/24';

export interface NodePlan {
  name: string;
  /** The node's InternalIP: the first address of its pod CIDR (like a CNI bridge gateway). */
  ip: string;
  podCIDR: string;
}

/** Node i gets the i-th /24 of the pod CIDR (a /16), and the .1 of it as its address. */
export function planNodes(podCIDR: string, count: number): NodePlan[] {
  const c = parseCIDR(podCIDR);
  if (!c || c.network.family !== 'IPv4' || c.prefix > 16) throw new Error(`Cannot use pod CIDR ${podCIDR}: expected an IPv4 /16 (or wider)`);
  if (count < 1 || count > 255) throw new Error(`Cannot run ${count} nodes: between 1 and 255`);
  const [a, b] = c.network.bytes;
  return Array.from({ length: count }, (_, i) => ({ name: `node${i}`, ip: `${a}.${b}.${i}.1`, podCIDR: `${a}.${b}.${i}.0/24` }));
}

export interface ClusterOptions {
  dataDir: string;
  host?: string;
  /** API server port; 0 picks a free one. */
  port?: number;
  serviceCIDR?: string;
  nodePortRange?: string;
  clusterDomain?: string;
  /** Resolvers for names outside the cluster zone (default: the host's /etc/resolv.conf). */
  dnsUpstreams?: { host: string; port: number }[];
  podCIDR?: string;
  lbCIDR?: string;
  nodes?: number;
  /** How often store history is compacted (ms). */
  compactIntervalMs?: number;
  log?: (line: Record<string, unknown>) => void;
}

/** What `kubeloop status` prints, written to `<dataDir>/status.json` while the cluster runs. */
export interface ClusterStatus {
  pid: number;
  url: string;
  startedAt: string;
  updatedAt: string;
  nodes: { name: string; ip: string; podCIDR: string; isolation: string }[];
  warnings: string[];
  /** Service addresses the proxy should serve and cannot, with the reason and how to fix it. */
  unserved: { service: string; address: string; reason: string; fix: string }[];
}

export interface RunningCluster {
  /** A snapshot of the cluster's health for `kubeloop status`. */
  status(): ClusterStatus;
  apiServer: RunningApiServer;
  nodes: NodePlan[];
  agents: NodeAgent[];
  proxy?: RunningProxy;
  /** An in-process client on this cluster's API. */
  client: Client;
  /** Problems that keep a part from working fully (e.g. ports that need root), for `status`. */
  warnings: string[];
  url: string;
  kubeconfigPath: string;
  stop(): Promise<void>;
}

export async function startCluster(o: ClusterOptions): Promise<RunningCluster> {
  const nodes = planNodes(o.podCIDR ?? DEFAULT_POD_CIDR, o.nodes ?? 1);
  let proxyRef: RunningProxy | undefined;
  // Node agents start last; the API server routes logs/exec/attach/port-forward to them by node.
  const agents: NodeAgent[] = [];
  const routed = routePodStreams(agents);
  const apiServer = await startApiServer({
    podStreams: { logs: routed.logs, upgrade: createPodStreamsHandler(routed.streams, o.log ? { log: o.log } : {}) },
    extraRoutes: [
      {
        path: '/metrics',
        handle: async (_req, res) => {
          const text = proxyRef ? await proxyRef.metricsText() : '';
          res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
          res.end(text);
        },
      },
    ],
    dataDir: o.dataDir,
    host: o.host ?? '127.0.0.1',
    port: o.port ?? 6443,
    ...(o.compactIntervalMs ? { compactIntervalMs: o.compactIntervalMs } : {}),
    ...(o.serviceCIDR ? { serviceCIDR: o.serviceCIDR } : {}),
    ...(o.nodePortRange ? { nodePortRange: o.nodePortRange } : {}),
    ...(o.log ? { log: o.log } : {}),
  });
  const client = new Client(new InProcessTransport(apiServer.registry));
  const warnings: string[] = [];
  const stops: (() => Promise<void>)[] = [];
  const log = o.log ?? (() => {});

  // The reconcile loops: scheduler, deployment, replicaset, GC, namespace, endpoints, endpointslice.
  const controllers = await startControllers({ client, log });
  stops.push(() => controllers.stop());

  // LoadBalancer IPs, then the proxy serving ClusterIPs, externalIPs, LB IPs and NodePorts.
  const lb = await startLoadBalancerController({ client, cidr: o.lbCIDR ?? DEFAULT_LB_CIDR, log });
  stops.push(() => lb.stop());
  const proxy = await startProxy({
    client,
    log,
    nodes: nodes.map((n, i) => ({ name: n.name, ips: i === 0 ? ['127.0.0.1', n.ip] : [n.ip], podCIDR: n.podCIDR })),
  });
  proxyRef = proxy;
  stops.push(() => proxy.stop());

  // Cluster DNS listens on node0's address; the kube-dns Service (ClusterIP .10) forwards to it.
  const kubeDnsIP = apiServer.serviceAllocators.clusterIPs.addressAt(10);
  const dnsAddress = nodes[0]!.ip;
  try {
    const dns = await startDns({
      client,
      listen: [{ host: dnsAddress, port: 53 }],
      ...(o.clusterDomain ? { clusterDomain: o.clusterDomain } : {}),
      ...(o.dnsUpstreams ? { upstreams: o.dnsUpstreams } : {}),
      log,
    });
    stops.push(() => dns.stop());
    await ensureKubeDns(client, { clusterIP: kubeDnsIP, endpoints: [{ ip: dnsAddress, port: 53 }] });
  } catch (e) {
    const msg = `cluster DNS is not served: ${e instanceof Error ? e.message : String(e)} (port 53 needs root or CAP_NET_BIND_SERVICE)`;
    warnings.push(msg);
    log({ level: 'warn', msg });
  }

  // The nodes: each agent registers its Node and runs the pods bound to it as processes.
  for (const n of nodes) {
    const agent = await startNodeAgent({
      client,
      nodeName: n.name,
      nodeIP: n.ip,
      podCIDR: n.podCIDR,
      dataDir: o.dataDir,
      clusterDNS: kubeDnsIP,
      ...(o.clusterDomain ? { clusterDomain: o.clusterDomain } : {}),
      log,
    });
    agents.push(agent);
    stops.push(() => agent.stop());
  }

  const kubeconfigPath = join(o.dataDir, 'kubeconfig');
  writeKubeconfig(kubeconfigPath, { name: 'kubeloop', server: apiServer.url, caCert: apiServer.credentials.caCert, token: apiServer.credentials.token });
  const startedAt = new Date().toISOString();
  const status = (): ClusterStatus => ({
    pid: process.pid,
    url: apiServer.url,
    startedAt,
    updatedAt: new Date().toISOString(),
    nodes: agents.map((a) => ({ name: a.nodeName, ip: a.nodeIP, podCIDR: a.podCIDR, isolation: `${a.runtime.mode} (${a.runtime.reason})` })),
    warnings,
    unserved: proxy.query.unserved().map((u) => ({
      service: `${u.service.namespace}/${u.service.name}`,
      address: `${u.address}:${u.port}/${u.protocol}`,
      reason: `${u.code}: ${u.message}`,
      fix:
        u.code === 'EACCES'
          ? 'ports below 1024 need root: run kubeloop as root, or grant node CAP_NET_BIND_SERVICE (setcap cap_net_bind_service=+ep $(command -v node)), or lower net.ipv4.ip_unprivileged_port_start'
          : u.code === 'EADDRINUSE'
            ? 'another program (or another kubeloop) holds this address; stop it or use other ranges (--service-cidr, --pod-cidr, --lb-cidr)'
            : 'see the Warning event on the Service (kubectl describe svc)',
    })),
  });
  const statusPath = join(o.dataDir, 'status.json');
  const writeStatus = () => {
    try {
      writeFileSync(statusPath, JSON.stringify(status(), null, 2));
    } catch (e) {
      log({ level: 'warn', msg: 'status file not written', error: String(e) });
    }
  };
  writeStatus();
  const statusTimer = setInterval(writeStatus, 2000);
  statusTimer.unref();
  stops.unshift(async () => {
    clearInterval(statusTimer);
    rmSync(statusPath, { force: true });
  });

  let stopped = false;
  return {
    status,
    apiServer,
    nodes,
    agents,
    proxy,
    client,
    warnings,
    url: apiServer.url,
    kubeconfigPath,
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const stop of stops.reverse()) {
        try {
          await stop();
        } catch (e) {
          log({ level: 'error', msg: 'stopping a part failed', error: String(e) });
        }
      }
      await apiServer.close();
    },
  };
}
export { writeKubeconfig, mergeKubeconfig, kubeconfigFor, type KubeconfigEntry } from './kubeconfig.js';
