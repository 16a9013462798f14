// The Node object a node agent registers and keeps fresh: addresses, capacity, conditions,
// nodeInfo, pod CIDR; and its Lease in kube-node-lease, renewed as the kubelet's node lease
// controller does (40 s lease, renewed every 10 s). Node status is re-reported every 5 minutes
// (nodeStatusReportFrequency) and at start.
import { readFileSync, statfsSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { isAlreadyExists, isNotFound, type Lease, type Node, type NodeCondition, type NodeSystemInfo, type Stored } from '../../api/index.js';
import type { Client, Clock } from '../../client/index.js';

export const KUBELET_VERSION = 'v1.32.4-kubeloop';
export const CONTAINER_RUNTIME_VERSION = 'kubeloop://0.1.0';
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
export const MAX_PODS = 110;

const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const micro = (ms: number) => new Date(ms).toISOString().replace('Z', '000Z');

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** What this machine is, read once (nodeInfo). */
export function systemInfo(): NodeSystemInfo {
  const machineID = readText('/etc/machine-id') ?? '';
  const osRelease = readText('/etc/os-release') ?? '';
  const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(osRelease)?.[1] ?? 'Linux';
  return {
    machineID,
    systemUUID: (readText('/sys/class/dmi/id/product_uuid') ?? machineID).toLowerCase(),
    bootID: readText('/proc/sys/kernel/random/boot_id') ?? '',
    kernelVersion: release(),
    osImage: pretty,
    containerRuntimeVersion: CONTAINER_RUNTIME_VERSION,
    kubeletVersion: KUBELET_VERSION,
    kubeProxyVersion: '',
    operatingSystem: 'linux',
    architecture: process.arch === 'x64' ? 'amd64' : process.arch,
  };
}

/** Capacity of this machine as the kubelet reports it (cpu, memory, ephemeral-storage of `dataDir`, pods). */
export function machineCapacity(dataDir: string): Record<string, string> {
  let storage = '0';
  try {
    const s = statfsSync(dataDir);
    storage = `${Math.floor((s.blocks * s.bsize) / 1024)}Ki`;
  } catch {
    storage = '0';
  }
  return {
    cpu: String(Math.max(1, cpus().length)),
    'ephemeral-storage': storage,
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: `${Math.floor(totalmem() / 1024)}Ki`,
    pods: String(MAX_PODS),
  };
}

export interface NodeIdentity {
  nodeName: string;
  nodeIP: string;
  podCIDR: string;
  info: NodeSystemInfo;
  capacity: Record<string, string>;
}

/** The Node as first registered (status is written separately: create drops it). */
export function nodeObject(id: NodeIdentity): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: id.nodeName,
      labels: nodeLabels(id),
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: { podCIDR: id.podCIDR, podCIDRs: [id.podCIDR] },
  };
}

function nodeLabels(id: NodeIdentity): Record<string, string> {
  const arch = id.info.architecture;
  return {
    'beta.kubernetes.io/arch': arch,
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': arch,
    'kubernetes.io/hostname': id.nodeName,
    'kubernetes.io/os': 'linux',
  };
}

const CONDITIONS: [string, 'True' | 'False', string, string][] = [
  ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
  ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
  ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
  ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
];

/** The node status at `now`; transition times are kept from `old` while a condition holds. */
export function nodeStatus(id: NodeIdentity, old: Node['status'] | undefined, now: number): NonNullable<Node['status']> {
  const conditions: NodeCondition[] = CONDITIONS.map(([type, status, reason, message]) => {
    const before = old?.conditions?.find((c) => c.type === type);
    return {
      type,
      status,
      lastHeartbeatTime: rfc3339(now),
      lastTransitionTime: before && before.status === status && before.lastTransitionTime ? before.lastTransitionTime : rfc3339(now),
      reason,
      message,
    };
  });
  return {
    capacity: { ...id.capacity },
    allocatable: { ...id.capacity },
    conditions,
    addresses: [
      { type: 'InternalIP', address: id.nodeIP },
      { type: 'Hostname', address: id.nodeName },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: { ...id.info },
  };
}

/**
 * Creates the Node, or takes over the existing one of that name (a restart): labels are
 * merged, the pod CIDR is set if it has none, and the status is rewritten.
 */
export async function registerNode(client: Client, id: NodeIdentity, now: () => number): Promise<Stored<Node>> {
  const nodes = client.nodes();
  let node: Stored<Node>;
  try {
    node = await nodes.create(nodeObject(id));
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
    const cur = await nodes.get(id.nodeName);
    const labels = { ...(cur.metadata.labels ?? {}), ...nodeLabels(id) };
    const spec = { ...(cur.spec ?? {}) };
    if (!spec.podCIDR) {
      spec.podCIDR = id.podCIDR;
      spec.podCIDRs = [id.podCIDR];
    }
    node = await nodes.update({ ...cur, metadata: { ...cur.metadata, labels }, spec });
  }
  return nodes.updateStatus({ ...node, status: nodeStatus(id, node.status, now()) });
}

/** The node's Lease, owned by the Node so that it goes with it. */
export function leaseObject(node: Stored<Node>, durationSeconds: number, now: number): Lease {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: node.metadata.name,
      namespace: NODE_LEASE_NAMESPACE,
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node.metadata.name, uid: node.metadata.uid }],
    },
    spec: { holderIdentity: node.metadata.name, leaseDurationSeconds: durationSeconds, renewTime: micro(now) },
  };
}

/** Creates or renews the node's Lease. */
export async function renewLease(client: Client, node: Stored<Node>, durationSeconds: number, now: number): Promise<Stored<Lease>> {
  const leases = client.leases(NODE_LEASE_NAMESPACE);
  try {
    const cur = await leases.get(node.metadata.name);
    return await leases.update({ ...cur, spec: { ...cur.spec, holderIdentity: node.metadata.name, leaseDurationSeconds: durationSeconds, renewTime: micro(now) } });
  } catch (e) {
    if (!isNotFound(e)) throw e;
    return leases.create(leaseObject(node, durationSeconds, now));
  }
}

export interface HeartbeatOptions {
  client: Client;
  identity: NodeIdentity;
  clock: Clock;
  leaseDurationSeconds: number;
  leaseRenewIntervalMs: number;
  statusReportIntervalMs: number;
  log: (line: Record<string, unknown>) => void;
}

/**
 * Keeps the Lease renewed and the Node status reported on timers. Failures are logged and
 * tried again at the next tick (a missed renewal is what a lease tolerates).
 */
export class NodeHeartbeat {
  private stopped = false;
  private readonly timers = new Map<string, { cancel(): void }>();
  private node: Stored<Node>;

  constructor(
    node: Stored<Node>,
    private readonly o: HeartbeatOptions,
  ) {
    this.node = node;
  }

  /** Starts the timers; resolves after the first Lease renewal was tried (failures are logged). */
  start(): Promise<void> {
    const first = this.tick('lease', this.o.leaseRenewIntervalMs, () => this.renew());
    void this.tick('status', this.o.statusReportIntervalMs, () => this.report(), false);
    return first;
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }

  private tick(what: string, everyMs: number, fn: () => Promise<void>, now = true): Promise<void> {
    const run = async (): Promise<void> => {
      if (this.stopped) return;
      try {
        await fn();
      } catch (e) {
        this.o.log({ level: 'warn', msg: `node ${what} update failed, will retry`, node: this.o.identity.nodeName, error: e instanceof Error ? e.message : String(e) });
      }
      if (!this.stopped) this.timers.set(what, this.o.clock.setTimeout(() => void run(), everyMs));
    };
    if (now) return run();
    this.timers.set(what, this.o.clock.setTimeout(() => void run(), everyMs));
    return Promise.resolve();
  }

  private async renew(): Promise<void> {
    await renewLease(this.o.client, this.node, this.o.leaseDurationSeconds, this.o.clock.now());
  }

  private async report(): Promise<void> {
    let cur: Stored<Node>;
    try {
      cur = await this.o.client.nodes().get(this.o.identity.nodeName);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      // Deleted behind our back: register again, as the kubelet does.
      this.node = await registerNode(this.o.client, this.o.identity, () => this.o.clock.now());
      return;
    }
    this.node = await this.o.client.nodes().updateStatus({ ...cur, status: nodeStatus(this.o.identity, cur.status, this.o.clock.now()) });
  }
}
