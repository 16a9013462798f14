// cluster/: assembles one kubeloop cluster in this process — API server, and (as their issues
// land) controllers, node agents, proxy and DNS — on one data dir.
import { join } from 'node:path';
import { startApiServer, type RunningApiServer } from '../apiserver/index.js';
import { writeKubeconfig } from '../cli/kubeconfig.js';
import { Client, InProcessTransport } from '../client/index.js';
import { ensureKubeDns, startDns } from '../dns/index.js';

/** Where cluster DNS listens in loopback mode: outside the Service, pod and LB ranges. */
export const DNS_ADDRESS = '127.242.0.10';

export interface ClusterOptions {
  dataDir: string;
  host?: string;
  /** API server port; 0 picks a free one. */
  port?: number;
  serviceCIDR?: string;
  nodePortRange?: string;
  clusterDomain?: string;
  /** How often store history is compacted (ms). */
  compactIntervalMs?: number;
  log?: (line: Record<string, unknown>) => void;
}

export interface RunningCluster {
  apiServer: RunningApiServer;
  /** An in-process client on this cluster's API. */
  client: Client;
  /** Problems that keep a part from working fully (e.g. ports that need root), for `status`. */
  warnings: string[];
  url: string;
  kubeconfigPath: string;
  stop(): Promise<void>;
}

export async function startCluster(o: ClusterOptions): Promise<RunningCluster> {
  const apiServer = await startApiServer({
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

  // Cluster DNS on its own address; the kube-dns Service (ClusterIP .10) forwards to it.
  const kubeDnsIP = apiServer.serviceAllocators.clusterIPs.addressAt(10);
  try {
    const dns = await startDns({ client, listen: [{ host: DNS_ADDRESS, port: 53 }], ...(o.clusterDomain ? { clusterDomain: o.clusterDomain } : {}), log });
    stops.push(() => dns.stop());
    await ensureKubeDns(client, { clusterIP: kubeDnsIP, endpoints: [{ ip: DNS_ADDRESS, port: 53 }] });
  } catch (e) {
    const msg = `cluster DNS is not served: ${e instanceof Error ? e.message : String(e)} (port 53 needs root or CAP_NET_BIND_SERVICE)`;
    warnings.push(msg);
    log({ level: 'warn', msg });
  }

  const kubeconfigPath = join(o.dataDir, 'kubeconfig');
  writeKubeconfig(kubeconfigPath, { name: 'kubeloop', server: apiServer.url, caCert: apiServer.credentials.caCert, token: apiServer.credentials.token });
  let stopped = false;
  return {
    apiServer,
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
