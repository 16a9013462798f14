// cluster/: assembles one kubeloop cluster in this process — API server, and (as their issues
// land) controllers, node agents, proxy and DNS — on one data dir.
import { join } from 'node:path';
import { startApiServer, type RunningApiServer } from '../apiserver/index.js';
import { writeKubeconfig } from '../cli/kubeconfig.js';

export interface ClusterOptions {
  dataDir: string;
  host?: string;
  /** API server port; 0 picks a free one. */
  port?: number;
  serviceCIDR?: string;
  nodePortRange?: string;
  /** How often store history is compacted (ms). */
  compactIntervalMs?: number;
  log?: (line: Record<string, unknown>) => void;
}

export interface RunningCluster {
  apiServer: RunningApiServer;
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
  const kubeconfigPath = join(o.dataDir, 'kubeconfig');
  writeKubeconfig(kubeconfigPath, { name: 'kubeloop', server: apiServer.url, caCert: apiServer.credentials.caCert, token: apiServer.credentials.token });
  let stopped = false;
  return {
    apiServer,
    url: apiServer.url,
    kubeconfigPath,
    async stop() {
      if (stopped) return;
      stopped = true;
      await apiServer.close();
    },
  };
}
