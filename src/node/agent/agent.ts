// startNodeAgent: one node of the cluster. Registers the Node and keeps its Lease, watches the
// pods bound to it and the Services (for env), runs one level-triggered pod worker per pod on a
// work queue keyed by pod UID, writes statuses through the status manager, and serves logs,
// exec, attach and port-forward for its pods.
import type { ServerResponse } from 'node:http';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { badRequest, type Pod, type Service, type Stored } from '../../api/index.js';
import type { ContainerStreams } from '../../apiserver/streams/index.js';
import { EventRecorder, Informer, WorkQueue, realClock, runWorkers, type Client, type Clock } from '../../client/index.js';
import { detectRuntime, type RuntimeInfo } from '../runtime/index.js';
import type { BackoffOptions } from './backoff.js';
import { listPodDirs, podPaths, podsRoot, removeDir } from './_files.js';
import { PodIPAllocator } from './ipam.js';
import { serveLogs } from './logs.js';
import { NodeHeartbeat, machineCapacity, registerNode, systemInfo, type NodeIdentity } from './node.js';
import { PodSyncer } from './pods.js';
import { StatusManager } from './status_manager.js';
import { containerStreams } from './streams.js';

export interface NodeAgentOptions {
  client: Client;
  /** `node0`, `node1`, ... */
  nodeName: string;
  /** The node's InternalIP: by kubeloop's convention the first address of its pod CIDR (127.244.i.1). */
  nodeIP: string;
  /** The node's pod CIDR (127.244.i.0/24); pods get its addresses from .2 up. */
  podCIDR: string;
  /** The cluster's data dir; the node keeps its pods under `<dataDir>/nodes/<nodeName>/`. */
  dataDir: string;
  /** The cluster DNS server(s) pods use (the kube-dns ClusterIP). */
  clusterDNS: string | readonly string[];
  /** Default `cluster.local`. */
  clusterDomain?: string;
  log?: (line: Record<string, unknown>) => void;
  clock?: Clock;
  /** Default detectRuntime(): namespaces as root, process groups otherwise. */
  runtime?: RuntimeInfo;
  /** The user image catalog; default `<dataDir>/images.yaml`. */
  imageCatalogPath?: string;
  /** Where generated image files go (busybox applet links); default `<dataDir>/cache/images`. */
  imageCacheDir?: string;
  /** The host resolv.conf pods with dnsPolicy Default inherit; default /etc/resolv.conf. */
  hostResolvConfPath?: string;
  /** CrashLoopBackOff delays; default 10 s doubling to 5 min. */
  crashLoopBackOff?: BackoffOptions;
  /** ImagePullBackOff delays; default 10 s doubling to 5 min. */
  imagePullBackOff?: BackoffOptions;
  /** Pod workers running at once; default 8. */
  workers?: number;
  /** Default 40 s, renewed every quarter of it. */
  leaseDurationSeconds?: number;
  /** How often the Node status is reported when nothing changed; default 5 min. */
  nodeStatusReportIntervalMs?: number;
  /** On stop(): SIGTERM to every container, SIGKILL after this; default 1000 ms. */
  shutdownGracePeriodMs?: number;
}

export interface NodeAgent {
  readonly nodeName: string;
  readonly nodeIP: string;
  readonly podCIDR: string;
  /** The isolation pods get here and why (for `kubeloop status`). */
  readonly runtime: RuntimeInfo;
  /** exec / attach / port-forward for pods on this node (the API server's ContainerStreams). */
  readonly streams: ContainerStreams;
  /** `kubectl logs` for pods on this node (the API server's PodStreams.logs). */
  logs(pod: Stored<Pod>, query: URLSearchParams, res: ServerResponse): Promise<void>;
  /** Pod status writes done so far. */
  readonly statusWrites: number;
  /** Stops every process of every pod, then the agent. Writes no status (the node goes away). */
  stop(): Promise<void>;
}

const noop = (): void => undefined;
const isTerminal = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

export async function startNodeAgent(o: NodeAgentOptions): Promise<NodeAgent> {
  const clock = o.clock ?? realClock;
  const log = o.log ?? noop;
  const clusterDomain = o.clusterDomain ?? 'cluster.local';
  const clusterDNS = typeof o.clusterDNS === 'string' ? [o.clusterDNS] : [...o.clusterDNS];
  const runtime = o.runtime ?? detectRuntime();
  const ipam = new PodIPAllocator(o.podCIDR, { reserved: [o.nodeIP] });
  const root = podsRoot(o.dataDir, o.nodeName);
  await mkdir(root, { recursive: true });
  const hostResolvConf = await readFile(o.hostResolvConfPath ?? '/etc/resolv.conf', 'utf8').catch(() => undefined);

  const identity: NodeIdentity = { nodeName: o.nodeName, nodeIP: o.nodeIP, podCIDR: o.podCIDR, info: systemInfo(), capacity: machineCapacity(o.dataDir) };
  const node = await registerNode(o.client, identity, () => clock.now());
  const leaseDuration = o.leaseDurationSeconds ?? 40;
  const heartbeat = new NodeHeartbeat(node, {
    client: o.client,
    identity,
    clock,
    leaseDurationSeconds: leaseDuration,
    leaseRenewIntervalMs: (leaseDuration * 1000) / 4,
    statusReportIntervalMs: o.nodeStatusReportIntervalMs ?? 5 * 60_000,
    log,
  });
  await heartbeat.start();

  const pods = new Informer<Pod>(o.client.pods(), { fieldSelector: `spec.nodeName=${o.nodeName}`, clock, log });
  pods.addIndex('uid', (p) => [p.metadata.uid]);
  const services = new Informer<Service>(o.client.services(), { clock, log });
  try {
    await Promise.all([pods.start(), services.start()]);
  } catch (e) {
    heartbeat.stop();
    pods.stop();
    services.stop();
    throw e;
  }
  const byUid = (uid: string): Stored<Pod> | undefined => pods.byIndex('uid', uid)[0];

  // Pods this node ran before a restart keep their addresses: reserve them before anything new.
  for (const p of pods.list()) {
    if (isTerminal(p) || p.spec.hostNetwork || !p.status?.podIP) continue;
    if (!ipam.reserve(p.metadata.uid, p.status.podIP)) log({ level: 'warn', msg: 'pod IP not reusable', pod: `${p.metadata.namespace}/${p.metadata.name}`, ip: p.status.podIP });
  }
  // Directories of pods that no longer exist.
  const known = new Set(pods.list().map((p) => p.metadata.uid));
  for (const d of await listPodDirs(root)) if (!known.has(d)) await removeDir(join(root, d));

  const status = new StatusManager({ client: o.client, cached: byUid, clock, log });
  const events = new EventRecorder(o.client, { component: 'kubelet', host: o.nodeName, clock: () => new Date(clock.now()), log });
  const queue = new WorkQueue<string>({ clock, baseMs: 500, maxMs: 30_000 });
  const syncer = new PodSyncer({
    client: o.client,
    nodeName: o.nodeName,
    nodeIP: o.nodeIP,
    dataDir: o.dataDir,
    clusterDNS,
    clusterDomain,
    hostResolvConf,
    runtime,
    ipam,
    imageCatalogPath: o.imageCatalogPath ?? join(o.dataDir, 'images.yaml'),
    imageCacheDir: o.imageCacheDir ?? join(o.dataDir, 'cache', 'images'),
    services: () => services.list(),
    status,
    events,
    clock,
    log,
    ...(o.crashLoopBackOff ? { crashLoopBackOff: o.crashLoopBackOff } : {}),
    ...(o.imagePullBackOff ? { imagePullBackOff: o.imagePullBackOff } : {}),
    enqueue: (uid, ms) => (ms && ms > 0 ? queue.addAfter(uid, ms) : queue.add(uid)),
  });
  status.start();
  const running = runWorkers({
    queue,
    workers: o.workers ?? 8,
    reconcile: (uid) => syncer.reconcile(byUid(uid), uid),
    onError: (uid, err, attempt) =>
      log({ level: attempt >= 3 ? 'warn' : 'info', msg: 'pod sync failed, will retry', node: o.nodeName, uid, attempt, error: err instanceof Error ? err.message : String(err) }),
  });
  pods.addHandler({
    onAdd: (p) => queue.add(p.metadata.uid),
    onUpdate: (old, cur) => {
      queue.add(cur.metadata.uid);
      if (old.metadata.uid !== cur.metadata.uid) queue.add(old.metadata.uid);
    },
    onDelete: (p) => queue.add(p.metadata.uid),
  });
  log({ level: 'info', msg: 'node agent started', node: o.nodeName, nodeIP: o.nodeIP, podCIDR: o.podCIDR, runtime: runtime.mode, reason: runtime.reason });

  const streams = containerStreams({
    running: (uid, container) => syncer.running(uid, container),
    podIP: (pod) => syncer.runtimes.get(pod.metadata.uid)?.podIP ?? pod.status?.podIP,
  });

  let stopped: Promise<void> | undefined;
  return {
    nodeName: o.nodeName,
    nodeIP: o.nodeIP,
    podCIDR: o.podCIDR,
    runtime,
    streams,
    get statusWrites() {
      return status.writeCount;
    },
    async logs(pod, query, res) {
      if (pod.spec.nodeName !== o.nodeName) throw badRequest(`pod ${pod.metadata.name} is not on node ${o.nodeName}`);
      await serveLogs(pod, query, res, {
        logDir: (uid, container) => podPaths(o.dataDir, o.nodeName, uid).logDir(container),
        status: (uid) => status.current(uid),
        running: (uid, container, containerID) => {
          const inst = syncer.instance(uid, container, containerID);
          return inst?.handle && !inst.exit ? inst.handle.exited : undefined;
        },
      });
    },
    stop() {
      stopped ??= (async () => {
        syncer.close();
        heartbeat.stop();
        pods.stop();
        services.stop();
        queue.shutDown();
        await running;
        await syncer.shutdown(o.shutdownGracePeriodMs ?? 1000);
        await status.stop();
        log({ level: 'info', msg: 'node agent stopped', node: o.nodeName });
      })();
      return stopped;
    },
  };
}

/**
 * Routes the API server's pod streams to the agent of the pod's node: `logs` is
 * `PodStreams.logs`, `streams` is the ContainerStreams for createPodStreamsHandler.
 */
export function routePodStreams(agents: readonly NodeAgent[]): { logs: NodeAgent['logs']; streams: ContainerStreams } {
  const agentFor = (pod: Stored<Pod>): NodeAgent => {
    const nodeName = pod.spec.nodeName;
    if (!nodeName) throw badRequest(`pod ${pod.metadata.name} does not have a host assigned`);
    const a = agents.find((x) => x.nodeName === nodeName);
    if (!a) throw badRequest(`node ${nodeName} of pod ${pod.metadata.name} has no node agent in this cluster`);
    return a;
  };
  return {
    logs: async (pod, query, res) => agentFor(pod).logs(pod, query, res),
    streams: {
      exec: async (pod, opts) => agentFor(pod).streams.exec(pod, opts),
      attach: async (pod, opts) => agentFor(pod).streams.attach(pod, opts),
      portForward: async (pod, port) => agentFor(pod).streams.portForward(pod, port),
    },
  };
}
