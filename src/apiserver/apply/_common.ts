// What applies and updates share: the fields nobody may own, the reset fields of an endpoint,
// the zero object a create is compared against, and clean-up of merged objects.
import type { KubeObject } from '../../api/index.js';
import { fieldOf, type SchemaNode, type StructNode } from '../../api/schema/index.js';
import { FieldSet, type Path } from './_fieldSet.js';
import { isObj, zeroValue } from './_typed.js';
import { cloneManagers, managerId, type Managers } from './_managers.js';

const f = (...names: string[]): Path => names.map((field) => ({ field }));

/** StripMetaManager's set: fields no manager ever owns. */
export const STRIPPED = FieldSet.of(
  f('apiVersion'),
  f('kind'),
  f('metadata'),
  f('metadata', 'name'),
  f('metadata', 'namespace'),
  f('metadata', 'creationTimestamp'),
  f('metadata', 'selfLink'),
  f('metadata', 'uid'),
  f('metadata', 'clusterName'),
  f('metadata', 'generation'),
  f('metadata', 'managedFields'),
  f('metadata', 'resourceVersion'),
);

/**
 * The reset fields of an endpoint (strategy GetResetFields): on the main resource a kind's
 * `status`, on /status its `spec`. Changes there are never recorded as anyone's.
 */
export function resetFields(schema: StructNode, subresource: string | undefined): FieldSet {
  const field = subresource === 'status' ? 'spec' : subresource ? undefined : 'status';
  return field && fieldOf(schema, field) ? FieldSet.of(f(field)) : new FieldSet();
}

/** The live side of a create: the kind's zero value, as Go's encoder writes it. */
export function zeroObject(schema: StructNode): unknown {
  return zeroValue(schema);
}

/** A copy without metadata.managedFields (never compared, merged or owned). */
export function withoutManagedFields<T extends KubeObject>(o: T): T {
  const copy = structuredClone(o);
  delete copy.metadata.managedFields;
  return copy;
}

/** Removes the stripped fields from one manager's set (stripMetaManager.stripFields). */
export function stripManager(managers: Managers, id: string): Managers {
  const out = cloneManagers(managers);
  const e = out.get(id);
  if (!e) return out;
  e.set = e.set.difference(STRIPPED);
  if (e.set.empty()) out.delete(id);
  return out;
}

/** Drops null-valued struct fields, as decoding into the Go struct and encoding again does. */
export function dropNulls(node: SchemaNode, v: unknown): unknown {
  if (Array.isArray(v)) return node.kind === 'list' ? v.map((x) => dropNulls(node.items, x)) : v;
  if (!isObj(v)) return v;
  if (node.kind === 'struct') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const fd = fieldOf(node, k);
      if (x === null && fd?.zero !== 'null') continue;
      out[k] = fd ? dropNulls(fd.node, x) : x;
    }
    return out;
  }
  if (node.kind === 'map') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = dropNulls(node.values, x);
    return out;
  }
  return v;
}

export const MAX_UPDATE_MANAGERS = 10;

/**
 * capManagersManager: past 10 Update managers, the oldest are folded into one
 * `ancient-changes` entry per API version.
 */
export function capUpdateManagers(managers: Managers): Managers {
  const updaters = [...managers].filter(([, e]) => e.operation === 'Update');
  if (updaters.length <= MAX_UPDATE_MANAGERS) return managers;
  const seconds = (t?: string) => (t ? Math.floor(Date.parse(t) / 1000) : 0);
  updaters.sort(([ia, a], [ib, b]) => seconds(a.time) - seconds(b.time) || (ia < ib ? -1 : ia > ib ? 1 : 0));
  const out = cloneManagers(managers);
  let length = updaters.length;
  for (const [id, e] of updaters) {
    if (length <= MAX_UPDATE_MANAGERS) break;
    const bucket = { manager: 'ancient-changes', operation: 'Update' as const, apiVersion: e.apiVersion };
    const bucketId = managerId(bucket);
    if (bucketId === id) continue;
    const prev = out.get(bucketId);
    if (!prev) length++;
    out.set(bucketId, { ...bucket, ...(e.time ? { time: e.time } : {}), set: prev ? prev.set.union(e.set) : e.set });
    out.delete(id);
    length--;
  }
  return out;
}
