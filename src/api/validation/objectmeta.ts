// ObjectMeta validation as apimachinery pkg/api/validation/objectmeta.go plus the extra finalizer
// rule of pkg/apis/core/validation (ValidateObjectMeta / ValidateObjectMetaUpdate). Go maps are
// walked in sorted key order so messages are deterministic.
import type { ManagedFieldsEntry, ObjectMeta, OwnerReference } from '../meta.js';
import { field, FieldPath, GoValue, goQuote, root, type BadValue, type FieldError } from '../field.js';
import { isDNS1123Label, isQualifiedName, isValidLabelValue, validateName, type NameRule } from '../names.js';
import { goTime } from './_gofmt.js';

export const IS_NEGATIVE_ERROR_MSG = 'must be greater than or equal to 0';
export const FIELD_IMMUTABLE_ERROR_MSG = 'field is immutable';
/** `TotalAnnotationSizeLimitB`: 256 KiB over all keys and values. */
export const TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * 1024;
const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

export interface ObjectMetaOptions {
  /** Namespaced kinds require `metadata.namespace`; cluster-scoped kinds forbid it. */
  namespaced: boolean;
  /** Which name rule this kind uses (most kinds: DNS1123Subdomain; Namespace: DNS1123Label; Service: DNS1035Label). */
  nameRule: NameRule;
  /** Where the metadata sits; `metadata` unless it is embedded. */
  path?: FieldPath;
}

const sortedKeys = (m: Readonly<Record<string, unknown>> | undefined | null) => Object.keys(m ?? {}).sort();

/** `ValidateNonnegativeField`. */
export function validateNonnegative(value: number | undefined, path: FieldPath): FieldError[] {
  return value !== undefined && value < 0 ? [field.invalid(path, value, IS_NEGATIVE_ERROR_MSG)] : [];
}

/** `ValidateImmutableField` for values compared by JSON identity; `render` gives the Go text of the new value. */
export function validateImmutable(newVal: unknown, oldVal: unknown, path: FieldPath, render?: (v: unknown) => BadValue): FieldError[] {
  if (semanticEqual(newVal, oldVal)) return [];
  const shown: BadValue = render ? render(newVal) : typeof newVal === 'string' || typeof newVal === 'number' || typeof newVal === 'boolean' ? newVal : newVal === undefined ? null : new GoValue(JSON.stringify(newVal));
  return [field.invalid(path, shown, FIELD_IMMUTABLE_ERROR_MSG)];
}

/**
 * `apiequality.Semantic.DeepEqual` over JSON values: absent, null and empty slices/maps are equal
 * (the forked reflect treats nil and empty alike); everything else compares structurally.
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  return canonicalJSON(a) === canonicalJSON(b);
}

function canonicalJSON(v: unknown): string {
  return JSON.stringify(canonical(v)) ?? 'null';
}

function canonical(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return v.length === 0 ? null : v.map(canonical);
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const c = canonical((v as Record<string, unknown>)[k]);
      if (c !== null) out[k] = c;
    }
    return Object.keys(out).length === 0 ? null : out;
  }
  return v;
}

/** `ValidateLabels` (meta/v1/validation): every error carries the map's path, not the key's. */
export function validateLabels(labels: Readonly<Record<string, string>> | undefined | null, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of sortedKeys(labels)) {
    errs.push(...validateLabelName(k, path));
    const v = labels![k] ?? '';
    for (const msg of isValidLabelValue(v)) errs.push(field.invalid(path, v, msg));
  }
  return errs;
}

/** `ValidateLabelName`. */
export function validateLabelName(name: string, path: FieldPath): FieldError[] {
  return isQualifiedName(name).map((msg) => field.invalid(path, name, msg));
}

/** `ValidateAnnotations`: keys are qualified names (case-insensitive), 256 KiB in total. */
export function validateAnnotations(annotations: Readonly<Record<string, string>> | undefined | null, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const k of sortedKeys(annotations)) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(field.invalid(path, k, msg));
    total += Buffer.byteLength(k) + Buffer.byteLength(annotations![k] ?? '');
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT_B) errs.push(field.tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT_B));
  return errs;
}

/** `schema.ParseGroupVersion` reduced to what owner reference validation needs. */
function versionOf(apiVersion: string): { group: string; version: string } {
  if (apiVersion === '' || apiVersion === '/') return { group: '', version: '' };
  const parts = apiVersion.split('/');
  if (parts.length === 1) return { group: '', version: parts[0]! };
  if (parts.length === 2) return { group: parts[0]!, version: parts[1]! };
  return { group: '', version: '' };
}

function goOwnerReference(r: OwnerReference): GoValue {
  const boolPtr = (b: boolean | undefined) => (b === undefined ? '(*bool)(nil)' : `(*bool)(${b})`);
  return new GoValue(
    `v1.OwnerReference{APIVersion:${goQuote(r.apiVersion ?? '')}, Kind:${goQuote(r.kind ?? '')}, Name:${goQuote(r.name ?? '')}, UID:${goQuote(r.uid ?? '')}, Controller:${boolPtr(r.controller)}, BlockOwnerDeletion:${boolPtr(r.blockOwnerDeletion)}}`,
  );
}

/** `ValidateOwnerReferences`. */
export function validateOwnerReferences(refs: readonly OwnerReference[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = '';
  for (const ref of refs ?? []) {
    const gv = versionOf(ref.apiVersion ?? '');
    if (gv.version === '') errs.push(field.invalid(path.child('apiVersion'), ref.apiVersion ?? '', 'version must not be empty'));
    if (!ref.kind) errs.push(field.invalid(path.child('kind'), ref.kind ?? '', 'kind must not be empty'));
    if (!ref.name) errs.push(field.invalid(path.child('name'), ref.name ?? '', 'name must not be empty'));
    if (!ref.uid) errs.push(field.invalid(path.child('uid'), ref.uid ?? '', 'uid must not be empty'));
    if (gv.group === '' && gv.version === 'v1' && ref.kind === 'Event') {
      errs.push(field.invalid(path, goOwnerReference(ref), '/v1, Kind=Event is disallowed from being an owner'));
    }
    if (ref.controller) {
      const cur = `${ref.kind}/${ref.name}`;
      if (firstController !== '') {
        errs.push(
          field.invalid(
            path,
            new GoValue(`[]v1.OwnerReference{${(refs ?? []).map((r) => goOwnerReference(r).text).join(', ')}}`),
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${cur}`,
          ),
        );
      } else {
        firstController = cur;
      }
    }
  }
  return errs;
}

/** apimachinery `ValidateFinalizers`: qualified names; orphan and foregroundDeletion are exclusive. */
export function validateFinalizers(finalizers: readonly string[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const list = finalizers ?? [];
  for (const f of list) for (const msg of isQualifiedName(f)) errs.push(field.invalid(path, f, msg));
  if (list.includes('orphan') && list.includes('foregroundDeletion')) {
    errs.push(field.invalid(path, GoValue.strings(list), 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  return errs;
}

/** core `validateKubeFinalizerName`: an unqualified finalizer must be a standard one. */
export function validateKubeFinalizerName(name: string, path: FieldPath): FieldError[] {
  if (name.split('/').length === 1 && !STANDARD_FINALIZERS.has(name)) {
    return [field.invalid(path, name, 'name is neither a standard finalizer name nor is it fully qualified')];
  }
  return [];
}

/** `ValidateManagedFields`. */
export function validateManagedFields(entries: readonly ManagedFieldsEntry[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  (entries ?? []).forEach((e, i) => {
    const p = path.index(i);
    if (e.operation !== 'Apply' && e.operation !== 'Update') errs.push(field.invalid(p.child('operation'), e.operation ?? '', 'must be `Apply` or `Update`'));
    if (e.fieldsType && e.fieldsType !== 'FieldsV1') errs.push(field.invalid(p.child('fieldsType'), e.fieldsType, 'must be `FieldsV1`'));
    const manager = e.manager ?? '';
    if (manager.length > 128) errs.push(field.tooLong(p.child('manager'), 128));
    else if ([...manager].some((c) => (c.codePointAt(0) ?? 0) < 0x20 || c === '\x7f')) {
      errs.push(field.invalid(p.child('manager'), manager, 'must only contain printable characters'));
    }
    if ((e.subresource ?? '').length > 256) errs.push(field.tooLong(p.child('subresource'), 256));
  });
  return errs;
}

/**
 * `ValidateObjectMeta` for a create. Expects name generation to have happened (a generateName-only
 * object still gets its generateName checked, and `name or generateName is required`).
 */
export function validateObjectMeta(meta: ObjectMeta, opts: ObjectMetaOptions): FieldError[] {
  const path = opts.path ?? root('metadata');
  const errs: FieldError[] = [];
  if (meta.generateName) {
    for (const msg of validateName(opts.nameRule, meta.generateName, { prefix: true })) {
      errs.push(field.invalid(path.child('generateName'), meta.generateName, msg));
    }
  }
  if (!meta.name) {
    errs.push(field.required(path.child('name'), 'name or generateName is required'));
  } else {
    for (const msg of validateName(opts.nameRule, meta.name)) errs.push(field.invalid(path.child('name'), meta.name, msg));
  }
  if (opts.namespaced) {
    if (!meta.namespace) errs.push(field.required(path.child('namespace')));
    else for (const msg of isDNS1123Label(meta.namespace)) errs.push(field.invalid(path.child('namespace'), meta.namespace, msg));
  } else if (meta.namespace) {
    errs.push(field.forbidden(path.child('namespace'), 'not allowed on this type'));
  }
  errs.push(...validateNonnegative(meta.generation, path.child('generation')));
  errs.push(...validateLabels(meta.labels, path.child('labels')));
  errs.push(...validateAnnotations(meta.annotations, path.child('annotations')));
  errs.push(...validateOwnerReferences(meta.ownerReferences, path.child('ownerReferences')));
  errs.push(...validateFinalizers(meta.finalizers, path.child('finalizers')));
  errs.push(...validateManagedFields(meta.managedFields, path.child('managedFields')));
  (meta.finalizers ?? []).forEach((f, i) => errs.push(...validateKubeFinalizerName(f, path.child('finalizers').index(i))));
  return errs;
}

const optionalInt = (v: unknown): BadValue => (typeof v === 'number' ? v : null);
const timeOrNull = (v: unknown): BadValue => (typeof v === 'string' && v ? goTime(v) : null);

/**
 * `ValidateObjectMetaUpdate`. Like upstream it requires `resourceVersion` on the new object: a
 * caller doing an unconditional update must copy the stored resourceVersion in first, as the
 * generic store does.
 */
export function validateObjectMetaUpdate(newMeta: ObjectMeta, oldMeta: ObjectMeta, opts: { path?: FieldPath } = {}): FieldError[] {
  const path = opts.path ?? root('metadata');
  const errs: FieldError[] = [];
  if (oldMeta.deletionTimestamp) {
    const old = new Set(oldMeta.finalizers ?? []);
    const extra = [...new Set(newMeta.finalizers ?? [])].filter((f) => !old.has(f)).sort();
    if (extra.length) {
      errs.push(
        field.forbidden(
          path.child('finalizers'),
          `no new finalizers can be added if the object is being deleted, found new finalizers ${GoValue.strings(extra).text}`,
        ),
      );
    }
  }
  if (!newMeta.resourceVersion) errs.push(field.invalid(path.child('resourceVersion'), newMeta.resourceVersion ?? '', 'must be specified for an update'));
  if ((newMeta.generation ?? 0) < (oldMeta.generation ?? 0)) {
    errs.push(field.invalid(path.child('generation'), newMeta.generation ?? 0, 'must not be decremented'));
  }
  errs.push(...validateImmutable(newMeta.name ?? '', oldMeta.name ?? '', path.child('name')));
  errs.push(...validateImmutable(newMeta.namespace ?? '', oldMeta.namespace ?? '', path.child('namespace')));
  errs.push(...validateImmutable(newMeta.uid ?? '', oldMeta.uid ?? '', path.child('uid')));
  errs.push(...validateImmutable(sameInstant(newMeta.creationTimestamp), sameInstant(oldMeta.creationTimestamp), path.child('creationTimestamp'), () => goTime(newMeta.creationTimestamp)));
  errs.push(...validateImmutable(sameInstant(newMeta.deletionTimestamp), sameInstant(oldMeta.deletionTimestamp), path.child('deletionTimestamp'), () => timeOrNull(newMeta.deletionTimestamp)));
  errs.push(
    ...validateImmutable(newMeta.deletionGracePeriodSeconds, oldMeta.deletionGracePeriodSeconds, path.child('deletionGracePeriodSeconds'), () =>
      optionalInt(newMeta.deletionGracePeriodSeconds),
    ),
  );
  errs.push(...validateLabels(newMeta.labels, path.child('labels')));
  errs.push(...validateAnnotations(newMeta.annotations, path.child('annotations')));
  errs.push(...validateOwnerReferences(newMeta.ownerReferences, path.child('ownerReferences')));
  errs.push(...validateManagedFields(newMeta.managedFields, path.child('managedFields')));
  (newMeta.finalizers ?? []).forEach((f, i) => errs.push(...validateKubeFinalizerName(f, path.child('finalizers').index(i))));
  return errs;
}

/** Timestamps compare by instant (second precision on the wire), not by spelling. */
function sameInstant(t: string | null | undefined): number | null {
  if (!t) return null;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
}
