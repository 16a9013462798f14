// The status conditions a terminating namespace reports while it is emptied
// (pkg/controller/namespace/deletion/status_condition_utils.go), as a pure function of what the
// last deletion pass found.
import type { Condition } from '../../api/index.js';

export interface ContentTotals {
  /** Remaining objects by `resource.group` (core group empty: `pods.`). */
  remaining: ReadonlyMap<string, number>;
  /** Remaining objects by finalizer. */
  finalizers: ReadonlyMap<string, number>;
  /** Errors from deleting content, one per resource that failed. */
  deleteErrors: readonly string[];
}

const CONDITION_TYPES = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;

const OK: Record<(typeof CONDITION_TYPES)[number], { reason: string; message: string }> = {
  NamespaceDeletionDiscoveryFailure: { reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
  NamespaceDeletionGroupVersionParsingFailure: { reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
  NamespaceDeletionContentFailure: { reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
  NamespaceContentRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
  NamespaceFinalizersRemaining: { reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
};

/** The failing conditions a deletion pass produced. */
function failures(t: ContentTotals): Map<string, { reason: string; message: string }> {
  const out = new Map<string, { reason: string; message: string }>();
  if (t.deleteErrors.length) {
    const msgs = [...t.deleteErrors].sort();
    out.set('NamespaceDeletionContentFailure', {
      reason: 'ContentDeletionFailed',
      message: `Failed to delete all resource types, ${msgs.length} remaining: ${msgs.join(', ')}`,
    });
  }
  const remaining = [...t.remaining].filter(([, n]) => n > 0).map(([gr, n]) => `${gr} has ${n} resource instances`).sort();
  if (remaining.length) out.set('NamespaceContentRemaining', { reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${remaining.join(', ')}` });
  const byFinalizer = [...t.finalizers].filter(([, n]) => n > 0).map(([f, n]) => `${f} in ${n} resource instances`).sort();
  if (byFinalizer.length) {
    out.set('NamespaceFinalizersRemaining', { reason: 'SomeFinalizersRemain', message: `Some content in the namespace has finalizers remaining: ${byFinalizer.join(', ')}` });
  }
  return out;
}

/**
 * updateConditions: every condition type present, True with the failure or False with the "ok"
 * text; the transition time moves only when the status flips. Returns the new list and whether
 * it changed.
 */
export function namespaceConditions(current: readonly Condition[] | undefined, o: { totals: ContentTotals; now: string }): { conditions: Condition[]; changed: boolean } {
  const { totals, now } = o;
  const fails = failures(totals);
  const out = (current ?? []).map((c) => ({ ...c }));
  let changed = false;
  for (const type of CONDITION_TYPES) {
    const f = fails.get(type);
    const want: Condition = f ? { type, status: 'True', lastTransitionTime: now, ...f } : { type, status: 'False', lastTransitionTime: now, ...OK[type] };
    const i = out.findIndex((c) => c.type === type);
    const cur = out[i];
    if (!cur) {
      out.push(want);
      changed = true;
    } else if (cur.status !== want.status || cur.reason !== want.reason || cur.message !== want.message) {
      out[i] = { ...cur, status: want.status, reason: want.reason ?? '', message: want.message ?? '', lastTransitionTime: cur.status !== want.status ? now : (cur.lastTransitionTime ?? now) };
      changed = true;
    }
  }
  return { conditions: out, changed };
}
