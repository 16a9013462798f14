// The scheduler: binds every pod without `spec.nodeName` (and meant for the default scheduler)
// to a Ready, schedulable node through the `binding` subresource, preferring the node with the
// fewest pods; records `Scheduled` / `FailedScheduling` events and the PodScheduled condition.
// Unschedulable pods are tried again when nodes change (or after 5 minutes, as upstream).
import { EventRecorder, realClock, type Client, type Clock, type ReconcileResult } from '../../client/index.js';
import { isConflict, isNotFound, splitKey, type Pod, type Stored } from '../../api/index.js';
import { SharedInformers, type Log, startStandalone } from '../_informers.js';
import { QueueRunner, type RunningController } from '../_runner.js';
import { isPodTerminal, rfc3339 } from '../_meta.js';
import { POD_NODE_INDEX, podNodeIndex } from '../_endpoints.js';
import { schedule } from './plan.js';

export { schedule, unfitReason, tolerates, type SchedulingDecision } from './plan.js';

export const SCHEDULER = 'default-scheduler';
/** podMaxInUnschedulablePodsDuration: an unschedulable pod is retried at least this often. */
const UNSCHEDULABLE_RETRY_MS = 5 * 60_000;

export interface SchedulerOptions {
  client: Client;
  informers?: SharedInformers;
  clock?: Clock;
  log?: Log;
  /** Pods with this spec.schedulerName (or none) are ours; default `default-scheduler`. */
  schedulerName?: string;
}

export interface Scheduler extends RunningController {
  run(): void;
}

export function newScheduler(o: SchedulerOptions & { informers: SharedInformers }): Scheduler {
  const { client, informers } = o;
  const clock = o.clock ?? realClock;
  const schedulerName = o.schedulerName ?? SCHEDULER;
  const pods = informers.pods();
  const nodes = informers.nodes();
  informers.ensureIndex(pods, { name: POD_NODE_INDEX, by: podNodeIndex });
  const recorder = new EventRecorder(client, { component: SCHEDULER, clock: () => new Date(clock.now()), ...(o.log ? { log: o.log } : {}) });
  /** Pods bound by us that the cache does not show bound yet (the scheduler cache's "assumed" pods). */
  const assumed = new Map<string, string>();

  const ours = (p: Stored<Pod>) =>
    !p.spec.nodeName && !p.metadata.deletionTimestamp && !isPodTerminal(p) && (p.spec.schedulerName ?? SCHEDULER) === schedulerName;

  const podCount = (node: string): number => {
    let n = 0;
    for (const p of pods.byIndex(POD_NODE_INDEX, node)) if (!isPodTerminal(p)) n++;
    for (const [key, where] of assumed) if (where === node && !pods.get(key)?.spec.nodeName) n++;
    return n;
  };

  const reconcile = async (key: string): Promise<ReconcileResult | void> => {
    const pod = pods.get(key);
    if (!pod || !ours(pod)) {
      assumed.delete(key);
      return;
    }
    if (assumed.has(key)) return; // bound; the cache has not caught up yet
    const decision = schedule(pod, { nodes: nodes.list(), podCount });
    const { namespace, name } = splitKey(key);
    if (decision.fits) {
      try {
        await client.bindPod(namespace, name, decision.node);
      } catch (e) {
        if (isNotFound(e)) return;
        if (!isConflict(e)) throw e;
        // A conflict means someone else bound it, it is going away, or a write raced the
        // binding's second step after ours took: only in the last case is it ours to report.
        const now = await client.pods(namespace).get(name).catch(() => undefined);
        if (now?.spec.nodeName !== decision.node || now.metadata.uid !== pod.metadata.uid) return;
      }
      assumed.set(key, decision.node);
      void recorder.record(pod, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${decision.node}`);
      return;
    }
    void recorder.record(pod, 'Warning', 'FailedScheduling', decision.message);
    await markUnschedulable(pod, decision.message);
    return { requeueAfterMs: UNSCHEDULABLE_RETRY_MS };
  };

  /** PodScheduled=False/Unschedulable, as `kubectl describe pod` shows it. */
  const markUnschedulable = async (pod: Stored<Pod>, message: string): Promise<void> => {
    const cur = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (cur?.status === 'False' && cur.reason === 'Unschedulable' && cur.message === message) return;
    const conditions = (pod.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
    conditions.push({ type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: rfc3339(clock.now()), reason: 'Unschedulable', message });
    try {
      await client.pods(pod.metadata.namespace).updateStatus({ ...pod, status: { ...(pod.status ?? {}), conditions } });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  };

  const runner = new QueueRunner(SCHEDULER, reconcile, { clock, ...(o.log ? { log: o.log } : {}), workers: 1 });
  const podKey = (p: Stored<Pod>) => `${p.metadata.namespace}/${p.metadata.name}`;
  const retryPending = () => {
    for (const p of pods.byIndex(POD_NODE_INDEX, '')) if (ours(p)) runner.enqueue(podKey(p));
  };

  pods.addHandler({
    onAdd: (p) => {
      if (ours(p)) runner.enqueue(podKey(p));
    },
    onUpdate: (_, p) => {
      if (ours(p)) runner.enqueue(podKey(p));
      else if (assumed.has(podKey(p))) assumed.delete(podKey(p));
    },
    onDelete: (p) => {
      assumed.delete(podKey(p));
      // A node's capacity freed up: pending pods may fit now.
      if (p.spec.nodeName) retryPending();
    },
  });
  nodes.addHandler({
    onAdd: retryPending,
    onUpdate: (old, cur) => {
      const shape = (n: typeof cur) => JSON.stringify([n.metadata.labels ?? {}, n.spec ?? {}, n.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? '']);
      if (shape(old) !== shape(cur)) retryPending();
    },
  });

  return { name: SCHEDULER, run: () => runner.run(), stop: () => runner.stop() };
}

/** Starts the scheduler alone (own informers unless shared ones are given). */
export function startScheduler(o: SchedulerOptions): Promise<RunningController> {
  return startStandalone(o, newScheduler);
}
