// proxy/: kubeloop's kube-proxy. The only public entry of the folder (STYLE.md 1); see README.md.
import http from 'node:http';
import type promClient from 'prom-client';
import type { EndpointSlice, Service } from '../api/index.js';
import { EventRecorder, Informer, realClock, type Client, type Clock } from '../client/index.js';
import { EndpointSliceConfig, ServiceConfig } from './config/index.js';
import type { AffinityEntry, DataPlaneFactory, DataPlaneSnapshot, ServicePortStats } from './dataplane/types.js';
import { userspaceDataPlane, type UserspaceOptions } from './dataplane/userspace/index.js';
import { createProxyMetrics } from './metrics.js';
import { NodeIndex } from './nodes.js';
import { Proxier, type UnservedAddress } from './proxier.js';
import { PROXY_LABEL_SELECTOR } from './servicechangetracker.js';
import type { NodeInfo } from './types.js';

export type { NodeInfo, ServicePortInfo, EndpointInfo, ServiceRef } from './types.js';
export type {
  AffinityEntry,
  DataPlane,
  DataPlaneFactory,
  DataPlaneOptions,
  DataPlaneSnapshot,
  DataPlaneWorker,
  DesiredState,
  EndpointStats,
  Frontend,
  FrontendKind,
  FrontendStatus,
  ServicePortState,
  ServicePortStats,
  SyncReport,
  UnservedPort,
} from './dataplane/types.js';
export type { UnservedAddress } from './proxier.js';
export { userspaceDataPlane, DEFAULT_WORKERS, type UserspaceOptions } from './dataplane/userspace/index.js';
export { startLoadBalancerController, managesService, type LoadBalancerControllerOptions, type RunningLoadBalancerController, type LoadBalancerAssignment } from './loadbalancer/controller.js';
export { PROXY_LABEL_SELECTOR, SERVICE_PROXY_NAME_LABEL, HEADLESS_LABEL } from './servicechangetracker.js';

export interface StartProxyOptions {
  client: Client;
  /** The nodes this proxy serves: NodePorts and health checks listen on every address given. */
  nodes: NodeInfo[];
  log?: (line: Record<string, unknown>) => void;
  /** Time for affinity timeouts and UDP idle expiry (sync scheduling always uses real time). */
  clock?: Clock;
  /** Uniform in [0, 1) for endpoint choice; default Math.random. */
  random?: () => number;
  /** prom-client registry to register the proxy's metrics on; default a private one. */
  registry?: promClient.Registry;
  /** Records Warning events for addresses that cannot be served; default one on `client`. */
  recorder?: EventRecorder;
  /** The data plane; default userspace with `userspace` options. */
  dataPlane?: DataPlaneFactory;
  userspace?: UserspaceOptions;
  /** Minimum time between syncs after a burst (ms); default 0: every change is programmed at once. */
  minSyncIntervalMs?: number;
  /** Periodic resync (ms), which also retries unserved addresses; default 30 000. */
  maxSyncIntervalMs?: number;
  /** Syncs allowed back to back before minSyncIntervalMs applies; default 2. */
  syncBurst?: number;
  /** Serve `/metrics` (Prometheus text) and `/healthz` over HTTP here, like kube-proxy's :10249. */
  metricsAddress?: { host: string; port: number };
}

/**
 * What the dashboard and `kubeloop status` read from a running proxy. Live counters are gathered
 * from every forwarding process, hence the promises; `unserved` and `syncs` are the proxier's own.
 */
export interface ProxyQuery {
  /** Every programmed service port with frontends, per-endpoint live counters and the affinity table. */
  servicePorts(): Promise<ServicePortStats[]>;
  /** The ports of one Service. */
  service(namespace: string, name: string): Promise<ServicePortStats[]>;
  /** Affinity entries of one Service (all its ports), with remaining TTL. */
  affinity(namespace: string, name: string): Promise<(AffinityEntry & { servicePortId: string })[]>;
  /** Addresses that should be served and are not (EACCES below 1024, address in use, ...). */
  unserved(): UnservedAddress[];
  /** Completed syncs and the clock time of the last one. */
  syncs(): { count: number; lastAt: number };
  snapshot(): Promise<DataPlaneSnapshot>;
}

export interface RunningProxy {
  query: ProxyQuery;
  metricsText(): Promise<string>;
  /** Resolves once every change seen before the call is programmed. */
  flush(): Promise<void>;
  /** The metrics server's address, when `metricsAddress` was given. */
  metricsUrl?: string;
  stop(): Promise<void>;
}

/** Starts the proxy; resolves once the initial Services and EndpointSlices are programmed. */
export async function startProxy(o: StartProxyOptions): Promise<RunningProxy> {
  const log = o.log ?? (() => {});
  const clock = o.clock ?? realClock;
  const nodes = new NodeIndex(o.nodes);
  const dataPlane = (o.dataPlane ?? userspaceDataPlane(o.userspace))({ nodes, clock, random: o.random ?? Math.random, log });
  const metrics = createProxyMetrics(() => dataPlane.snapshot(), o.registry);
  const recorder = o.recorder ?? new EventRecorder(o.client, { component: 'kubeloop-proxy', log });
  const proxier = new Proxier({
    dataPlane,
    nodes,
    clock,
    log,
    metrics,
    recorder,
    minSyncIntervalMs: o.minSyncIntervalMs ?? 0,
    maxSyncIntervalMs: o.maxSyncIntervalMs ?? 30_000,
    syncBurst: o.syncBurst ?? 2,
  });
  const services = new ServiceConfig(new Informer<Service>(o.client.services(), { labelSelector: PROXY_LABEL_SELECTOR, log }));
  const slices = new EndpointSliceConfig(new Informer<EndpointSlice>(o.client.endpointSlices(), { labelSelector: PROXY_LABEL_SELECTOR, log }));
  services.registerEventHandler(proxier.services);
  slices.registerEventHandler(proxier.endpointSlices);
  await Promise.all([services.run(), slices.run()]);
  await proxier.flush();

  let server: http.Server | undefined;
  let metricsUrl: string | undefined;
  if (o.metricsAddress) {
    const srv = http.createServer((req, res) => {
      if (req.url === '/metrics') {
        metrics.text().then(
          (t) => res.writeHead(200, { 'Content-Type': metrics.registry.contentType }).end(t),
          (e) => res.writeHead(500).end(String(e)),
        );
      } else if (req.url === '/healthz') res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(o.metricsAddress!.port, o.metricsAddress!.host, () => resolve());
    });
    server = srv;
    const a = srv.address();
    if (a && typeof a === 'object') metricsUrl = `http://${a.address}:${a.port}/metrics`;
  }

  const ofService = async (ns: string, name: string) => (await dataPlane.snapshot()).servicePorts.filter((s) => s.namespace === ns && s.name === name);
  const query: ProxyQuery = {
    servicePorts: async () => (await dataPlane.snapshot()).servicePorts,
    service: ofService,
    affinity: async (ns, name) => (await ofService(ns, name)).flatMap((s) => s.affinity.map((a) => ({ ...a, servicePortId: s.servicePortId }))),
    unserved: () => proxier.unserved(),
    syncs: () => ({ count: proxier.syncCount, lastAt: proxier.lastSyncAt }),
    snapshot: () => dataPlane.snapshot(),
  };

  let stopped = false;
  return {
    query,
    metricsText: () => metrics.text(),
    flush: () => proxier.flush(),
    ...(metricsUrl ? { metricsUrl } : {}),
    async stop() {
      if (stopped) return;
      stopped = true;
      services.stop();
      slices.stop();
      await proxier.stop();
      await dataPlane.stop();
      if (server) {
        server.closeAllConnections();
        await new Promise<void>((r) => server!.close(() => r()));
      }
    },
  };
}
