// The Deployment controller: turns a Deployment into ReplicaSets named `<deployment>-<pod-template-hash>`,
// rolls between them (RollingUpdate within maxSurge/maxUnavailable, or Recreate), scales them,
// keeps revision annotations and history, and reports status and the Available/Progressing
// conditions `kubectl rollout status` waits on. Each pass is planned by `planDeployment` from the
// caches and applied here.
import { EventRecorder, realClock, type Client, type Clock, type ReconcileResult } from '../../client/index.js';
import { fromLabelSelector, isAlreadyExists, isNotFound, splitKey, type Deployment, type Pod, type ReplicaSet, type Stored } from '../../api/index.js';
import { NAMESPACE_INDEX, SharedInformers, type Log, startStandalone } from '../_informers.js';
import { QueueRunner, type RunningController } from '../_runner.js';
import { controllerOf, controllerRef, isNamespaceTerminating, rfc3339 } from '../_meta.js';
import { planClaims, withOwner, withoutOwner } from '../_ownership.js';
import { planDeployment, type DeploymentPlan, type PlannedEvent } from './plan.js';
import { REASON, equalIgnoreHash, hasProgressDeadline, newCondition, setCondition, withDefaults } from './util.js';

export { planDeployment, type DeploymentPlan, type DeploymentAction, type DeploymentInputs, type PlannedEvent } from './plan.js';
export {
  computeHash,
  resolveFenceposts,
  scaledValue,
  withDefaults as deploymentWithDefaults,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  POD_TEMPLATE_HASH_LABEL,
} from './util.js';

export const DEPLOYMENT_CONTROLLER = 'deployment-controller';

export interface DeploymentControllerOptions {
  client: Client;
  informers?: SharedInformers;
  clock?: Clock;
  log?: Log;
  workers?: number;
}

export interface DeploymentController extends RunningController {
  run(): void;
}

export function newDeploymentController(o: DeploymentControllerOptions & { informers: SharedInformers }): DeploymentController {
  const { client, informers } = o;
  const clock = o.clock ?? realClock;
  const deployments = informers.deployments();
  const rsInf = informers.replicaSets();
  const pods = informers.pods();
  const recorder = new EventRecorder(client, { component: DEPLOYMENT_CONTROLLER, clock: () => new Date(clock.now()), ...(o.log ? { log: o.log } : {}) });

  const reconcile = async (key: string): Promise<ReconcileResult | void> => {
    const { namespace, name } = splitKey(key);
    const d = deployments.getByName(namespace, name);
    if (!d) return;
    const selector = fromLabelSelector(d.spec.selector);
    const claims = planClaims(
      { uid: d.metadata.uid, namespace, deleting: !!d.metadata.deletionTimestamp },
      { matches: (rs) => !selector.isEmpty() && selector.matches(rs.metadata.labels), candidates: rsInf.byIndex(NAMESPACE_INDEX, namespace) },
    );
    const owned = await applyClaims(d, claims.adopt, claims.release, claims.owned);
    const podsByReplicaSet = new Map<string, Stored<Pod>[]>();
    if (withDefaults(d).spec.strategy?.type === 'Recreate') {
      const uids = new Set(owned.map((rs) => rs.metadata.uid));
      for (const p of pods.byIndex(NAMESPACE_INDEX, namespace)) {
        const ref = controllerOf(p.metadata);
        if (!ref || !uids.has(ref.uid) || !selector.matches(p.metadata.labels)) continue;
        const l = podsByReplicaSet.get(ref.uid) ?? [];
        l.push(p);
        podsByReplicaSet.set(ref.uid, l);
      }
    }
    const plan = planDeployment({ deployment: d, replicaSets: owned, podsByReplicaSet, now: clock.now() });
    return applyPlan(d, owned, plan);
  };

  const applyClaims = async (d: Stored<Deployment>, adopt: Stored<ReplicaSet>[], release: Stored<ReplicaSet>[], owned: Stored<ReplicaSet>[]): Promise<Stored<ReplicaSet>[]> => {
    const ns = d.metadata.namespace ?? '';
    const result = owned.filter((rs) => !adopt.includes(rs));
    if (adopt.length) {
      const fresh = await client.deployments(ns).get(d.metadata.name);
      if (fresh.metadata.uid !== d.metadata.uid) throw new Error(`Cannot adopt ReplicaSets for Deployment ${ns}/${d.metadata.name}: original Deployment is gone`);
      if (fresh.metadata.deletionTimestamp) throw new Error(`Cannot adopt ReplicaSets for Deployment ${ns}/${d.metadata.name}: it is being deleted`);
      for (const rs of adopt) {
        try {
          result.push(await client.replicaSets(ns).update({ ...rs, metadata: { ...rs.metadata, ownerReferences: withOwner(rs.metadata, controllerRef(d, { apiVersion: 'apps/v1', kind: 'Deployment' })) } }));
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
      }
    }
    for (const rs of release) {
      try {
        await client.replicaSets(ns).update({ ...rs, metadata: { ...rs.metadata, ownerReferences: withoutOwner(rs.metadata, d.metadata.uid) } });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    return result;
  };

  const record = (d: Stored<Deployment>, e: PlannedEvent | undefined) => {
    if (e) void recorder.record(d, e.type, e.reason, e.message);
  };

  const applyPlan = async (d: Stored<Deployment>, owned: readonly Stored<ReplicaSet>[], plan: DeploymentPlan): Promise<ReconcileResult | void> => {
    const ns = d.metadata.namespace ?? '';
    const rsApi = client.replicaSets(ns);
    // Writes to one ReplicaSet in a pass chain on the resourceVersion of the previous write.
    const rv = new Map(owned.map((rs) => [rs.metadata.name, rs.metadata.resourceVersion]));
    for (const a of plan.actions) {
      switch (a.type) {
        case 'event':
          record(d, a.event);
          break;
        case 'createReplicaSet': {
          const rsName = a.replicaSet.metadata.name ?? '';
          try {
            const created = await rsApi.create(a.replicaSet);
            rv.set(rsName, created.metadata.resourceVersion);
            record(d, a.event);
          } catch (e) {
            if (isAlreadyExists(e)) return handleExisting(d, rsName);
            if (isNamespaceTerminating(e)) return;
            const msg = `Failed to create new replica set "${rsName}": ${e instanceof Error ? e.message : String(e)}`;
            if (hasProgressDeadline(withDefaults(d))) {
              const status = { ...(d.status ?? {}) };
              setCondition(status, newCondition({ type: 'Progressing', status: 'False', reason: REASON.failedRSCreate, message: msg, now: rfc3339(clock.now()) }));
              await client.deployments(ns).updateStatus({ ...d, status }).catch(() => undefined);
            }
            record(d, { type: 'Warning', reason: REASON.failedRSCreate, message: msg });
            throw e;
          }
          break;
        }
        case 'updateReplicaSet': {
          const rsName = a.replicaSet.metadata.name ?? '';
          const body = { ...a.replicaSet, metadata: { ...a.replicaSet.metadata, resourceVersion: rv.get(rsName) ?? a.replicaSet.metadata.resourceVersion ?? '' } };
          const updated = await rsApi.update(body);
          rv.set(rsName, updated.metadata.resourceVersion);
          record(d, a.event);
          break;
        }
        case 'deleteReplicaSet':
          try {
            await rsApi.delete(a.name, { preconditions: { uid: a.uid } });
          } catch (e) {
            if (!isNotFound(e)) throw e;
          }
          break;
        default: {
          const never: never = a;
          return never;
        }
      }
    }
    if (plan.status) {
      try {
        await client.deployments(ns).updateStatus(plan.status);
      } catch (e) {
        if (!isNotFound(e)) throw e;
        return;
      }
    }
    if (plan.requeueAfterMs !== undefined) return { requeueAfterMs: plan.requeueAfterMs };
  };

  /**
   * The new ReplicaSet's name is taken. If it is ours with our template, the cache was just
   * slow: look again. Otherwise the hash collided: bump collisionCount so the next name differs.
   */
  const handleExisting = async (d: Stored<Deployment>, rsName: string): Promise<ReconcileResult> => {
    const ns = d.metadata.namespace ?? '';
    const rs = await client.replicaSets(ns).get(rsName);
    if (controllerOf(rs.metadata)?.uid === d.metadata.uid && equalIgnoreHash(d.spec.template, rs.spec.template)) return { requeueAfterMs: 0 };
    const status = { ...(d.status ?? {}), collisionCount: (d.status?.collisionCount ?? 0) + 1 };
    await client.deployments(ns).updateStatus({ ...d, status });
    throw new Error(`Cannot create ReplicaSet ${ns}/${rsName} for Deployment ${d.metadata.name}: the name is taken (hash collision); collisionCount is now ${status.collisionCount}`);
  };

  const runner = new QueueRunner(DEPLOYMENT_CONTROLLER, reconcile, { clock, ...(o.log ? { log: o.log } : {}), workers: o.workers ?? 4 });
  const dKey = (d: { metadata: { namespace?: string; name?: string } }) => `${d.metadata.namespace ?? ''}/${d.metadata.name ?? ''}`;
  const resolve = (ns: string | undefined, ref: { kind: string; apiVersion: string; name: string; uid: string } | undefined) => {
    if (!ref || ref.kind !== 'Deployment' || !ref.apiVersion.startsWith('apps/')) return undefined;
    const d = deployments.getByName(ns, ref.name);
    return d && d.metadata.uid === ref.uid ? d : undefined;
  };
  /** getDeploymentsForReplicaSet: Deployments of the namespace whose selector matches an orphan. */
  const enqueueMatching = (rs: Stored<ReplicaSet>) => {
    for (const d of deployments.byIndex(NAMESPACE_INDEX, rs.metadata.namespace ?? '')) {
      const sel = fromLabelSelector(d.spec.selector);
      if (!sel.isEmpty() && sel.matches(rs.metadata.labels)) runner.enqueue(dKey(d));
    }
  };

  deployments.addHandler({
    onAdd: (d) => runner.enqueue(dKey(d)),
    onUpdate: (_, d) => runner.enqueue(dKey(d)),
    onDelete: (d) => runner.enqueue(dKey(d)),
  });
  rsInf.addHandler({
    onAdd: (rs) => {
      const owner = resolve(rs.metadata.namespace, controllerOf(rs.metadata));
      if (owner) runner.enqueue(dKey(owner));
      else if (!controllerOf(rs.metadata) && !rs.metadata.deletionTimestamp) enqueueMatching(rs);
    },
    onUpdate: (old, cur) => {
      if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
      const curRef = controllerOf(cur.metadata);
      const oldRef = controllerOf(old.metadata);
      if (JSON.stringify(curRef ?? null) !== JSON.stringify(oldRef ?? null)) {
        const prev = resolve(old.metadata.namespace, oldRef);
        if (prev) runner.enqueue(dKey(prev));
      }
      if (curRef) {
        const owner = resolve(cur.metadata.namespace, curRef);
        if (owner) runner.enqueue(dKey(owner));
        return;
      }
      const labelsChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {});
      if (labelsChanged || oldRef) enqueueMatching(cur);
    },
    onDelete: (rs) => {
      const owner = resolve(rs.metadata.namespace, controllerOf(rs.metadata));
      if (owner) runner.enqueue(dKey(owner));
    },
  });
  // Recreate waits for every old pod to be gone before it creates the new ReplicaSet.
  pods.addHandler({
    onDelete: (p) => {
      const rs = rsInf.getByName(p.metadata.namespace, controllerOf(p.metadata)?.name ?? '');
      if (!rs || rs.metadata.uid !== controllerOf(p.metadata)?.uid) return;
      const d = resolve(rs.metadata.namespace, controllerOf(rs.metadata));
      if (d && d.spec.strategy?.type === 'Recreate') runner.enqueue(dKey(d));
    },
  });

  return { name: DEPLOYMENT_CONTROLLER, run: () => runner.run(), stop: () => runner.stop() };
}

/** Starts the Deployment controller alone (own informers unless shared ones are given). */
export function startDeploymentController(o: DeploymentControllerOptions): Promise<RunningController> {
  return startStandalone(o, newDeploymentController);
}
