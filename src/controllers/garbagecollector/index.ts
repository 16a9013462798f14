// The garbage collector: deletes objects whose owners (ownerReferences, by uid) are gone, carries
// out Foreground deletion (delete the dependents, wait for those with blockOwnerDeletion, then
// remove the `foregroundDeletion` finalizer) and Orphan deletion (strip the owner from its
// dependents, then remove the `orphan` finalizer). Background deletion needs nothing more: the API
// removes the owner at once and its dependents are collected as dangling.
//
// Level-triggered over the shared caches of every monitored resource (indexed by owner uid);
// an owner missing from the cache is confirmed with a live read before anything is deleted.
import { realClock, type Client, type Clock } from '../../client/index.js';
import {
  allResourceTypes,
  findByKind,
  isConflict,
  isNotFound,
  splitKey,
  type KubeObject,
  type OwnerReference,
  type ResourceType,
  type Stored,
} from '../../api/index.js';
import { OWNER_INDEX, SharedInformers, UID_INDEX, type Log, startStandalone } from '../_informers.js';
import { QueueRunner, type RunningController } from '../_runner.js';
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER, planGarbageCollection, type ClassifiedOwner, type DependentInfo, type GcPlan } from './plan.js';

export { planGarbageCollection, FOREGROUND_FINALIZER, ORPHAN_FINALIZER, type GcPlan, type GcInputs, type OwnerState, type ClassifiedOwner, type DependentInfo } from './plan.js';

export const GARBAGE_COLLECTOR = 'garbage-collector-controller';

/** Every served resource but events (which nothing owns, and which are the most numerous). */
export const DEFAULT_GC_RESOURCES: readonly ResourceType[] = allResourceTypes.filter((t) => t.plural !== 'events');

export interface GarbageCollectorOptions {
  client: Client;
  informers?: SharedInformers;
  clock?: Clock;
  log?: Log;
  workers?: number;
  /** Resources whose objects may be owners or dependents (default: all but events). */
  resources?: readonly ResourceType[];
}

export interface GarbageCollector extends RunningController {
  run(): void;
}

type Obj = Stored<KubeObject>;

const gcKey = (type: ResourceType, o: { metadata: { namespace?: string; name?: string } }) =>
  `${type.plural}:${type.namespaced ? `${o.metadata.namespace ?? ''}/` : ''}${o.metadata.name ?? ''}`;

const hasDeletionFinalizer = (o: Obj) => !!o.metadata.deletionTimestamp && (o.metadata.finalizers ?? []).some((f) => f === ORPHAN_FINALIZER || f === FOREGROUND_FINALIZER);

export function newGarbageCollector(o: GarbageCollectorOptions & { informers: SharedInformers }): GarbageCollector {
  const { client, informers } = o;
  const clock = o.clock ?? realClock;
  const types = new Map((o.resources ?? DEFAULT_GC_RESOURCES).map((t) => [t.plural, t]));
  const monitored = [...types.values()].map((type) => ({ type, inf: informers.forType<KubeObject>(type) }));
  const infs = new Map(monitored.map((m) => [m.type.plural, m.inf]));

  const parse = (key: string): { type: ResourceType; namespace: string; name: string } | undefined => {
    const i = key.indexOf(':');
    const type = types.get(key.slice(0, i));
    if (!type) return undefined;
    const rest = key.slice(i + 1);
    return type.namespaced ? { type, ...splitKey(rest) } : { type, namespace: '', name: rest };
  };

  const dependentsOf = (uid: string): { type: ResourceType; obj: Obj }[] => {
    const out: { type: ResourceType; obj: Obj }[] = [];
    for (const { type, inf } of monitored) for (const obj of inf.byIndex(OWNER_INDEX, uid)) out.push({ type, obj });
    return out;
  };

  /** Finds an owner by uid in the caches, confirming a miss with a live read by name. */
  const classify = async (dep: Obj, ref: OwnerReference): Promise<ClassifiedOwner> => {
    const type = findByKind(ref.apiVersion, ref.kind);
    // An owner of a kind this cluster does not serve, or a namespaced owner of a cluster-scoped
    // object, is never treated as gone: collecting on a guess is worse than keeping.
    if (!type || (type.namespaced && !dep.metadata.namespace)) return { ref, state: 'solid' };
    const ns = type.namespaced ? dep.metadata.namespace : undefined;
    let owner: Obj | undefined = infs.get(type.plural)?.byIndex(UID_INDEX, ref.uid)[0];
    if (owner && type.namespaced && owner.metadata.namespace !== ns) owner = undefined;
    if (!owner) {
      try {
        owner = await client.resource<KubeObject>(type, ns).get(ref.name);
      } catch (e) {
        if (isNotFound(e)) return { ref, state: 'dangling' };
        throw e;
      }
      if (owner.metadata.uid !== ref.uid) return { ref, state: 'dangling' };
    }
    const waiting = !!owner.metadata.deletionTimestamp && (owner.metadata.finalizers ?? []).includes(FOREGROUND_FINALIZER);
    return { ref, state: waiting ? 'waiting' : 'solid' };
  };

  const reconcile = async (key: string): Promise<void> => {
    const where = parse(key);
    if (!where) return;
    const obj = infs.get(where.type.plural)?.getByName(where.type.namespaced ? where.namespace : undefined, where.name);
    if (!obj) return;
    const dependents: DependentInfo[] = dependentsOf(obj.metadata.uid).map(({ type, obj: d }) => ({
      key: gcKey(type, d),
      blocking: (d.metadata.ownerReferences ?? []).some((r) => r.uid === obj.metadata.uid && r.blockOwnerDeletion === true),
    }));
    const owners: ClassifiedOwner[] = [];
    if (!obj.metadata.deletionTimestamp) for (const ref of obj.metadata.ownerReferences ?? []) owners.push(await classify(obj, ref));
    const plan = planGarbageCollection({ metadata: obj.metadata, owners, dependents });
    await applyPlan(where.type, obj, plan);
  };

  const api = (type: ResourceType, o: Obj) => client.resource<KubeObject>(type, type.namespaced ? o.metadata.namespace : undefined);

  /** Read-modify-write from the cached copy; a conflict fails the reconcile and the runner retries. */
  const rewrite = async (type: ResourceType, o: Obj, change: (meta: Obj['metadata']) => void): Promise<void> => {
    const copy = structuredClone(o);
    change(copy.metadata);
    try {
      await api(type, o).update(copy);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  };

  const applyPlan = async (type: ResourceType, obj: Obj, plan: GcPlan): Promise<void> => {
    switch (plan.action) {
      case 'none':
        return;
      case 'removeOwnerReferences':
        return rewrite(type, obj, (m) => {
          m.ownerReferences = (m.ownerReferences ?? []).filter((r) => !plan.uids.includes(r.uid));
        });
      case 'delete':
        try {
          await api(type, obj).delete(obj.metadata.name, { propagationPolicy: plan.policy, preconditions: { uid: obj.metadata.uid } });
        } catch (e) {
          // Gone already, or the name now belongs to another object.
          if (!isNotFound(e) && !isConflict(e)) throw e;
        }
        return;
      case 'orphanDependents': {
        for (const depKey of plan.dependents) {
          const at = parse(depKey);
          const dep = at && infs.get(at.type.plural)?.getByName(at.type.namespaced ? at.namespace : undefined, at.name);
          if (!at || !dep) continue;
          await rewrite(at.type, dep, (m) => {
            m.ownerReferences = (m.ownerReferences ?? []).filter((r) => r.uid !== obj.metadata.uid);
          });
        }
        return rewrite(type, obj, (m) => {
          m.finalizers = (m.finalizers ?? []).filter((f) => f !== ORPHAN_FINALIZER);
        });
      }
      case 'removeForegroundFinalizer':
        return rewrite(type, obj, (m) => {
          m.finalizers = (m.finalizers ?? []).filter((f) => f !== FOREGROUND_FINALIZER);
        });
      case 'deleteDependents':
        for (const k of plan.dependents) runner.enqueue(k);
        return;
      default: {
        const never: never = plan;
        return never;
      }
    }
  };

  const runner = new QueueRunner(GARBAGE_COLLECTOR, reconcile, { clock, ...(o.log ? { log: o.log } : {}), workers: o.workers ?? 4 });

  /** Owners of `o` in foreground deletion: they wait on `o` and must look again when it changes. */
  const enqueueWaitingOwners = (refs: readonly OwnerReference[] | undefined) => {
    for (const ref of refs ?? []) {
      const t = findByKind(ref.apiVersion, ref.kind);
      const owner = t && infs.get(t.plural)?.byIndex(UID_INDEX, ref.uid)[0];
      if (t && owner && hasDeletionFinalizer(owner)) runner.enqueue(gcKey(t, owner));
    }
  };

  for (const { type, inf } of monitored) {
    inf.addHandler({
      onAdd: (obj) => {
        if (obj.metadata.ownerReferences?.length || hasDeletionFinalizer(obj)) runner.enqueue(gcKey(type, obj));
      },
      onUpdate: (old, cur) => {
        const refsChanged = JSON.stringify(old.metadata.ownerReferences ?? []) !== JSON.stringify(cur.metadata.ownerReferences ?? []);
        const deletionChanged =
          old.metadata.deletionTimestamp !== cur.metadata.deletionTimestamp || JSON.stringify(old.metadata.finalizers ?? []) !== JSON.stringify(cur.metadata.finalizers ?? []);
        if (refsChanged) {
          runner.enqueue(gcKey(type, cur));
          const kept = new Set((cur.metadata.ownerReferences ?? []).map((r) => r.uid));
          enqueueWaitingOwners((old.metadata.ownerReferences ?? []).filter((r) => !kept.has(r.uid)));
        }
        if (deletionChanged && hasDeletionFinalizer(cur)) runner.enqueue(gcKey(type, cur));
      },
      onDelete: (obj) => {
        for (const { type: t, obj: d } of dependentsOf(obj.metadata.uid)) runner.enqueue(gcKey(t, d));
        enqueueWaitingOwners(obj.metadata.ownerReferences);
      },
    });
  }

  return { name: GARBAGE_COLLECTOR, run: () => runner.run(), stop: () => runner.stop() };
}

/** Starts the garbage collector alone (own informers unless shared ones are given). */
export function startGarbageCollector(o: GarbageCollectorOptions): Promise<RunningController> {
  return startStandalone(o, newGarbageCollector);
}
