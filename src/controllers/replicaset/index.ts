// The ReplicaSet controller: keeps `spec.replicas` active pods for every ReplicaSet, named
// `<rs>-<5 chars>` by the API, each carrying the ReplicaSet as controller owner. It adopts
// matching orphans, releases pods whose labels stopped matching, and reports status. Counts
// read from a cache that has not yet seen the controller's own creations and deletions are never
// acted on (expectations), so a slow cache cannot cause extra pods.
import { EventRecorder, realClock, type Client, type Clock, type ReconcileResult } from '../../client/index.js';
import { fromLabelSelector, isConflict, isNotFound, splitKey, type Pod, type ReplicaSet, type Stored } from '../../api/index.js';
import { NAMESPACE_INDEX, OWNER_INDEX, SharedInformers, type Log, startStandalone } from '../_informers.js';
import { QueueRunner, type RunningController } from '../_runner.js';
import { ControllerExpectations } from '../_expectations.js';
import { controllerOf, controllerRef, isNamespaceTerminating, isPodActive, isPodReady } from '../_meta.js';
import { planClaims, withOwner, withoutOwner } from '../_ownership.js';
import { BURST_REPLICAS, calculateStatus, planReplicas, podFromTemplate, statusNeedsUpdate } from './plan.js';

export { planReplicas, podsToDelete, podFromTemplate, calculateStatus, statusNeedsUpdate, BURST_REPLICAS, type ReplicasPlan, type ReplicasInputs } from './plan.js';

export const REPLICASET_CONTROLLER = 'replicaset-controller';

export interface ReplicaSetControllerOptions {
  client: Client;
  informers?: SharedInformers;
  clock?: Clock;
  log?: Log;
  workers?: number;
  burstReplicas?: number;
}

export interface ReplicaSetController extends RunningController {
  run(): void;
  /** For tests: the pending expectations of a ReplicaSet key. */
  expectations: ControllerExpectations;
}

const podKey = (p: { metadata: { namespace?: string; name?: string } }) => `${p.metadata.namespace ?? ''}/${p.metadata.name ?? ''}`;

export function newReplicaSetController(o: ReplicaSetControllerOptions & { informers: SharedInformers }): ReplicaSetController {
  const { client, informers } = o;
  const clock = o.clock ?? realClock;
  const rsInf = informers.replicaSets();
  const pods = informers.pods();
  const expectations = new ControllerExpectations({ clock });
  const recorder = new EventRecorder(client, { component: REPLICASET_CONTROLLER, clock: () => new Date(clock.now()), ...(o.log ? { log: o.log } : {}) });
  const burst = o.burstReplicas ?? BURST_REPLICAS;

  /** resolveControllerRef: the cached ReplicaSet a controller reference points to, if it is one. */
  const resolve = (ns: string | undefined, ref: { kind: string; apiVersion: string; name: string; uid: string }) => {
    if (ref.kind !== 'ReplicaSet' || !ref.apiVersion.startsWith('apps/')) return undefined;
    const rs = rsInf.getByName(ns, ref.name);
    return rs && rs.metadata.uid === ref.uid ? rs : undefined;
  };
  /** getPodReplicaSets: ReplicaSets of the pod's namespace whose selector matches it. */
  const matchingReplicaSets = (p: Stored<Pod>) =>
    rsInf.byIndex(NAMESPACE_INDEX, p.metadata.namespace ?? '').filter((rs) => {
      const sel = fromLabelSelector(rs.spec.selector);
      return !sel.isEmpty() && sel.matches(p.metadata.labels);
    });

  const reconcile = async (key: string): Promise<ReconcileResult | void> => {
    const { namespace, name } = splitKey(key);
    const rs = rsInf.getByName(namespace, name);
    if (!rs) {
      expectations.delete(key);
      return;
    }
    const needsSync = expectations.satisfied(key);
    const selector = fromLabelSelector(rs.spec.selector);
    const active = pods.byIndex(NAMESPACE_INDEX, namespace).filter(isPodActive);
    const claims = planClaims(
      { uid: rs.metadata.uid, namespace, deleting: !!rs.metadata.deletionTimestamp },
      { matches: (p) => !selector.isEmpty() && selector.matches(p.metadata.labels), candidates: active },
    );
    const owned = await applyClaims(rs, claims.adopt, claims.release, claims.owned);

    let manageError: { message: string; creating: boolean } | undefined;
    let failure: unknown;
    if (needsSync && !rs.metadata.deletionTimestamp) {
      const related = relatedPods(rs);
      const plan = planReplicas({ replicaSet: rs, active: owned, related, now: clock.now(), burst });
      try {
        if (plan.action === 'create') await createPods(key, rs, plan.count);
        else if (plan.action === 'delete') await deletePods(key, rs, plan.pods);
      } catch (e) {
        failure = e;
        manageError = { message: e instanceof Error ? e.message : String(e), creating: plan.action === 'create' };
      }
    }
    const status = calculateStatus(rs, { active: owned, now: clock.now(), ...(manageError ? { manageError } : {}) });
    let current = rs;
    if (statusNeedsUpdate(rs, status)) {
      status.observedGeneration = rs.metadata.generation ?? 0;
      if (!status.observedGeneration) delete status.observedGeneration;
      try {
        current = await client.replicaSets(namespace).updateStatus({ ...rs, status });
      } catch (e) {
        if (!isNotFound(e)) throw e;
        return;
      }
    }
    if (failure) throw failure;
    // Pods become available minReadySeconds after turning ready: look again then.
    const minReady = current.spec.minReadySeconds ?? 0;
    const want = current.spec.replicas ?? 1;
    if (minReady > 0 && (current.status?.readyReplicas ?? 0) === want && (current.status?.availableReplicas ?? 0) !== want) {
      return { requeueAfterMs: minReady * 1000 };
    }
  };

  /** The pods of every ReplicaSet sharing this one's controller (getIndirectlyRelatedPods). */
  const relatedPods = (rs: Stored<ReplicaSet>): Stored<Pod>[] => {
    const owner = controllerOf(rs.metadata);
    const family = owner ? rsInf.byIndex(OWNER_INDEX, owner.uid).filter((x) => x.metadata.namespace === rs.metadata.namespace) : [rs];
    const out: Stored<Pod>[] = [];
    for (const r of family) for (const p of pods.byIndex(OWNER_INDEX, r.metadata.uid)) if (controllerOf(p.metadata)?.uid === r.metadata.uid) out.push(p);
    return out;
  };

  const applyClaims = async (rs: Stored<ReplicaSet>, adopt: Stored<Pod>[], release: Stored<Pod>[], owned: Stored<Pod>[]): Promise<Stored<Pod>[]> => {
    const ns = rs.metadata.namespace ?? '';
    const result = owned.filter((p) => !adopt.includes(p));
    if (adopt.length) {
      // canAdopt: re-read the ReplicaSet; never adopt for one that is gone or being deleted.
      const fresh = await client.replicaSets(ns).get(rs.metadata.name);
      if (fresh.metadata.uid !== rs.metadata.uid) throw new Error(`Cannot adopt pods for ReplicaSet ${ns}/${rs.metadata.name}: original ReplicaSet is gone: got uid ${fresh.metadata.uid}, wanted ${rs.metadata.uid}`);
      if (fresh.metadata.deletionTimestamp) throw new Error(`Cannot adopt pods for ReplicaSet ${ns}/${rs.metadata.name}: it is being deleted`);
      for (const p of adopt) {
        try {
          result.push(await client.pods(ns).update({ ...p, metadata: { ...p.metadata, ownerReferences: withOwner(p.metadata, controllerRef(rs, { apiVersion: 'apps/v1', kind: 'ReplicaSet' })) } }));
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
      }
    }
    for (const p of release) {
      try {
        await client.pods(ns).update({ ...p, metadata: { ...p.metadata, ownerReferences: withoutOwner(p.metadata, rs.metadata.uid) } });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    return result;
  };

  /** slowStartBatch: create in batches of 1, 2, 4, ... and stop at the first batch with a failure. */
  const createPods = async (key: string, rs: Stored<ReplicaSet>, count: number): Promise<void> => {
    expectations.expectCreations(key, count);
    let done = 0;
    let batch = 1;
    let firstError: unknown;
    while (done < count && firstError === undefined) {
      const n = Math.min(batch, count - done);
      const results = await Promise.allSettled(Array.from({ length: n }, () => client.pods(rs.metadata.namespace).create(podFromTemplate(rs))));
      for (const r of results) {
        if (r.status === 'fulfilled') {
          void recorder.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${r.value.metadata.name}`);
        } else {
          // The informer will never see this pod: stop expecting it.
          expectations.creationObserved(key);
          if (isNamespaceTerminating(r.reason)) continue;
          firstError ??= r.reason;
          void recorder.record(rs, 'Warning', 'FailedCreate', `Error creating: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`);
        }
      }
      done += n;
      batch *= 2;
    }
    for (let skipped = count - done; skipped > 0; skipped--) expectations.creationObserved(key);
    if (firstError !== undefined) throw firstError;
  };

  const deletePods = async (key: string, rs: Stored<ReplicaSet>, victims: Stored<Pod>[]): Promise<void> => {
    expectations.expectDeletions(key, victims.map(podKey));
    const results = await Promise.allSettled(victims.map((p) => client.pods(p.metadata.namespace).delete(p.metadata.name, { preconditions: { uid: p.metadata.uid } })));
    let firstError: unknown;
    victims.forEach((p, idx) => {
      const r = results[idx];
      if (!r) return;
      if (r.status === 'fulfilled') {
        void recorder.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
        return;
      }
      expectations.deletionObserved(key, podKey(p));
      if (isNotFound(r.reason) || isConflict(r.reason)) return;
      firstError ??= r.reason;
      void recorder.record(rs, 'Warning', 'FailedDelete', `Error deleting: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`);
    });
    if (firstError !== undefined) throw firstError;
  };

  const runner = new QueueRunner(REPLICASET_CONTROLLER, reconcile, { clock, ...(o.log ? { log: o.log } : {}), workers: o.workers ?? 4 });
  const rsKey = (rs: Stored<ReplicaSet>) => `${rs.metadata.namespace}/${rs.metadata.name}`;

  /** A pod going away (or starting to): count it as an observed deletion and resync its owner. */
  const podGone = (p: Stored<Pod>) => {
    const ref = controllerOf(p.metadata);
    if (!ref) return;
    const rs = resolve(p.metadata.namespace, ref);
    if (!rs) return;
    expectations.deletionObserved(rsKey(rs), podKey(p));
    runner.enqueue(rsKey(rs));
  };

  rsInf.addHandler({
    onAdd: (rs) => runner.enqueue(rsKey(rs)),
    onUpdate: (_, rs) => runner.enqueue(rsKey(rs)),
    onDelete: (rs) => {
      expectations.delete(rsKey(rs));
      runner.enqueue(rsKey(rs));
    },
  });
  pods.addHandler({
    onAdd: (p) => {
      if (p.metadata.deletionTimestamp) return podGone(p);
      const ref = controllerOf(p.metadata);
      if (ref) {
        const rs = resolve(p.metadata.namespace, ref);
        if (!rs) return;
        expectations.creationObserved(rsKey(rs));
        runner.enqueue(rsKey(rs));
        return;
      }
      for (const rs of matchingReplicaSets(p)) runner.enqueue(rsKey(rs));
    },
    onUpdate: (old, cur) => {
      if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
      const labelsChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {});
      if (cur.metadata.deletionTimestamp) {
        podGone(cur);
        if (labelsChanged) podGone(old);
        return;
      }
      const curRef = controllerOf(cur.metadata);
      const oldRef = controllerOf(old.metadata);
      const refChanged = JSON.stringify(curRef ?? null) !== JSON.stringify(oldRef ?? null);
      if (refChanged && oldRef) {
        const prev = resolve(old.metadata.namespace, oldRef);
        if (prev) runner.enqueue(rsKey(prev));
      }
      if (curRef) {
        const rs = resolve(cur.metadata.namespace, curRef);
        if (!rs) return;
        runner.enqueue(rsKey(rs));
        const minReady = rs.spec.minReadySeconds ?? 0;
        if (!isPodReady(old) && isPodReady(cur) && minReady > 0) runner.enqueueAfter(rsKey(rs), minReady * 1000 + 1000);
        return;
      }
      if (labelsChanged || refChanged) for (const rs of matchingReplicaSets(cur)) runner.enqueue(rsKey(rs));
    },
    onDelete: (p) => podGone(p),
  });

  return { name: REPLICASET_CONTROLLER, expectations, run: () => runner.run(), stop: () => runner.stop() };
}

/** Starts the ReplicaSet controller alone (own informers unless shared ones are given). */
export function startReplicaSetController(o: ReplicaSetControllerOptions): Promise<ReplicaSetController> {
  return startStandalone(o, newReplicaSetController);
}
