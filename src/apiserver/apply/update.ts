// Field ownership for ordinary writes (create, update, patch): FieldManager.Update. The writer
// becomes the owner of every field its write adds or changes, other managers lose those fields,
// and fields the write removes leave every manager's set — so later applies conflict exactly
// where upstream's would.
import type { KubeObject, ManagedFieldsEntry } from '../../api/index.js';
import { schemaFor } from '../../api/schema/index.js';
import { decodeManagedFields, encodeManagedFields, managerId, updaterUpdate, type Managers } from './_managers.js';
import { capUpdateManagers, resetFields, stripManager, withoutManagedFields, zeroObject } from './_common.js';
import { rfc3339 } from './apply.js';

export interface UpdateOptions {
  /** The `fieldManager` parameter, or upstream's fallback (the user agent up to its first `/`). */
  manager: string;
  /** When the write happens (default: the current time). */
  now?: Date;
  /** `status` for writes to …/status: entries carry it, and only live managedFields count. */
  subresource?: string;
}

/**
 * Returns `next` (a copy) with `metadata.managedFields` recording this write by `manager`.
 * `live` is the stored object, undefined for a create. As upstream:
 * - managedFields sent by the client replace the stored ones (an empty list, or one empty
 *   entry, resets them); absent or unreadable, the stored ones are kept;
 * - an existing object whose managedFields are empty stays untracked;
 * - the manager's entry gets `time` only when the write took fields;
 * - never throws: if the stored managedFields cannot be read, the result has none.
 */
export function recordUpdate<T extends KubeObject>(live: KubeObject | undefined, next: T, o: UpdateOptions): T {
  const out = structuredClone(next);
  out.metadata ??= {};
  const schema = schemaFor(next.apiVersion, next.kind);
  if (!schema) return out;
  let managers: Managers;
  try {
    managers = liveOrNew(live, next, { ignoreNew: !!o.subresource });
  } catch {
    delete out.metadata.managedFields;
    return out;
  }
  delete out.metadata.managedFields;
  // skipNonAppliedManager: an existing object nobody tracks stays untracked.
  if (managers.size === 0 && live) return out;
  const self = { manager: 'current-operation', operation: 'Update' as const, apiVersion: next.apiVersion, ...(o.subresource ? { subresource: o.subresource } : {}) };
  const selfId = managerId(self);
  const liveValue = live ? withoutManagedFields(live) : zeroObject(schema);
  let result: Managers;
  try {
    result = stripManager(updaterUpdate({ schema, ignored: resetFields(schema, o.subresource) }, liveValue, out, managers, self), selfId);
  } catch {
    return out;
  }
  // managedFieldsUpdater: what the operation took goes to the manager, stamped with the time.
  const took = result.get(selfId);
  if (took) {
    result.delete(selfId);
    const entry = { manager: o.manager, operation: 'Update' as const, apiVersion: next.apiVersion, ...(o.subresource ? { subresource: o.subresource } : {}) };
    const id = managerId(entry);
    const prev = result.get(id);
    result.set(id, { ...entry, time: rfc3339(o.now ?? new Date()), set: prev ? took.set.union(prev.set) : took.set });
  }
  const encoded = encodeManagedFields(capUpdateManagers(result));
  if (encoded.length) out.metadata.managedFields = encoded;
  return out;
}

/** decodeLiveOrNew. */
function liveOrNew(live: KubeObject | undefined, next: KubeObject, o: { ignoreNew: boolean }): Managers {
  const fromLive = () => decodeManagedFields(live?.metadata.managedFields);
  if (o.ignoreNew) return fromLive();
  const sent = next.metadata?.managedFields;
  if (isReset(sent)) return new Map();
  try {
    const m = decodeManagedFields(sent);
    if (m.size) return m;
  } catch {
    // Unreadable managedFields from a client fall back to the stored ones, as upstream.
  }
  return fromLive();
}

function isReset(m: ManagedFieldsEntry[] | undefined): boolean {
  if (!Array.isArray(m)) return false;
  if (m.length === 0) return true;
  return m.length === 1 && Object.keys(m[0] ?? {}).length === 0;
}
