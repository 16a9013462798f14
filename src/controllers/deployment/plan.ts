// One pass of the deployment controller (sync.go, rolling.go, recreate.go, progress.go) as a pure
// function: given the Deployment, the ReplicaSets it owns, their pods and the time, the ordered
// writes to make and the status to report. The decisions follow upstream step by step; where
// upstream writes as it goes, the plan records the write and carries on with the written copy.
import { deepCopy, type Deployment, type DeploymentStatus, type Pod, type ReplicaSet, type Stored } from '../../api/index.js';
import { controllerRef, isPodTerminal, parseTime, rfc3339, sameJson } from '../_meta.js';
import {
  POD_TEMPLATE_HASH_LABEL,
  REASON,
  REVISION_ANNOTATION,
  actualReplicaCount,
  availableReplicaCount,
  byCreation,
  byRevision,
  bySizeNewer,
  bySizeOlder,
  computeHash,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  filterActive,
  findActiveOrLatest,
  findNewReplicaSet,
  findOldReplicaSets,
  getCondition,
  getProportion,
  hasProgressDeadline,
  hasRevisionHistoryLimit,
  isRollingUpdate,
  isSaturated,
  maxRevision,
  maxSurge,
  maxUnavailable,
  newCondition,
  newRSNewReplicas,
  readyReplicaCount,
  removeCondition,
  replicaCount,
  replicasAnnotationsNeedUpdate,
  revisionOf,
  rsReplicas,
  rsStatus,
  setCondition,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  withDefaults,
  type DefaultedDeployment,
} from './util.js';

export interface PlannedEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export type DeploymentAction =
  | { type: 'createReplicaSet'; replicaSet: ReplicaSet; event?: PlannedEvent }
  | { type: 'updateReplicaSet'; replicaSet: ReplicaSet; event?: PlannedEvent }
  | { type: 'deleteReplicaSet'; name: string; uid: string }
  | { type: 'event'; event: PlannedEvent };

export interface DeploymentPlan {
  actions: DeploymentAction[];
  /** The Deployment carrying its new status and annotations, when either changed. */
  status?: Stored<Deployment>;
  /** Check again after this long (a rollout that may time out, or minReadySeconds). */
  requeueAfterMs?: number;
}

export interface DeploymentInputs {
  deployment: Stored<Deployment>;
  /** The ReplicaSets the Deployment owns (after adoption and release). */
  replicaSets: readonly Stored<ReplicaSet>[];
  /** The pods of those ReplicaSets by ReplicaSet uid (only Recreate looks at them). */
  podsByReplicaSet?: ReadonlyMap<string, readonly Stored<Pod>[]>;
  now: number;
}

export function planDeployment(i: DeploymentInputs): DeploymentPlan {
  const p = new Planner(i);
  p.run();
  return p.finish();
}

const SELECTING_ALL = 'This deployment is selecting all pods. A non-empty selector is required.';

class Planner {
  private readonly actions: DeploymentAction[] = [];
  private readonly d: DefaultedDeployment;
  private readonly rss: ReplicaSet[];
  private readonly nowText: string;
  private requeueAfterMs: number | undefined;

  constructor(private readonly i: DeploymentInputs) {
    this.d = withDefaults(i.deployment);
    this.rss = i.replicaSets.map((rs) => deepCopy(rs) as ReplicaSet);
    this.nowText = rfc3339(i.now);
  }

  finish(): DeploymentPlan {
    const orig = this.i.deployment;
    const plan: DeploymentPlan = { actions: this.actions };
    const status = cleanStatus(this.d.status ?? {});
    if (!sameJson(cleanStatus(orig.status ?? {}), status) || !sameJson(orig.metadata.annotations ?? {}, this.d.metadata.annotations ?? {})) {
      const out = deepCopy(orig);
      out.status = status;
      if (this.d.metadata.annotations && Object.keys(this.d.metadata.annotations).length) out.metadata.annotations = this.d.metadata.annotations;
      else delete out.metadata.annotations;
      plan.status = out;
    }
    if (this.requeueAfterMs !== undefined) plan.requeueAfterMs = this.requeueAfterMs;
    return plan;
  }

  run(): void {
    const d = this.d;
    const sel = d.spec.selector;
    if (!sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0)) {
      this.event('Warning', 'SelectingAll', SELECTING_ALL);
      const s = (d.status ??= {});
      if ((s.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) s.observedGeneration = d.metadata.generation ?? 0;
      return;
    }
    if (d.metadata.deletionTimestamp) return this.syncStatusOnly();
    this.checkPausedConditions();
    if (d.spec.paused) return this.sync();
    if (this.isScalingEvent()) return this.sync();
    if (d.spec.strategy?.type === 'Recreate') return this.rolloutRecreate();
    return this.rolloutRolling();
  }

  // ---------------------------------------------------------------- writes

  private event(type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.actions.push({ type: 'event', event: { type, reason, message } });
  }

  private updateRS(rs: ReplicaSet, event?: PlannedEvent): void {
    this.actions.push({ type: 'updateReplicaSet', replicaSet: deepCopy(rs), ...(event ? { event } : {}) });
  }

  /** scaleReplicaSet: sets replicas and the replica annotations; an event when the size changed. */
  private scaleReplicaSet(rs: ReplicaSet, newScale: number, op: 'up' | 'down' | ''): boolean {
    const d = this.d;
    const max = d.spec.replicas + maxSurge(d);
    const sizeChanged = rsReplicas(rs) !== newScale;
    if (!sizeChanged && !replicasAnnotationsNeedUpdate(rs, { desired: d.spec.replicas, max })) return false;
    const old = rsReplicas(rs);
    rs.spec.replicas = newScale;
    setReplicasAnnotations(rs, { desired: d.spec.replicas, max });
    this.updateRS(rs, sizeChanged ? { type: 'Normal', reason: 'ScalingReplicaSet', message: `Scaled ${op} replica set ${rs.metadata.name ?? ''} from ${old} to ${newScale}` } : undefined);
    return sizeChanged;
  }

  private scaleAndRecord(rs: ReplicaSet, newScale: number): boolean {
    if (rsReplicas(rs) === newScale) return false;
    return this.scaleReplicaSet(rs, newScale, rsReplicas(rs) < newScale ? 'up' : 'down');
  }

  // ---------------------------------------------------------------- sync.go

  private syncStatusOnly(): void {
    const { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(false);
    this.syncDeploymentStatus([...oldRSs, newRS], newRS);
  }

  private sync(): void {
    const { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(false);
    this.scale(newRS, oldRSs);
    if (this.d.spec.paused) this.cleanupDeployment(oldRSs);
    this.syncDeploymentStatus([...oldRSs, newRS], newRS);
  }

  private checkPausedConditions(): void {
    const d = this.d;
    if (!hasProgressDeadline(d)) return;
    const cond = getCondition(d.status, 'Progressing');
    if (cond?.reason === REASON.timedOut) return;
    const pausedExists = cond?.reason === REASON.paused;
    const s = (d.status ??= {});
    if (d.spec.paused && !pausedExists) setCondition(s, newCondition({ type: 'Progressing', status: 'Unknown', reason: REASON.paused, message: 'Deployment is paused', now: this.nowText }));
    else if (!d.spec.paused && pausedExists) setCondition(s, newCondition({ type: 'Progressing', status: 'Unknown', reason: REASON.resumed, message: 'Deployment is resumed', now: this.nowText }));
  }

  private getAllReplicaSetsAndSyncRevision(create: boolean): { newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] } {
    const { all } = findOldReplicaSets(this.d, this.rss);
    const newRS = this.getNewReplicaSet(all, create);
    return { newRS, oldRSs: all.filter((rs) => rs !== newRS) };
  }

  private getNewReplicaSet(oldRSs: ReplicaSet[], create: boolean): ReplicaSet | undefined {
    const d = this.d;
    const existing = findNewReplicaSet(d, this.rss);
    const newRevision = maxRevision(oldRSs) + 1;
    const s = (d.status ??= {});
    if (existing) {
      const annotationsUpdated = setNewReplicaSetAnnotations(d, { replicaSet: existing, revision: newRevision, exists: true });
      const minReadyChanged = (existing.spec.minReadySeconds ?? 0) !== d.spec.minReadySeconds;
      if (annotationsUpdated || minReadyChanged) {
        existing.spec.minReadySeconds = d.spec.minReadySeconds;
        this.updateRS(existing);
      }
      const rev = existing.metadata.annotations?.[REVISION_ANNOTATION];
      if (rev !== undefined) this.setDeploymentRevision(rev);
      if (hasProgressDeadline(d) && !getCondition(s, 'Progressing')) {
        setCondition(s, newCondition({ type: 'Progressing', status: 'True', reason: REASON.foundNewRS, message: `Found new replica set "${existing.metadata.name ?? ''}"`, now: this.nowText }));
      }
      return existing;
    }
    if (!create) return undefined;

    const template = deepCopy(d.spec.template);
    const hash = computeHash(template, s.collisionCount);
    template.metadata = { ...(template.metadata ?? {}), labels: { ...(d.spec.template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash } };
    const selector = deepCopy(d.spec.selector);
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata.name ?? ''}-${hash}`,
        namespace: d.metadata.namespace ?? '',
        ownerReferences: [controllerRef(d, { apiVersion: 'apps/v1', kind: 'Deployment' })],
        labels: { ...(template.metadata.labels ?? {}) },
        creationTimestamp: this.nowText,
      },
      spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds, selector, template },
    };
    const count = newRSNewReplicas(d, { allRSs: [...oldRSs, rs], newRS: rs });
    rs.spec.replicas = count;
    setNewReplicaSetAnnotations(d, { replicaSet: rs, revision: newRevision, exists: false });
    this.rss.push(rs);
    const created = deepCopy(rs);
    delete created.metadata.creationTimestamp;
    this.actions.push({
      type: 'createReplicaSet',
      replicaSet: created,
      ...(count > 0 ? { event: { type: 'Normal', reason: 'ScalingReplicaSet', message: `Scaled up replica set ${rs.metadata.name ?? ''} from 0 to ${count}` } } : {}),
    });
    this.setDeploymentRevision(String(newRevision));
    if (hasProgressDeadline(d)) {
      setCondition(s, newCondition({ type: 'Progressing', status: 'True', reason: REASON.newReplicaSet, message: `Created new replica set "${rs.metadata.name ?? ''}"`, now: this.nowText }));
    }
    return rs;
  }

  private setDeploymentRevision(rev: string): void {
    const a = (this.d.metadata.annotations ??= {});
    a[REVISION_ANNOTATION] = rev;
  }

  private isScalingEvent(): boolean {
    const { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(false);
    for (const rs of filterActive([...oldRSs, newRS])) {
      const v = rs.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'];
      if (v === undefined || !/^-?\d+$/.test(v)) continue;
      if (Number(v) !== this.d.spec.replicas) return true;
    }
    return false;
  }

  /** scale: size the active ReplicaSets for a scaling event, proportionally during a rollout. */
  private scale(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): void {
    const d = this.d;
    const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
    if (activeOrLatest) {
      if (rsReplicas(activeOrLatest) !== d.spec.replicas) this.scaleAndRecord(activeOrLatest, d.spec.replicas);
      return;
    }
    if (isSaturated(d, newRS)) {
      for (const old of filterActive(oldRSs)) this.scaleAndRecord(old, 0);
      return;
    }
    if (!isRollingUpdate(d)) return;
    const all = filterActive([...oldRSs, newRS]);
    const allReplicas = replicaCount(all);
    const allowedSize = d.spec.replicas > 0 ? d.spec.replicas + maxSurge(d) : 0;
    const toAdd = allowedSize - allReplicas;
    let op: 'up' | 'down' | '' = '';
    if (toAdd > 0) {
      all.sort(bySizeNewer);
      op = 'up';
    } else if (toAdd < 0) {
      all.sort(bySizeOlder);
      op = 'down';
    }
    let added = 0;
    const sizes = new Map<ReplicaSet, number>();
    for (const rs of all) {
      if (toAdd !== 0) {
        const proportion = getProportion(rs, { deployment: d, toAdd, added });
        sizes.set(rs, rsReplicas(rs) + proportion);
        added += proportion;
      } else sizes.set(rs, rsReplicas(rs));
    }
    all.forEach((rs, idx) => {
      if (idx === 0 && toAdd !== 0) sizes.set(rs, Math.max(0, (sizes.get(rs) ?? 0) + toAdd - added));
      this.scaleReplicaSet(rs, sizes.get(rs) ?? rsReplicas(rs), op);
    });
  }

  /** cleanupDeployment: delete the oldest fully scaled-down ReplicaSets beyond revisionHistoryLimit. */
  private cleanupDeployment(oldRSs: ReplicaSet[]): void {
    const d = this.d;
    if (!hasRevisionHistoryLimit(d)) return;
    const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
    const diff = cleanable.length - d.spec.revisionHistoryLimit;
    if (diff <= 0) return;
    cleanable.sort(byRevision);
    for (const rs of cleanable.slice(0, diff)) {
      if (rsStatus(rs).replicas !== 0 || rsReplicas(rs) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0) || rs.metadata.deletionTimestamp) continue;
      this.actions.push({ type: 'deleteReplicaSet', name: rs.metadata.name ?? '', uid: rs.metadata.uid ?? '' });
    }
  }

  private calculateStatus(allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): DeploymentStatus {
    const d = this.d;
    const available = availableReplicaCount(allRSs);
    const total = replicaCount(allRSs);
    const s: DeploymentStatus = {
      observedGeneration: d.metadata.generation ?? 0,
      replicas: actualReplicaCount(allRSs),
      updatedReplicas: actualReplicaCount([newRS]),
      readyReplicas: readyReplicaCount(allRSs),
      availableReplicas: available,
      unavailableReplicas: Math.max(0, total - available),
    };
    if (d.status?.conditions?.length) s.conditions = d.status.conditions.map((c) => ({ ...c }));
    if (d.status?.collisionCount !== undefined) s.collisionCount = d.status.collisionCount;
    if (available >= d.spec.replicas - maxUnavailable(d)) {
      setCondition(s, newCondition({ type: 'Available', status: 'True', reason: REASON.minimumReplicasAvailable, message: 'Deployment has minimum availability.', now: this.nowText }));
    } else {
      setCondition(s, newCondition({ type: 'Available', status: 'False', reason: REASON.minimumReplicasUnavailable, message: 'Deployment does not have minimum availability.', now: this.nowText }));
    }
    return s;
  }

  private syncDeploymentStatus(allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): void {
    this.d.status = this.calculateStatus(allRSs, newRS);
  }

  // ---------------------------------------------------------------- rolling.go

  private rolloutRolling(): void {
    const { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(true);
    if (!newRS) return;
    const all = [...oldRSs, newRS];
    if (this.reconcileNewReplicaSet(all, newRS)) return this.syncRolloutStatus(all, newRS);
    if (this.reconcileOldReplicaSets(all, filterActive(oldRSs), newRS)) return this.syncRolloutStatus(all, newRS);
    if (deploymentComplete(this.d, this.d.status ?? {})) this.cleanupDeployment(oldRSs);
    this.syncRolloutStatus(all, newRS);
  }

  private reconcileNewReplicaSet(all: ReplicaSet[], newRS: ReplicaSet): boolean {
    const d = this.d;
    if (rsReplicas(newRS) === d.spec.replicas) return false;
    if (rsReplicas(newRS) > d.spec.replicas) return this.scaleAndRecord(newRS, d.spec.replicas);
    return this.scaleAndRecord(newRS, newRSNewReplicas(d, { allRSs: all, newRS }));
  }

  private reconcileOldReplicaSets(all: ReplicaSet[], oldRSs: ReplicaSet[], newRS: ReplicaSet): boolean {
    const d = this.d;
    if (replicaCount(oldRSs) === 0) return false;
    const allPods = replicaCount(all);
    const minAvailable = d.spec.replicas - maxUnavailable(d);
    const newUnavailable = rsReplicas(newRS) - rsStatus(newRS).available;
    const maxScaledDown = allPods - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return false;
    const cleaned = this.cleanupUnhealthyReplicas(oldRSs, maxScaledDown);
    const scaledDown = this.scaleDownOldReplicaSetsForRollingUpdate([...oldRSs, newRS], oldRSs);
    return cleaned + scaledDown > 0;
  }

  /** Scale down old pods that are not available first: they hold no capacity worth keeping. */
  private cleanupUnhealthyReplicas(oldRSs: ReplicaSet[], maxCleanup: number): number {
    let total = 0;
    for (const rs of [...oldRSs].sort(byCreation)) {
      if (total >= maxCleanup) break;
      const replicas = rsReplicas(rs);
      const available = rsStatus(rs).available;
      if (replicas === 0 || replicas === available) continue;
      const n = Math.min(maxCleanup - total, replicas - available);
      this.scaleAndRecord(rs, replicas - n);
      total += n;
    }
    return total;
  }

  private scaleDownOldReplicaSetsForRollingUpdate(all: ReplicaSet[], oldRSs: ReplicaSet[]): number {
    const d = this.d;
    const minAvailable = d.spec.replicas - maxUnavailable(d);
    const available = availableReplicaCount(all);
    if (available <= minAvailable) return 0;
    let total = 0;
    const target = available - minAvailable;
    for (const rs of [...oldRSs].sort(byCreation)) {
      if (total >= target) break;
      if (rsReplicas(rs) === 0) continue;
      const n = Math.min(rsReplicas(rs), target - total);
      this.scaleAndRecord(rs, rsReplicas(rs) - n);
      total += n;
    }
    return total;
  }

  // ---------------------------------------------------------------- recreate.go

  private rolloutRecreate(): void {
    let { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(false);
    let all = [...oldRSs, newRS];
    let scaledDown = false;
    for (const rs of filterActive(oldRSs)) if (this.scaleAndRecord(rs, 0)) scaledDown = true;
    if (scaledDown) return this.syncRolloutStatus(all, newRS);
    if (this.oldPodsRunning(newRS, oldRSs)) return this.syncRolloutStatus(all, newRS);
    if (!newRS) {
      ({ newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(true));
      all = [...oldRSs, newRS];
    }
    if (newRS) this.scaleAndRecord(newRS, this.d.spec.replicas);
    if (deploymentComplete(this.d, this.d.status ?? {})) this.cleanupDeployment(oldRSs);
    this.syncRolloutStatus(all, newRS);
  }

  private oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): boolean {
    if (actualReplicaCount(oldRSs) > 0) return true;
    for (const [uid, pods] of this.i.podsByReplicaSet ?? new Map<string, readonly Stored<Pod>[]>()) {
      if (newRS && newRS.metadata.uid === uid) continue;
      for (const p of pods) if (!isPodTerminal(p)) return true;
    }
    return false;
  }

  // ---------------------------------------------------------------- progress.go

  private syncRolloutStatus(all: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): void {
    const d = this.d;
    const s = this.calculateStatus(all, newRS);
    if (!hasProgressDeadline(d)) removeCondition(s, 'Progressing');
    const current = getCondition(d.status, 'Progressing');
    const isComplete = (s.replicas ?? 0) === (s.updatedReplicas ?? 0) && current?.reason === REASON.newRSAvailable;
    if (hasProgressDeadline(d) && !isComplete) {
      const rsName = newRS?.metadata.name;
      if (deploymentComplete(d, s)) {
        const msg = rsName ? `ReplicaSet "${rsName}" has successfully progressed.` : `Deployment "${d.metadata.name ?? ''}" has successfully progressed.`;
        setCondition(s, newCondition({ type: 'Progressing', status: 'True', reason: REASON.newRSAvailable, message: msg, now: this.nowText }));
      } else if (deploymentProgressing(d, s)) {
        const msg = rsName ? `ReplicaSet "${rsName}" is progressing.` : `Deployment "${d.metadata.name ?? ''}" is progressing.`;
        const c = newCondition({ type: 'Progressing', status: 'True', reason: REASON.replicaSetUpdated, message: msg, now: this.nowText });
        if (current) {
          if (current.status === 'True' && current.lastTransitionTime) c.lastTransitionTime = current.lastTransitionTime;
          removeCondition(s, 'Progressing');
        }
        setCondition(s, c);
      } else if (deploymentTimedOut(d, { status: s, now: this.i.now })) {
        const msg = rsName ? `ReplicaSet "${rsName}" has timed out progressing.` : `Deployment "${d.metadata.name ?? ''}" has timed out progressing.`;
        setCondition(s, newCondition({ type: 'Progressing', status: 'False', reason: REASON.timedOut, message: msg, now: this.nowText }));
      }
    }
    // Failure conditions of the ReplicaSets surface as the Deployment's ReplicaFailure.
    const failure = this.replicaFailure(all, newRS);
    if (failure) setCondition(s, failure);
    else removeCondition(s, 'ReplicaFailure');

    if (sameJson(cleanStatus(d.status ?? {}), cleanStatus(s))) this.requeueStuck(s);
    d.status = s;
  }

  private replicaFailure(all: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined) {
    const pick = (rs: ReplicaSet | undefined) => rs?.status?.conditions?.find((c) => c.type === 'ReplicaFailure' && c.status === 'True');
    const found = pick(newRS) ?? all.map(pick).find((c) => c);
    if (!found) return undefined;
    return { type: 'ReplicaFailure', status: found.status, lastUpdateTime: found.lastTransitionTime ?? this.nowText, lastTransitionTime: found.lastTransitionTime ?? this.nowText, reason: found.reason ?? '', message: found.message ?? '' };
  }

  /** requeueStuckDeployment: look again when the progress deadline would pass. */
  private requeueStuck(s: DeploymentStatus): void {
    const d = this.d;
    const current = getCondition(d.status, 'Progressing');
    if (!hasProgressDeadline(d) || !current) return;
    if (deploymentComplete(d, s) || current.reason === REASON.timedOut) return;
    const from = parseTime(current.lastUpdateTime);
    if (from === undefined) return;
    const after = from + d.spec.progressDeadlineSeconds * 1000 - this.i.now;
    this.requeueAfterMs = after < 1000 ? 0 : after + 1000;
  }
}

/** A status as upstream serializes it: zero counts omitted (omitempty). */
function cleanStatus(s: DeploymentStatus): DeploymentStatus {
  const out: DeploymentStatus = {};
  for (const k of ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'] as const) {
    const v = s[k];
    if (v) out[k] = v;
  }
  if (s.conditions?.length) out.conditions = s.conditions;
  if (s.collisionCount !== undefined) out.collisionCount = s.collisionCount;
  return out;
}

/** For tests and the controller: the revision a ReplicaSet carries. */
export { revisionOf };
