// Adoption and orphaning by selector (pkg/controller/controller_ref_manager.go ClaimObject), as a
// pure plan: which candidates the owner keeps, which orphans it adopts, and which of its own it
// releases because their labels no longer match.
import type { ObjectMeta, OwnerReference } from '../api/index.js';
import { controllerOf } from './_meta.js';

export interface ClaimPlan<T> {
  /** Owned after the plan is applied: already ours and matching, plus the adopted. */
  owned: T[];
  adopt: T[];
  release: T[];
}

export interface ClaimOwner {
  uid: string;
  namespace?: string;
  deleting: boolean;
}

export function planClaims<T extends { metadata: ObjectMeta }>(owner: ClaimOwner, o: { matches: (x: T) => boolean; candidates: readonly T[] }): ClaimPlan<T> {
  const { matches, candidates } = o;
  const plan: ClaimPlan<T> = { owned: [], adopt: [], release: [] };
  for (const c of candidates) {
    const ref = controllerOf(c.metadata);
    if (ref) {
      if (ref.uid !== owner.uid) continue;
      if (matches(c)) plan.owned.push(c);
      else if (!owner.deleting) plan.release.push(c);
      continue;
    }
    if (owner.deleting || !matches(c) || c.metadata.deletionTimestamp) continue;
    if (owner.namespace && owner.namespace !== c.metadata.namespace) continue;
    plan.adopt.push(c);
    plan.owned.push(c);
  }
  return plan;
}

/** The ownerReferences after adopting: the new controller reference appended. */
export function withOwner(meta: ObjectMeta, ref: OwnerReference): OwnerReference[] {
  return [...(meta.ownerReferences ?? []).filter((r) => r.uid !== ref.uid), ref];
}

/** The ownerReferences after releasing the owner with `uid`. */
export function withoutOwner(meta: ObjectMeta, uid: string): OwnerReference[] {
  return (meta.ownerReferences ?? []).filter((r) => r.uid !== uid);
}
