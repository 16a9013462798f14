// Field managers and their sets, as the apiserver's fieldmanager keeps them: decoded from and
// encoded to metadata.managedFields, keyed by the manager identifier (BuildManagerIdentifier),
// and the structured-merge-diff Updater (merge/update.go) that moves fields between them.
import type { ManagedFieldsEntry } from '../../api/index.js';
import type { SchemaNode } from '../../api/schema/index.js';
import { FieldSet, fromFieldsV1, toFieldsV1Object, type Path } from './_fieldSet.js';
import { compareObjects, ensureNamedFieldsAreMembers, excludeFields, isSame, mergeValues, removeItems, toFieldSet, type Comparison } from './_typed.js';

export type Operation = 'Apply' | 'Update';

export interface ManagerEntry {
  manager: string;
  operation: Operation;
  /** The group-version the fields were recorded in (`v1`, `apps/v1`). */
  apiVersion: string;
  subresource?: string;
  /** RFC 3339, seconds. */
  time?: string;
  set: FieldSet;
}

/** Manager identifier → entry. */
export type Managers = Map<string, ManagerEntry>;

/** BuildManagerIdentifier: the entry's JSON without time and fields; appliers without apiVersion. */
export function managerId(e: Pick<ManagerEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  return JSON.stringify({
    ...(e.manager ? { manager: e.manager } : {}),
    operation: e.operation,
    ...(e.operation === 'Update' && e.apiVersion ? { apiVersion: e.apiVersion } : {}),
    ...(e.subresource ? { subresource: e.subresource } : {}),
  });
}

/** DecodeManagedFields. Throws (with upstream's text) on entries it cannot read. */
export function decodeManagedFields(entries: readonly ManagedFieldsEntry[] | undefined): Managers {
  const out: Managers = new Map();
  for (const e of entries ?? []) {
    if (e.fieldsType !== 'FieldsV1') throw new Error(`error decoding versioned set from ${JSON.stringify(e)}: only fieldsType FieldsV1 is supported`);
    const operation = e.operation;
    if (operation !== 'Apply' && operation !== 'Update') throw new Error(`error decoding managed fields: unsupported operation ${JSON.stringify(operation)}`);
    const entry: ManagerEntry = {
      manager: e.manager ?? '',
      operation,
      apiVersion: e.apiVersion ?? '',
      ...(e.subresource ? { subresource: e.subresource } : {}),
      ...(e.time ? { time: e.time } : {}),
      set: fromFieldsV1(e.fieldsV1 ?? {}),
    };
    const id = managerId(entry);
    if (out.has(id)) throw new Error(`error decoding managed fields: found duplicate manager: ${id}`);
    out.set(id, entry);
  }
  return out;
}

/** encodeManagedFields + sortEncodedManagedFields: Apply before Update, then by time, manager, version. */
export function encodeManagedFields(managers: Managers): ManagedFieldsEntry[] {
  const entries = [...managers.values()].filter((e) => !e.set.empty());
  const seconds = (t?: string) => (t ? Math.floor(Date.parse(t) / 1000) : 0);
  entries.sort(
    (p, q) =>
      cmp(p.operation, q.operation) ||
      seconds(p.time) - seconds(q.time) ||
      cmp(p.manager, q.manager) ||
      cmp(p.apiVersion, q.apiVersion) ||
      cmp(p.subresource ?? '', q.subresource ?? ''),
  );
  return entries.map((e) => ({
    manager: e.manager,
    operation: e.operation,
    apiVersion: e.apiVersion,
    ...(e.time ? { time: e.time } : {}),
    fieldsType: 'FieldsV1' as const,
    fieldsV1: toFieldsV1Object(e.set),
    ...(e.subresource ? { subresource: e.subresource } : {}),
  }));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function cloneManagers(m: Managers): Managers {
  return new Map([...m].map(([id, e]) => [id, { ...e }]));
}

export interface Conflict {
  managerId: string;
  entry: ManagerEntry;
  path: Path;
}

/** merge.Conflicts: fields another manager owns that an apply would change. */
export class ApplyConflicts extends Error {
  constructor(readonly conflicts: Conflict[]) {
    super(`${conflicts.length} conflicts`);
    this.name = 'ApplyConflicts';
  }
}

export interface UpdaterOptions {
  schema: SchemaNode;
  /** Fields nobody owns on this endpoint (the reset fields: `status` on the main resource). */
  ignored: FieldSet;
}

/** Updater.update: conflicts and removals of `next` against every other manager. */
function update(o: UpdaterOptions, live: unknown, next: unknown, managers: Managers, workflow: string, force: boolean): { managers: Managers; compare: Comparison } {
  const compare = excludeFields(compareObjects(o.schema, live, next), o.ignored);
  const changed = compare.modified.union(compare.added);
  const conflicts: Conflict[] = [];
  const conflictSets = new Map<string, FieldSet>();
  for (const [id, e] of managers) {
    if (id === workflow) continue;
    const c = e.set.intersection(changed);
    if (!c.empty()) {
      conflictSets.set(id, c);
      for (const path of c.paths()) conflicts.push({ managerId: id, entry: e, path });
    }
  }
  if (!force && conflicts.length) throw new ApplyConflicts(conflicts);
  const out = cloneManagers(managers);
  for (const [id, c] of conflictSets) {
    const e = out.get(id);
    if (e) e.set = e.set.difference(c);
  }
  if (!compare.removed.empty()) {
    for (const [id, e] of out) if (id !== workflow) e.set = e.set.difference(compare.removed);
  }
  for (const [id, e] of out) if (e.set.empty()) out.delete(id);
  return { managers: out, compare };
}

/** Updater.Update: a non-apply write; `manager` takes every field it changed. */
export function updaterUpdate(o: UpdaterOptions, live: unknown, next: unknown, managers: Managers, manager: Omit<ManagerEntry, 'set' | 'time'>): Managers {
  const id = managerId(manager);
  const { managers: out, compare } = update(o, live, next, managers, id, true);
  const prev = out.get(id)?.set ?? new FieldSet();
  const set = prev.union(compare.modified).union(compare.added).difference(compare.removed).recursiveDifference(o.ignored);
  if (set.empty()) out.delete(id);
  else out.set(id, { ...manager, ...(out.get(id)?.time ? { time: out.get(id)?.time } : {}), set });
  return out;
}

/**
 * Updater.Apply: merges `config` into `live`, gives `manager` exactly the fields of `config`,
 * removes the fields it applied last time and no longer does (unless another manager owns
 * them), and checks conflicts. `object` is undefined when nothing changes.
 */
export function updaterApply(
  o: UpdaterOptions,
  live: unknown,
  config: unknown,
  managers: Managers,
  manager: Omit<ManagerEntry, 'set' | 'time'>,
  force: boolean,
): { object: unknown; managers: Managers } {
  const id = managerId(manager);
  const merged = mergeValues(o.schema, live, config);
  const lastSet = managers.get(id)?.set;
  const working = cloneManagers(managers);
  const set = toFieldSet(o.schema, config).recursiveDifference(o.ignored);
  working.set(id, { ...manager, ...(managers.get(id)?.time ? { time: managers.get(id)?.time } : {}), set });
  const pruned = prune(o, merged, working, lastSet);
  const { managers: out, compare } = update(o, live, pruned, working, id, force);
  return { object: isSame(compare) ? undefined : pruned, managers: out };
}

/** Updater.prune: drops what the applier owned last time and no longer applies, unless owned by others. */
function prune(o: UpdaterOptions, merged: unknown, managers: Managers, lastSet: FieldSet | undefined): unknown {
  if (!lastSet || lastSet.empty()) return merged;
  const named = (s: FieldSet) => ensureNamedFieldsAreMembers(o.schema, s);
  let pruned = removeItems(o.schema, merged, named(lastSet));
  // addBackOwnedItems
  let owned = new FieldSet();
  for (const e of managers.values()) owned = owned.union(e.set);
  const mergedSet = named(toFieldSet(o.schema, merged));
  pruned = removeItems(o.schema, merged, mergedSet.difference(named(toFieldSet(o.schema, pruned)).union(named(owned))));
  // addBackDanglingItems
  const prunedSet = named(toFieldSet(o.schema, pruned));
  return removeItems(o.schema, merged, mergedSet.difference(prunedSet).intersection(named(lastSet)));
}
