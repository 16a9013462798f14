// The ordering half of strategic merge patch (patch.go: normalizeElementOrder and helpers):
// after a merge, list elements named by the patch (or by $setElementOrder) keep the patch's
// order, server-only elements keep the live order, and the two sequences are interleaved by
// their positions in the live list. Elements of lists of objects are identified by merge key.
import { hasMember, isJsonObject, type JsonObject, type JsonValue } from './_json.js';
import { goEqual, goHashKey, type GoType } from './_goValues.js';
import { goStableSort } from './_goSlice.js';
import { errBadArgType, errNoMergeKey } from './_smpErrors.js';
import { patchFailed } from './patchError.js';

/** The Go kind shared by a list's elements (never 'slice' or 'nil'). */
export type ElementKind = Exclude<GoType, 'slice' | 'nil'>;

export const DIRECTIVE = '$patch';

/** findMapInSliceBasedOnKeyValue */
export function findByMergeKey(list: readonly JsonValue[], match: { key: string; value: JsonValue }): { map: JsonObject; index: number } | undefined {
  const { key, value } = match;
  for (let i = 0; i < list.length; i++) {
    const v = list[i] as JsonValue;
    if (!isJsonObject(v)) throw patchFailed(`value for key ${i} is not a map.`);
    if (hasMember(v, key) && goEqual(v[key] as JsonValue, value)) return { map: v, index: i };
  }
  return undefined;
}

/** partitionPrimitivesByPresentInList: [present in `by`, not present]. */
export function partitionPrimitives(items: readonly JsonValue[], by: readonly JsonValue[]): [JsonValue[], JsonValue[]] {
  const inPatch = new Set(by.map(goHashKey));
  const present: JsonValue[] = [];
  const serverOnly: JsonValue[] = [];
  for (const v of items) (inPatch.has(goHashKey(v)) ? present : serverOnly).push(v);
  return [present, serverOnly];
}

/** partitionMapsByPresentInList: [present in `by`, not present], by merge key. */
export function partitionMaps(items: readonly JsonValue[], opts: { by: readonly JsonValue[]; mergeKey: string }): [JsonValue[], JsonValue[]] {
  const { by, mergeKey } = opts;
  const present: JsonValue[] = [];
  const serverOnly: JsonValue[] = [];
  for (const v of items) {
    if (!isJsonObject(v)) throw errBadArgType('map[string]interface {}', v);
    if (!hasMember(v, mergeKey)) throw errNoMergeKey(v, mergeKey);
    (findByMergeKey(by, { key: mergeKey, value: v[mergeKey] as JsonValue }) ? present : serverOnly).push(v);
  }
  return [present, serverOnly];
}

/** extractToDeleteItems: elements carrying `$patch: delete` go last, in a list of their own. */
export function extractToDeleteItems(list: readonly JsonValue[]): { nonDelete: JsonValue[]; toDelete: JsonValue[] } {
  const nonDelete: JsonValue[] = [];
  const toDelete: JsonValue[] = [];
  for (const v of list) {
    if (!isJsonObject(v)) throw errBadArgType('map[string]interface {}', v);
    (hasMember(v, DIRECTIVE) && v[DIRECTIVE] === 'delete' ? toDelete : nonDelete).push(v);
  }
  return { nonDelete, toDelete };
}

/**
 * Sorts `patch` by `patchOrder` and `serverOnly` by `serverOrder`, then merges the two: a
 * server-only element goes before a patch element only when both appear in the live list and
 * it came first there.
 */
export function normalizeElementOrder(
  items: { patch: readonly JsonValue[]; serverOnly: readonly JsonValue[] },
  order: { patch: readonly JsonValue[]; server: readonly JsonValue[]; mergeKey: string; kind: ElementKind },
): JsonValue[] {
  const { mergeKey, kind } = order;
  const p = normalizeSliceOrder(items.patch, order.patch, mergeKey, kind);
  const s = normalizeSliceOrder(items.serverOnly, order.server, mergeKey, kind);
  return mergeSortedSlice(s, p, order.server, mergeKey, kind);
}

function normalizeSliceOrder(list: readonly JsonValue[], order: readonly JsonValue[], mergeKey: string, kind: ElementKind): JsonValue[] {
  let toSort = [...list];
  let toDelete: JsonValue[] = [];
  if (kind === 'map') {
    validateMergeKeyInLists(mergeKey, [toSort, order]);
    ({ nonDelete: toSort, toDelete } = extractToDeleteItems(toSort));
  }
  goStableSort(toSort, (a, b) => {
    const ia = indexOf(order, a, mergeKey, kind);
    if (ia >= 0) {
      const ib = indexOf(order, b, mergeKey, kind);
      if (ib >= 0) return ia < ib;
    }
    return true;
  });
  return [...toSort, ...toDelete];
}

function validateMergeKeyInLists(mergeKey: string, lists: readonly (readonly JsonValue[])[]): void {
  for (const list of lists) {
    for (const item of list) {
      if (!isJsonObject(item)) throw errBadArgType('map[string]interface {}', item);
      if (!hasMember(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
    }
  }
}

function mergeSortedSlice(left: JsonValue[], right: JsonValue[], serverOrder: readonly JsonValue[], mergeKey: string, kind: ElementKind): JsonValue[] {
  const out: JsonValue[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const li = indexOf(serverOrder, left[i] as JsonValue, mergeKey, kind);
    const ri = indexOf(serverOrder, right[j] as JsonValue, mergeKey, kind);
    if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++] as JsonValue);
    else out.push(right[j++] as JsonValue);
  }
  return [...out, ...left.slice(i), ...right.slice(j)];
}

/** index(): position of the element with the same merge key value (or the same scalar), or -1. */
function indexOf(list: readonly JsonValue[], v: JsonValue, mergeKey: string, kind: ElementKind): number {
  const key = (item: JsonValue): JsonValue => {
    if (kind !== 'map') return item;
    return isJsonObject(item) && hasMember(item, mergeKey) ? (item[mergeKey] as JsonValue) : null;
  };
  const wanted = key(v);
  return list.findIndex((item) => goEqual(wanted, key(item)));
}
