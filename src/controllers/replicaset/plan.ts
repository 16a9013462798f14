// The pure parts of the ReplicaSet controller (pkg/controller/replicaset/replica_set.go and
// controller_utils.go): how many pods to create, which to delete first, the pod a template
// makes, and the status to report.
import { deepCopy, type Pod, type ReplicaSet, type ReplicaSetStatus, type Stored } from '../../api/index.js';
import { controllerRef, isPodAvailable, isPodActive, isPodReady, parseTime, podReadyCondition, rfc3339 } from '../_meta.js';

/** At most this many creations or deletions per sync (--replicaset-burst... `BurstReplicas`). */
export const BURST_REPLICAS = 500;
export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

export type ReplicasPlan = { action: 'none' } | { action: 'create'; count: number } | { action: 'delete'; pods: Stored<Pod>[] };

export interface ReplicasInputs {
  replicaSet: ReplicaSet;
  /** The ReplicaSet's active pods (owned, not terminal, not being deleted). */
  active: readonly Stored<Pod>[];
  /** Pods of the same family (ReplicaSets sharing this one's controller), for ranking. */
  related: readonly Stored<Pod>[];
  now: number;
  burst?: number;
}

/** manageReplicas: create the missing pods or delete the surplus, at most `burst` at a time. */
export function planReplicas(i: ReplicasInputs): ReplicasPlan {
  const burst = i.burst ?? BURST_REPLICAS;
  const diff = i.active.length - (i.replicaSet.spec.replicas ?? 1);
  if (diff < 0) return { action: 'create', count: Math.min(-diff, burst) };
  if (diff > 0) return { action: 'delete', pods: podsToDelete(i.active, { related: i.related, count: Math.min(diff, burst), now: i.now }) };
  return { action: 'none' };
}

/** getPodsToDelete: the `count` pods to delete first, ranked by ActivePodsWithRanks. */
export function podsToDelete(pods: readonly Stored<Pod>[], o: { related: readonly Stored<Pod>[]; count: number; now: number }): Stored<Pod>[] {
  if (o.count >= pods.length) return [...pods];
  const onNode = new Map<string, number>();
  for (const p of o.related) if (isPodActive(p)) onNode.set(p.spec.nodeName ?? '', (onNode.get(p.spec.nodeName ?? '') ?? 0) + 1);
  const ranked = pods.map((pod) => ({ pod, rank: onNode.get(pod.spec.nodeName ?? '') ?? 0 }));
  ranked.sort((a, b) => compareForDeletion(a, b, o.now));
  return ranked.slice(0, o.count).map((x) => x.pod);
}

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

interface Ranked {
  pod: Stored<Pod>;
  /** Active pods of the same family on the pod's node. */
  rank: number;
}

/** ActivePodsWithRanks.Less as a comparator: negative when `x` should be deleted before `y`. */
function compareForDeletion(x: Ranked, y: Ranked, nowMs: number): number {
  const { pod: a, rank: rankA } = x;
  const { pod: b, rank: rankB } = y;
  const less = (x: boolean) => (x ? -1 : 1);
  // 1. Unassigned < assigned.
  const na = a.spec.nodeName ?? '';
  const nb = b.spec.nodeName ?? '';
  if (na !== nb && (na === '' || nb === '')) return less(na === '');
  // 2. Pending < Unknown < Running.
  const pa = PHASE_ORDINAL[a.status?.phase ?? ''] ?? 0;
  const pb = PHASE_ORDINAL[b.status?.phase ?? ''] ?? 0;
  if (pa !== pb) return pa - pb;
  // 3. Not ready < ready.
  const ra = isPodReady(a);
  const rb = isPodReady(b);
  if (ra !== rb) return less(!ra);
  // 4. Lower pod-deletion-cost < higher.
  const ca = deletionCost(a);
  const cb = deletionCost(b);
  if (ca !== cb) return ca - cb;
  // 5. More pods of the same family on the node < fewer.
  if (rankA !== rankB) return rankB - rankA;
  // 6. Ready for less time < ready for longer (log2 buckets of age).
  if (ra && rb) {
    const ta = parseTime(podReadyCondition(a)?.lastTransitionTime);
    const tb = parseTime(podReadyCondition(b)?.lastTransitionTime);
    if (ta !== tb) {
      const r = compareAges({ a: ta, b: tb }, { now: nowMs, tieA: a, tieB: b });
      if (r !== 0) return r;
    }
  }
  // 7. More container restarts < fewer.
  const ma = maxRestarts(a);
  const mb = maxRestarts(b);
  if (ma !== mb) return mb - ma;
  // 8. Newer < older.
  const ta = parseTime(a.metadata.creationTimestamp);
  const tb = parseTime(b.metadata.creationTimestamp);
  if (ta !== tb) return compareAges({ a: ta, b: tb }, { now: nowMs, tieA: a, tieB: b });
  return 0;
}

/** afterOrZero with LogarithmicScaleDown: unknown times first, then the younger log2 age bucket. */
function compareAges(t: { a: number | undefined; b: number | undefined }, o: { now: number; tieA: Stored<Pod>; tieB: Stored<Pod> }): number {
  const { a: ta, b: tb } = t;
  if (ta === undefined || tb === undefined) return ta === undefined ? (tb === undefined ? 0 : -1) : 1;
  const bucket = (x: number) => {
    const d = (o.now - x) * 1e6; // Go compares durations in nanoseconds
    return d > 0 ? Math.floor(Math.log2(d)) : -1;
  };
  const diff = bucket(ta) - bucket(tb);
  if (diff !== 0) return diff;
  return o.tieA.metadata.uid < o.tieB.metadata.uid ? -1 : o.tieA.metadata.uid > o.tieB.metadata.uid ? 1 : 0;
}

function deletionCost(p: Stored<Pod>): number {
  const v = p.metadata.annotations?.[POD_DELETION_COST_ANNOTATION];
  return v !== undefined && /^-?\d+$/.test(v) ? Number(v) : 0;
}

function maxRestarts(p: Stored<Pod>): number {
  return Math.max(0, ...(p.status?.containerStatuses ?? []).map((c) => c.restartCount));
}

/** GetPodFromTemplate: a pod for the ReplicaSet, named by the API from `<rs>-`. */
export function podFromTemplate(rs: Stored<ReplicaSet>): Pod {
  const t = rs.spec.template;
  const meta = t?.metadata ?? {};
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${rs.metadata.name}-`,
      namespace: rs.metadata.namespace ?? '',
      ...(meta.labels ? { labels: { ...meta.labels } } : {}),
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ownerReferences: [controllerRef(rs, { apiVersion: 'apps/v1', kind: 'ReplicaSet' })],
    },
    spec: deepCopy(t?.spec ?? { containers: [] }),
  };
  return pod;
}

/** calculateStatus: counts over the ReplicaSet's active pods, and the ReplicaFailure condition. */
export function calculateStatus(rs: Stored<ReplicaSet>, o: { active: readonly Stored<Pod>[]; now: number; manageError?: { message: string; creating: boolean } }): ReplicaSetStatus {
  const { active, now: nowMs, manageError } = o;
  const templateLabels = rs.spec.template?.metadata?.labels ?? {};
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  const minReady = rs.spec.minReadySeconds ?? 0;
  for (const p of active) {
    const labels = p.metadata.labels ?? {};
    if (Object.entries(templateLabels).every(([k, v]) => labels[k] === v)) fullyLabeled++;
    if (isPodReady(p)) {
      ready++;
      if (isPodAvailable(p, { minReadySeconds: minReady, now: nowMs })) available++;
    }
  }
  const s: ReplicaSetStatus = { replicas: active.length };
  if (fullyLabeled) s.fullyLabeledReplicas = fullyLabeled;
  if (ready) s.readyReplicas = ready;
  if (available) s.availableReplicas = available;
  if (rs.status?.observedGeneration) s.observedGeneration = rs.status.observedGeneration;
  let conditions = rs.status?.conditions ?? [];
  const failure = conditions.find((c) => c.type === 'ReplicaFailure');
  if (manageError && !failure) {
    conditions = [
      ...conditions,
      { type: 'ReplicaFailure', status: 'True', lastTransitionTime: rfc3339(nowMs), reason: manageError.creating ? 'FailedCreate' : 'FailedDelete', message: manageError.message },
    ];
  } else if (!manageError && failure) {
    conditions = conditions.filter((c) => c.type !== 'ReplicaFailure');
  }
  if (conditions.length) s.conditions = conditions;
  return s;
}

/** Whether a status write is needed (updateReplicaSetStatus skips the steady state). */
export function statusNeedsUpdate(rs: Stored<ReplicaSet>, s: ReplicaSetStatus): boolean {
  const cur = rs.status;
  return (
    (cur?.replicas ?? 0) !== s.replicas ||
    (cur?.fullyLabeledReplicas ?? 0) !== (s.fullyLabeledReplicas ?? 0) ||
    (cur?.readyReplicas ?? 0) !== (s.readyReplicas ?? 0) ||
    (cur?.availableReplicas ?? 0) !== (s.availableReplicas ?? 0) ||
    (rs.metadata.generation ?? 0) !== (cur?.observedGeneration ?? 0) ||
    JSON.stringify(cur?.conditions ?? []) !== JSON.stringify(s.conditions ?? [])
  );
}
