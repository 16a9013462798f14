// cluster/: assembles one kubeloop cluster in this process — API server, and (as their issues
// land) controllers, node agents, proxy and DNS — on one data dir.
import { join } from 'node:path';
import { startApiServer, type RunningApiServer } from '../apiserver/index.js';
import { writeKubeconfig } from '../cli/kubeconfig.js';
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
  podCIDR?: string;
  lbCIDR?: string;
  nodes?: number;
  /** How often store history is compacted (ms). */
  compactIntervalMs?: number;
  log?: (line: Record<string, unknown>) => void;
}

export interface RunningCluster {
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
    const dns = await startDns({ client, listen: [{ host: dnsAddress, port: 53 }], ...(o.clusterDomain ? { clusterDomain: o.clusterDomain } : {}), log });
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
  let stopped = false;
  return {
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
