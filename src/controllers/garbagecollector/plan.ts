// What the garbage collector does with one object (pkg/controller/garbagecollector
// attemptToDeleteItem, processDeletingDependentsItem, attemptToOrphan), as a pure decision over
// the object, the state of its owners and its dependents.
import type { ObjectMeta, OwnerReference, PropagationPolicy } from '../../api/index.js';

export const FOREGROUND_FINALIZER = 'foregroundDeletion';
export const ORPHAN_FINALIZER = 'orphan';

/**
 * solid: the owner exists and is not waiting for its dependents; dangling: it is gone (or a
 * different object now has its name); waiting: it is being deleted in the foreground.
 */
export type OwnerState = 'solid' | 'dangling' | 'waiting';

export interface ClassifiedOwner {
  ref: OwnerReference;
  state: OwnerState;
}

export interface DependentInfo {
  /** The GC key of the dependent (`<plural>:<namespace>/<name>`). */
  key: string;
  /** Its reference to the object has blockOwnerDeletion. */
  blocking: boolean;
}

export interface GcInputs {
  metadata: ObjectMeta;
  /** The object's owners, classified (empty when it has none). */
  owners: readonly ClassifiedOwner[];
  /** Objects whose ownerReferences name this object's uid. */
  dependents: readonly DependentInfo[];
}

export type GcPlan =
  | { action: 'none' }
  /** Keep the object (it has a live owner) but drop references to owners that are gone or going. */
  | { action: 'removeOwnerReferences'; uids: string[] }
  | { action: 'delete'; policy: PropagationPolicy }
  /** Remove this object's reference from each dependent, then the `orphan` finalizer. */
  | { action: 'orphanDependents'; dependents: string[] }
  /** Foreground deletion is done waiting: remove the `foregroundDeletion` finalizer. */
  | { action: 'removeForegroundFinalizer' }
  /** Foreground deletion waits: have every dependent looked at (and deleted). */
  | { action: 'deleteDependents'; dependents: string[] };

export function planGarbageCollection(i: GcInputs): GcPlan {
  const meta = i.metadata;
  const finalizers = meta.finalizers ?? [];
  if (meta.deletionTimestamp) {
    if (finalizers.includes(ORPHAN_FINALIZER)) return { action: 'orphanDependents', dependents: i.dependents.map((d) => d.key) };
    if (finalizers.includes(FOREGROUND_FINALIZER)) {
      // Only dependents that block owner deletion hold the owner back; all of them are deleted.
      if (!i.dependents.some((d) => d.blocking)) return { action: 'removeForegroundFinalizer' };
      return { action: 'deleteDependents', dependents: i.dependents.map((d) => d.key) };
    }
    // Being deleted already: wait for the deletion, then its dependents are looked at.
    return { action: 'none' };
  }
  if (i.owners.length === 0) return { action: 'none' };
  const solid = i.owners.filter((o) => o.state === 'solid');
  const gone = i.owners.filter((o) => o.state !== 'solid');
  if (solid.length > 0) {
    return gone.length ? { action: 'removeOwnerReferences', uids: gone.map((o) => o.ref.uid) } : { action: 'none' };
  }
  // No live owner left: collect the object.
  if (i.owners.some((o) => o.state === 'waiting') && i.dependents.length > 0) return { action: 'delete', policy: 'Foreground' };
  if (finalizers.includes(ORPHAN_FINALIZER)) return { action: 'delete', policy: 'Orphan' };
  if (finalizers.includes(FOREGROUND_FINALIZER)) return { action: 'delete', policy: 'Foreground' };
  return { action: 'delete', policy: 'Background' };
}
