// Server-side apply of an applied configuration to a live object (or to nothing, for a create),
// as the apiserver's FieldManager.Apply does it: the structured-merge-diff Updater under the
// fieldmanager's layers — strip-meta, managed-fields times, and the two client-side-apply
// interop layers that only act for the manager `kubectl` (conflicts with fields the
// last-applied annotation agrees with are forgiven; the annotation is kept in step).
import { StatusError, badRequest, type KubeObject, type Status, type StatusCause } from '../../api/index.js';
import { schemaFor, type StructNode } from '../../api/schema/index.js';
import { compareObjects, isObj, toFieldSet, validateTyped } from './_typed.js';
import { goJson, pathString } from './_fieldSet.js';
import { ApplyConflicts, decodeManagedFields, encodeManagedFields, managerId, updaterApply, type Conflict, type Managers } from './_managers.js';
import { capUpdateManagers, dropNulls, resetFields, stripManager, withoutManagedFields, zeroObject } from './_common.js';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

export interface ApplyOptions {
  /** The `fieldManager` query parameter (required for apply). */
  fieldManager: string;
  /** The `force` query parameter: take ownership of conflicting fields instead of failing. */
  force: boolean;
  /** When the apply happens; recorded in the manager's entry (default: the current time). */
  now?: Date;
  /** `status` for PATCH …/status; the entry then carries `subresource: status`. */
  subresource?: string;
}

/**
 * Computes the object a server-side apply of `applied` produces from `live` (undefined: the
 * object does not exist yet), with `metadata.managedFields` updated. Returns `live` itself when
 * nothing changes, fields and ownership alike. Throws StatusErrors: 400 when the configuration
 * carries managedFields, 409 (reason Conflict, causes FieldManagerConflict) on conflicts, 500 with
 * structured-merge-diff's text when the configuration does not fit the schema.
 */
export function applyConfiguration(live: KubeObject | undefined, applied: KubeObject, o: ApplyOptions): KubeObject {
  const schema = schemaFor(applied.apiVersion, applied.kind);
  if (!schema) throw badRequest(`server-side apply is not supported for ${gvkString(applied)}`);
  if (Array.isArray(applied.metadata?.managedFields)) throw badRequest('metadata.managedFields must be nil');
  const errs = validateTyped(schema, applied);
  if (errs.length) {
    const text = errs.length === 1 ? errs[0]!.message : ['errors:', ...errs.map((e) => `  ${e.message}`)].join('\n');
    throw serverError(`failed to create typed patch object (${objectGVKNN(applied)}): ${text}`);
  }
  let managers: Managers;
  try {
    managers = decodeManagedFields(live?.metadata.managedFields);
  } catch (e) {
    throw serverError(`failed to decode managed fields: ${(e as Error).message}`);
  }
  const liveValue = live ? withoutManagedFields(live) : zeroObject(schema);
  const now = rfc3339(o.now ?? new Date());
  const manager = { manager: o.fieldManager, operation: 'Apply' as const, apiVersion: applied.apiVersion, ...(o.subresource ? { subresource: o.subresource } : {}) };
  const id = managerId(manager);
  const ignored = resetFields(schema, o.subresource);

  const apply = (force: boolean) => {
    const r = updaterApply({ schema, ignored }, liveValue, applied, managers, manager, force);
    let out = stripManager(r.managers, id);
    const entry = out.get(id);
    if (r.object !== undefined && entry) entry.time = now;
    out = capUpdateManagers(out);
    return { object: r.object, managers: out };
  };

  let result: { object: unknown; managers: Managers };
  try {
    result = apply(o.force);
  } catch (e) {
    if (!(e instanceof ApplyConflicts)) throw e;
    const remaining = o.fieldManager === 'kubectl' ? conflictsNotExcusedByLastApplied(schema, live, e.conflicts) : e.conflicts;
    if (remaining.length) throw conflictError(remaining);
    result = apply(true);
  }

  const unchangedFields = sameManagers(managers, result.managers);
  if (result.object === undefined && unchangedFields && live) return live;
  const base = result.object === undefined ? liveValue : result.object;
  const out = dropNulls(schema, structuredClone(base)) as KubeObject;
  out.metadata ??= {};
  const encoded = encodeManagedFields(result.managers);
  if (encoded.length) out.metadata.managedFields = encoded;
  else delete out.metadata.managedFields;
  // lastAppliedUpdater: kubectl's server-side apply keeps a client-side apply annotation in step.
  if (o.fieldManager === 'kubectl' && out.metadata.annotations?.[LAST_APPLIED_ANNOTATION] !== undefined) {
    out.metadata.annotations[LAST_APPLIED_ANNOTATION] = buildLastApplied(applied);
  }
  return out;
}

/** The last-applied annotation value for a configuration: its JSON without that annotation. */
export function buildLastApplied(applied: KubeObject): string {
  const copy = structuredClone(applied);
  const annotations = copy.metadata?.annotations;
  if (annotations) delete annotations[LAST_APPLIED_ANNOTATION];
  return `${goJson(copy)}\n`;
}

/**
 * lastAppliedManager: conflicts on fields the live object's last-applied annotation also sets,
 * to the live value, are forgiven (the user moves from client-side to server-side apply).
 */
function conflictsNotExcusedByLastApplied(schema: StructNode, live: KubeObject | undefined, conflicts: Conflict[]): Conflict[] {
  const text = live?.metadata.annotations?.[LAST_APPLIED_ANNOTATION];
  if (!live || !text) return conflicts;
  let lastApplied: unknown;
  try {
    lastApplied = JSON.parse(text);
  } catch {
    return conflicts;
  }
  if (!isObj(lastApplied) || lastApplied.apiVersion !== live.apiVersion || validateTyped(schema, lastApplied).length) return conflicts;
  const liveValue = withoutManagedFields(live);
  const c = compareObjects(schema, lastApplied, liveValue);
  const allowed = toFieldSet(schema, lastApplied).difference(c.modified).difference(c.added).difference(c.removed);
  return conflicts.filter((x) => !allowed.has(x.path));
}

function sameManagers(a: Managers, b: Managers): boolean {
  return JSON.stringify(encodeManagedFields(a)) === JSON.stringify(encodeManagedFields(b));
}

/** printManager: `"kubectl"`, `"kubectl-edit" using v1`, `"x" with subresource "status"`. */
function printManager(c: Conflict): string {
  let s = JSON.stringify(c.entry.manager);
  if (c.entry.subresource) s += ` with subresource ${JSON.stringify(c.entry.subresource)}`;
  if (c.entry.operation === 'Update') s += ` using ${c.entry.apiVersion}`;
  return s;
}

/** internal.NewConflictError: 409 Conflict listing every conflicting field by manager. */
export function conflictError(conflicts: Conflict[]): StatusError {
  const causes: StatusCause[] = conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${printManager(c)}`, field: pathString(c.path) }));
  let message: string;
  if (conflicts.length === 1) {
    const c = conflicts[0]!;
    message = `Apply failed with 1 conflict: conflict with ${printManager(c)}: ${pathString(c.path)}`;
  } else {
    const byManager = new Map<string, Conflict[]>();
    for (const c of conflicts) byManager.set(c.managerId, [...(byManager.get(c.managerId) ?? []), c]);
    const lines: string[] = [];
    for (const id of [...byManager.keys()].sort()) {
      const list = byManager.get(id)!;
      lines.push(`conflicts with ${printManager(list[0]!)}:`);
      for (const c of list) lines.push(`- ${pathString(c.path)}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Conflict', details: { causes }, code: 409 };
  return new StatusError(status);
}

/** An error upstream returns unconverted: 500, no reason (kubectl prints `Error from server: …`). */
function serverError(message: string): StatusError {
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code: 500 });
}

function gvkString(o: KubeObject): string {
  const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/', 2) : ['', o.apiVersion];
  return `${group}/${version}, Kind=${o.kind}`;
}

/** objectGVKNN: `default/web; /v1, Kind=Service`. */
function objectGVKNN(o: KubeObject): string {
  return `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}; ${gvkString(o)}`;
}

export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
