// Kubernetes strategic merge patch, applied the way the apiserver applies it:
// strategicpatch.StrategicMergeMapPatch (k8s.io/apimachinery/pkg/util/strategicpatch/patch.go,
// with MergeParallelList and IgnoreUnmatchedNulls set). The functions below follow that file
// one for one and keep its names, so a difference in behaviour can be traced to a line there.
//
// Beyond upstream: Go map iteration order is random, this walks patch keys in document order;
// and directive keys left in subtrees copied verbatim from the patch are removed at the end, as
// decoding the result into the typed object drops them upstream.
import { hasMember, isJsonObject, setMember, toJson, type JsonObject, type JsonValue } from './_json.js';
import { GoPanic, goHashKey, goType, goV, goEqual } from './_goValues.js';
import { goAppend, goPut, goSliceOf, reslice, sliceItems, type GoSlice } from './_goSlice.js';
import {
  DIRECTIVE,
  extractToDeleteItems,
  findByMergeKey,
  normalizeElementOrder,
  partitionMaps,
  partitionPrimitives,
  type ElementKind,
} from './_smpOrder.js';
import {
  errBadArgType,
  errBadPatchFormatForPrimitiveList,
  errBadPatchFormatForRetainKeys,
  errBadPatchFormatForSetElementOrderList,
  errBadPatchType,
  errNoListOfLists,
  errNoMergeKey,
} from './_smpErrors.js';
import { patchFailed } from './patchError.js';
import { UNTAGGED, type SmpField, type SmpSchema } from './schema.js';

const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
const RETAIN_KEYS = '$retainKeys';
const SET_ELEMENT_ORDER = '$setElementOrder';

/**
 * Applies `patch` to a copy of `original`. Throws PatchError with upstream's status and message
 * when the patch is malformed for the schema (see patchError.ts for the codes).
 */
export interface StrategicMergeOptions {
  /** The patched kind's field metadata (smpSchemaFor). */
  schema: SmpSchema;
}

export function strategicMergePatch(original: JsonObject, patch: JsonObject, opts: StrategicMergeOptions): JsonObject {
  const doc = toJson(original);
  const p = toJson(patch);
  if (!isJsonObject(doc) || !isJsonObject(p)) throw new TypeError('Cannot apply a strategic merge patch: both documents must be JSON objects');
  try {
    const merged = mergeMap(doc, p, opts.schema);
    stripDirectives(merged);
    return merged;
  } catch (e) {
    // The apiserver recovers a panicking handler and answers 500.
    if (e instanceof GoPanic) throw patchFailed(e.message);
    throw e;
  }
}

/** What mergeMap needs to know about a list field (LookupPatchMetadataForSlice). */
interface ListMeta {
  strategy: 'merge' | 'replace' | '';
  mergeKey: string;
  items: SmpSchema;
  /** The Go kind upstream names when a merge list lacks a merge key. */
  elementKind: string;
}

function fieldOf(schema: SmpSchema, key: string): SmpField | undefined {
  return Object.prototype.hasOwnProperty.call(schema.fields, key) ? schema.fields[key] : undefined;
}

function listMeta(schema: SmpSchema, key: string): ListMeta {
  const f = fieldOf(schema, key);
  switch (f?.kind) {
    case 'mergeList':
      return { strategy: 'merge', mergeKey: f.mergeKey, items: f.items ?? UNTAGGED, elementKind: 'struct' };
    case 'set':
      return { strategy: 'merge', mergeKey: '', items: UNTAGGED, elementKind: f.element };
    case 'replace':
      return { strategy: 'replace', mergeKey: '', items: UNTAGGED, elementKind: 'struct' };
    default:
      return { strategy: '', mergeKey: '', items: UNTAGGED, elementKind: 'struct' };
  }
}

function mergeMap(original: JsonObject, patch: JsonObject, schema: SmpSchema): JsonObject {
  if (hasMember(patch, DIRECTIVE)) return handleDirectiveInMergeMap(patch[DIRECTIVE] as JsonValue, patch);
  applyRetainKeysDirective(original, patch);
  mergePatchIntoOriginal(original, patch, schema);

  for (const patchKey of Object.keys(patch)) {
    const patchV = patch[patchKey] as JsonValue;
    let k = patchKey;
    let isDeleteList = false;
    if (patchKey.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      isDeleteList = true;
      const listKey = extractKey(patchKey, DELETE_FROM_PRIMITIVE_LIST);
      if (listKey !== '') k = listKey;
    }

    // null deletes; an unmatched null is dropped (IgnoreUnmatchedNulls).
    if (patchV === null) {
      delete original[k];
      continue;
    }
    if (!hasMember(original, k) || goType(original[k] as JsonValue) !== goType(patchV)) {
      if (!isDeleteList) takePatchValue(original, k, patchV);
      continue;
    }

    const originalV = original[k] as JsonValue;
    if (isJsonObject(originalV) && isJsonObject(patchV)) {
      const f = fieldOf(schema, k);
      setMember(original, k, f?.kind === 'replace' ? patchV : mergeMap(originalV, patchV, f?.kind === 'object' ? f.schema : UNTAGGED));
    } else if (Array.isArray(originalV) && Array.isArray(patchV)) {
      setMember(original, k, mergeSliceHandler(goSliceOf(originalV), patchV, listMeta(schema, k), isDeleteList));
    } else {
      setMember(original, k, patchV);
    }
  }
  return original;
}

/** A patch value with nothing to merge into: nested nulls and directive-marked maps go. */
function takePatchValue(original: JsonObject, k: string, patchV: JsonValue): void {
  discardNullValuesFromPatch(patchV);
  const r = removeDirectives(patchV);
  if (r.keep) setMember(original, k, r.value);
  else delete original[k];
}

function handleDirectiveInMergeMap(directive: JsonValue, patch: JsonObject): JsonObject {
  if (directive === 'replace') {
    delete patch[DIRECTIVE];
    return patch;
  }
  if (directive === 'delete') return {};
  throw errBadPatchType(directive, patch);
}

/** `$retainKeys: [..]` clears every member of the original not listed; the patch may only set listed ones. */
function applyRetainKeysDirective(original: JsonObject, patch: JsonObject): void {
  if (!hasMember(patch, RETAIN_KEYS)) return;
  const list = patch[RETAIN_KEYS] as JsonValue;
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(list)) throw errBadPatchFormatForRetainKeys();
  const retained = new Set(list.map(goHashKey));
  for (const k of Object.keys(patch)) {
    if (patch[k] === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!retained.has(goHashKey(k))) throw errBadPatchFormatForRetainKeys();
  }
  for (const k of Object.keys(original)) if (!retained.has(goHashKey(k))) delete original[k];
}

/** Handles every `$setElementOrder/<list>` together with `<list>` itself, which it then removes from the patch. */
function mergePatchIntoOriginal(original: JsonObject, patch: JsonObject, schema: SmpSchema): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER) || !hasMember(patch, key)) continue;
    const order = patch[key] as JsonValue;
    delete patch[key];
    if (!Array.isArray(order)) throw errBadArgType('[]interface {}', order);
    const listKey = extractKey(key, SET_ELEMENT_ORDER);

    const originalList = listMember(original, listKey);
    const patchList = listMember(patch, listKey);
    const meta = listMeta(schema, listKey);
    validatePatchWithSetOrderList(patchList ?? [], order, meta.mergeKey);

    const originalSlice = originalList && goSliceOf(originalList);
    let merged: JsonValue[];
    if (originalSlice && !patchList) merged = sliceItems(originalSlice);
    else if (!originalSlice && patchList) merged = removeDirectives(patchList).value as JsonValue[];
    else if (originalSlice && patchList) merged = mergeSliceHandler(originalSlice, patchList, meta, false);
    else continue;

    const [patchItems, serverOnly] =
      meta.mergeKey === '' ? partitionPrimitives(merged, order) : partitionMaps(merged, { by: order, mergeKey: meta.mergeKey });
    // Read after the merge on purpose: the live list's backing array may have been rewritten.
    const serverOrder = originalSlice ? sliceItems(originalSlice) : [];
    const kind = sliceElementType([serverOrder, patchList ?? []]);
    setMember(original, listKey, normalizeElementOrder({ patch: patchItems, serverOnly }, { patch: order, server: serverOrder, mergeKey: meta.mergeKey, kind }));
    delete patch[listKey];
  }
}

function listMember(m: JsonObject, key: string): JsonValue[] | undefined {
  if (!hasMember(m, key)) return undefined;
  const v = m[key] as JsonValue;
  if (!Array.isArray(v)) throw errBadArgType('[]interface {}', v);
  return v;
}

/** The patch list, minus deletions and directive-marked elements, must follow $setElementOrder. */
function validatePatchWithSetOrderList(patchList: readonly JsonValue[], order: readonly JsonValue[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const nonDelete = mergeKey === '' ? patchList : extractToDeleteItems(patchList).nonDelete;
  let patchIndex = 0;
  let orderIndex = 0;
  while (patchIndex < nonDelete.length && orderIndex < order.length) {
    const item = nonDelete[patchIndex] as JsonValue;
    if (isJsonObject(item) && hasMember(item, DIRECTIVE)) {
      patchIndex++;
      continue;
    }
    if (mergeKeyValueEqual(item, order[orderIndex] as JsonValue, mergeKey)) patchIndex++;
    orderIndex++;
  }
  if (patchIndex < nonDelete.length && orderIndex >= order.length) {
    throw patchFailed(`The order in patch list:\n${goV(patchList as JsonValue[])}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goV(order as JsonValue[])}\n`);
  }
}

function mergeKeyValueEqual(left: JsonValue, right: JsonValue, mergeKey: string): boolean {
  if (mergeKey === '') return goEqual(left, right);
  if (!isJsonObject(left)) throw errBadArgType('map[string]interface {}', left);
  if (!isJsonObject(right)) throw errBadArgType('map[string]interface {}', right);
  if (!hasMember(left, mergeKey)) throw errNoMergeKey(left, mergeKey);
  if (!hasMember(right, mergeKey)) throw errNoMergeKey(right, mergeKey);
  return goEqual(left[mergeKey] as JsonValue, right[mergeKey] as JsonValue);
}

/** "$setElementOrder/ports" → "ports"; a directive without the slash is a malformed patch. */
function extractKey(s: string, prefix: typeof DELETE_FROM_PRIMITIVE_LIST | typeof SET_ELEMENT_ORDER): string {
  const slash = s.indexOf('/');
  if (slash < 0 || s.slice(0, slash) !== prefix) {
    throw prefix === DELETE_FROM_PRIMITIVE_LIST ? errBadPatchFormatForPrimitiveList() : errBadPatchFormatForSetElementOrderList();
  }
  return s.slice(slash + 1);
}

function mergeSliceHandler(original: GoSlice, patch: JsonValue[], meta: ListMeta, isDeleteList: boolean): JsonValue[] {
  // A deletion list deletes whatever the field's strategy is.
  if (meta.strategy === 'merge' || isDeleteList) return mergeSlice(original, patch, meta, isDeleteList);
  return patch;
}

function mergeSlice(original: GoSlice, patch: JsonValue[], meta: ListMeta, isDeleteList: boolean): JsonValue[] {
  if (original.len === 0 && patch.length === 0) return sliceItems(original);
  const kind = sliceElementType([sliceItems(original), patch]);

  let live = original;
  let patchItems = patch;
  let merged: GoSlice;
  if (kind !== 'map') {
    if (isDeleteList) return deleteFromSlice(sliceItems(original), patch);
    merged = deduplicateScalars(goAppend(original, patch));
  } else {
    if (meta.mergeKey === '') throw patchFailed(`cannot merge lists without merge key for ${meta.elementKind}`);
    ({ live, patch: patchItems } = mergeSliceWithSpecialElements(original, patch, meta.mergeKey));
    merged = mergeSliceWithoutSpecialElements(live, patchItems, meta);
  }

  const items = sliceItems(merged);
  const [fromPatch, serverOnly] =
    meta.mergeKey === '' ? partitionPrimitives(items, patchItems) : partitionMaps(items, { by: patchItems, mergeKey: meta.mergeKey });
  return normalizeElementOrder({ patch: fromPatch, serverOnly }, { patch: patchItems, server: sliceItems(live), mergeKey: meta.mergeKey, kind });
}

/** Applies `$patch: delete` and `$patch: replace` elements; returns the live list and the remaining patch. */
function mergeSliceWithSpecialElements(original: GoSlice, patch: readonly JsonValue[], mergeKey: string): { live: GoSlice; patch: JsonValue[] } {
  const plain: JsonValue[] = [];
  let replace = false;
  let live = original;
  for (const v of patch) {
    const m = v as JsonObject;
    if (!hasMember(m, DIRECTIVE)) {
      plain.push(v);
      continue;
    }
    const directive = m[DIRECTIVE] as JsonValue;
    if (directive === 'delete') {
      if (!hasMember(m, mergeKey)) throw errNoMergeKey(m, mergeKey);
      live = deleteMatchingEntries(live, mergeKey, m[mergeKey] as JsonValue);
    } else if (directive === 'replace') {
      replace = true; // keep going: the other directive elements are still pruned
    } else if (directive === 'merge') {
      throw patchFailed('merging lists cannot yet be specified in the patch');
    } else {
      throw errBadPatchType(directive, m);
    }
  }
  return replace ? { live: goSliceOf(plain), patch: [] } : { live, patch: plain };
}

function deleteMatchingEntries(original: GoSlice, mergeKey: string, value: JsonValue): GoSlice {
  let s = original;
  for (;;) {
    const found = findByMergeKey(sliceItems(s), { key: mergeKey, value });
    if (!found) return s;
    s = goAppend(reslice(s, { lo: 0, hi: found.index }), sliceItems(reslice(s, { lo: found.index + 1, hi: s.len })));
  }
}

function mergeSliceWithoutSpecialElements(original: GoSlice, patch: readonly JsonValue[], meta: ListMeta): GoSlice {
  let s = original;
  for (const v of patch) {
    const m = v as JsonObject;
    if (!hasMember(m, meta.mergeKey)) throw errNoMergeKey(m, meta.mergeKey);
    const found = findByMergeKey(sliceItems(s), { key: meta.mergeKey, value: m[meta.mergeKey] as JsonValue });
    if (found) goPut(s, found.index, mergeMap(found.map, m, meta.items));
    else s = goAppend(s, [v]);
  }
  return s;
}

function deleteFromSlice(current: readonly JsonValue[], toDelete: readonly JsonValue[]): JsonValue[] {
  const doomed = new Set(toDelete.map(goHashKey));
  return current.filter((v) => !doomed.has(goHashKey(v)));
}

/** Go's "clever" in-place deduplication: a duplicate is overwritten by the last element. */
function deduplicateScalars(s: GoSlice): GoSlice {
  let cur = s;
  let length = s.len - 1;
  const at = (i: number) => cur.buf[cur.off + i] as JsonValue;
  for (let i = 0; i < length; i++) {
    for (let j = i + 1; j <= length; j++) {
      if (goEqual(at(i), at(j))) {
        goPut(cur, j, at(length));
        cur = reslice(cur, { lo: 0, hi: length });
        length--;
        j--;
      }
    }
  }
  return cur;
}

/** All elements of all lists must share one Go type, which may not be a list. */
function sliceElementType(lists: readonly JsonValue[][]): ElementKind {
  let prev: ReturnType<typeof goType> | undefined;
  for (const list of lists) {
    for (const v of list) {
      const t = goType(v);
      if (prev === undefined) {
        if (t === 'nil') throw new GoPanic('invalid memory address or nil pointer dereference');
        if (t === 'slice') throw errNoListOfLists();
        prev = t;
      } else if (prev !== t) {
        throw patchFailed(`list element types are not identical: ${goV(lists as JsonValue[][])}`);
      }
    }
  }
  if (prev === undefined) throw patchFailed('no elements in any of the given slices');
  return prev as ElementKind;
}

/** discardNullValuesFromPatch: null members of maps disappear at any depth. */
function discardNullValuesFromPatch(v: JsonValue): void {
  if (Array.isArray(v)) v.forEach(discardNullValuesFromPatch);
  else if (isJsonObject(v)) {
    for (const k of Object.keys(v)) {
      const x = v[k] as JsonValue;
      if (x === null) delete v[k];
      else discardNullValuesFromPatch(x);
    }
  }
}

/** removeDirectives: a map carrying `$patch` is dropped (keep=false), elsewhere recursively. */
function removeDirectives(v: JsonValue): { keep: boolean; value: JsonValue } {
  if (Array.isArray(v)) {
    const out: JsonValue[] = [];
    for (const x of v) {
      const r = removeDirectives(x);
      if (r.keep) out.push(r.value);
    }
    return { keep: true, value: out };
  }
  if (!isJsonObject(v)) return { keep: true, value: v };
  if (hasMember(v, DIRECTIVE)) return { keep: false, value: null };
  for (const k of Object.keys(v)) {
    const r = removeDirectives(v[k] as JsonValue);
    if (r.keep) setMember(v, k, r.value);
    else delete v[k];
  }
  return { keep: true, value: v };
}

const isDirectiveKey = (k: string) =>
  k === DIRECTIVE || k === RETAIN_KEYS || k.startsWith(SET_ELEMENT_ORDER) || k.startsWith(DELETE_FROM_PRIMITIVE_LIST);

/** Drops directive members that survived in copied subtrees (typed decoding drops them upstream). */
function stripDirectives(v: JsonValue): void {
  if (Array.isArray(v)) v.forEach(stripDirectives);
  else if (isJsonObject(v)) {
    for (const k of Object.keys(v)) {
      if (isDirectiveKey(k)) delete v[k];
      else stripDirectives(v[k] as JsonValue);
    }
  }
}
