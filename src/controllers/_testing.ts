// Test helpers for the controllers: object builders and a fake node agent that plays the kubelet
// (gives bound pods an IP and marks them Ready, finishes graceful deletions). Not used by
// production code.
import { Client, type Transport, type WatchOpts } from '../client/index.js';
import { memoryApi, type MemoryApi } from '../testing/index.js';
import { isConflict, isNotFound, type KubeObject, type Node, type Pod, type ResourceType, type Service, type ServicePort, type Stored, type WatchEvent } from '../api/index.js';
import { SharedInformers } from './_informers.js';
import { isPodTerminal, rfc3339 } from './_meta.js';

/** The in-memory API the controller tests run against (src/testing's memoryApi). */
export async function controllersApi(): Promise<MemoryApi> {
  return memoryApi();
}

/** A transport whose watch events for one resource arrive `delayMs` late: a lagging cache. */
export function slowWatch(inner: Transport, o: { plural: string; delayMs: number }): Transport {
  const { plural, delayMs } = o;
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop !== 'watch') return Reflect.get(target, prop, receiver) as unknown;
      return (t: ResourceType, ns: string | undefined, opts: WatchOpts, onEvent: (e: WatchEvent<Stored<KubeObject>>) => void) =>
        target.watch(t, ns, opts, t.plural === plural ? (e) => void setTimeout(() => onEvent(e), delayMs) : onEvent);
    },
  });
}


export function node(name: string, o: { ready?: boolean; labels?: Record<string, string>; unschedulable?: boolean; taints?: NonNullable<Node['spec']>['taints'] } = {}): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(o.labels ?? {}) } },
    spec: { ...(o.unschedulable ? { unschedulable: true } : {}), ...(o.taints ? { taints: o.taints } : {}) },
    status: { conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  };
}

export interface PodSpecOptions {
  labels?: Record<string, string>;
  ports?: { name?: string; containerPort: number; protocol?: 'TCP' | 'UDP' | 'SCTP' }[];
  nodeName?: string;
  ip?: string;
  ready?: boolean;
  readySince?: string;
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  hostname?: string;
  subdomain?: string;
  nodeSelector?: Record<string, string>;
  namespace?: string;
}

export function pod(name: string, o: PodSpecOptions = {}): Pod {
  const p: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: o.namespace ?? 'default', labels: o.labels ?? {} },
    spec: {
      containers: [{ name: 'c', image: 'agnhost', ...(o.ports ? { ports: o.ports } : {}) }],
      ...(o.nodeName ? { nodeName: o.nodeName } : {}),
      ...(o.hostname ? { hostname: o.hostname } : {}),
      ...(o.subdomain ? { subdomain: o.subdomain } : {}),
      ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
    },
  };
  return p;
}

/** Registers a node as its agent would: create, then write its status (create drops status). */
export async function addNode(client: Client, n: Node): Promise<Stored<Node>> {
  const created = await client.nodes().create(n);
  return client.nodes().updateStatus({ ...created, status: n.status ?? {} });
}

/** The status a node agent would write for a running pod. */
export function runningStatus(o: { ip: string; ready: boolean; since?: string; phase?: 'Running' | 'Succeeded' | 'Failed' }): NonNullable<Pod['status']> {
  const since = o.since ?? '2026-11-01T00:00:00Z';
  return {
    phase: o.phase ?? 'Running',
    podIP: o.ip,
    podIPs: [{ ip: o.ip }],
    conditions: [
      { type: 'PodScheduled', status: 'True', lastTransitionTime: since },
      { type: 'Ready', status: o.ready ? 'True' : 'False', lastTransitionTime: since },
    ],
  };
}

export function service(name: string, o: { selector?: Record<string, string> | null; ports?: ServicePort[]; clusterIP?: string; publishNotReadyAddresses?: boolean; labels?: Record<string, string>; namespace?: string; type?: Service['spec']['type'] } = {}): Service {
  const selector = o.selector === null ? undefined : (o.selector ?? { app: name });
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: o.namespace ?? 'default', ...(o.labels ? { labels: o.labels } : {}) },
    spec: {
      ...(selector ? { selector } : {}),
      ports: o.ports ?? [{ port: 80, targetPort: 80, protocol: 'TCP' }],
      clusterIP: o.clusterIP ?? '10.96.0.10',
      ipFamilies: ['IPv4'],
      type: o.type ?? 'ClusterIP',
      ...(o.publishNotReadyAddresses !== undefined ? { publishNotReadyAddresses: o.publishNotReadyAddresses } : {}),
    },
  };
}

/** Creates a pod and writes its status in one go (a pod already running on a node). */
export async function runPod(client: Client, p: Pod, status: { ip: string; ready: boolean; since?: string; phase?: 'Running' | 'Succeeded' | 'Failed' }): Promise<Stored<Pod>> {
  const created = await client.pods(p.metadata.namespace).create(p);
  return client.pods(p.metadata.namespace).updateStatus({ ...created, status: { ...(created.status ?? {}), ...runningStatus(status) } });
}

/** Read-modify-write of a pod's status with conflict retries (test code only). */
export async function setPodStatus(client: Client, o: { namespace: string; name: string; change: (p: Stored<Pod>) => void }): Promise<Stored<Pod>> {
  const { namespace: ns, name, change } = o;
  for (;;) {
    const p = await client.pods(ns).get(name);
    change(p);
    try {
      return await client.pods(ns).updateStatus(p);
    } catch (e) {
      if (!isConflict(e)) throw e;
    }
  }
}

export async function setReady(client: Client, o: { namespace: string; name: string; ready: boolean; at: string }): Promise<Stored<Pod>> {
  const { namespace: ns, name, ready, at } = o;
  const change = (p: Stored<Pod>) => {
    const conds = (p.status?.conditions ?? []).filter((c) => c.type !== 'Ready');
    conds.push({ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: at });
    p.status = { ...(p.status ?? {}), conditions: conds };
  };
  return setPodStatus(client, { namespace: ns, name, change });
}

export interface FakeKubelet {
  stop(): void;
  /** Pods made Ready so far. */
  readonly started: number;
}

/**
 * Plays every node agent: a bound pod gets an IP, phase Running and (after `readyDelayMs`)
 * Ready=True; a pod with a deletionTimestamp is finished with a grace-0 delete.
 */
export async function startFakeKubelet(client: Client, o: { readyDelayMs?: number; now?: () => number } = {}): Promise<FakeKubelet> {
  const informers = new SharedInformers(client);
  const pods = informers.pods();
  let ipSeq = 1;
  let started = 0;
  let stopped = false;
  const busy = new Set<string>();
  const now = o.now ?? (() => Date.now());
  const handle = (p: Stored<Pod>) => {
    if (stopped) return;
    const key = `${p.metadata.namespace}/${p.metadata.name}`;
    if (busy.has(key)) return;
    if (p.metadata.deletionTimestamp) {
      busy.add(key);
      void client
        .pods(p.metadata.namespace)
        .delete(p.metadata.name, { gracePeriodSeconds: 0, preconditions: { uid: p.metadata.uid } })
        .catch((e: unknown) => {
          if (!isNotFound(e) && !isConflict(e)) retryLater(key);
        })
        .finally(() => busy.delete(key));
      return;
    }
    if (!p.spec.nodeName || p.status?.podIP || isPodTerminal(p)) return;
    busy.add(key);
    const ip = `10.244.${Math.floor(ipSeq / 250)}.${(ipSeq % 250) + 1}`;
    ipSeq++;
    const write = async () => {
      try {
        if (o.readyDelayMs) await new Promise((r) => setTimeout(r, o.readyDelayMs));
        if (stopped) return;
        await setPodStatus(client, {
          namespace: p.metadata.namespace ?? 'default',
          name: p.metadata.name,
          change: (cur) => {
            const at = rfc3339(now());
            cur.status = {
              ...(cur.status ?? {}),
              phase: 'Running',
              podIP: ip,
              podIPs: [{ ip }],
              conditions: [...(cur.status?.conditions ?? []).filter((c) => c.type !== 'Ready'), { type: 'Ready', status: 'True', lastTransitionTime: at }],
            };
          },
        });
        started++;
      } catch (e) {
        if (!isNotFound(e)) retryLater(key);
      } finally {
        busy.delete(key);
      }
    };
    void write();
  };
  // A failed write (the API closing, a transient error) is retried from the cache.
  const retryLater = (key: string) => {
    if (stopped) return;
    setTimeout(() => {
      const cur = pods.get(key);
      if (cur) handle(cur);
    }, 20).unref();
  };
  pods.addHandler({ onAdd: handle, onUpdate: (_, p) => handle(p) });
  await informers.start();
  return {
    stop() {
      stopped = true;
      informers.stop();
    },
    get started() {
      return started;
    },
  };
}
