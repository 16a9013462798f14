// Cases ported from k8s.io/apimachinery/pkg/util/strategicpatch/patch_test.go. Upstream checks
// that the two-way patch turns `original` into `modified` and that the three-way patch turns
// `current` into `result`; both are server-side applications, so each becomes a row here.
// The schema mirrors upstream's MergeItem test struct.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { isJsonObject, type JsonObject } from './_json.js';
import { PatchError } from './patchError.js';
import type { SmpField, SmpSchema } from './schema.js';
import { strategicMergePatch } from './strategic.js';

const mergeItemFields: Record<string, SmpField> = {};
const mergeItem: SmpSchema = { fields: mergeItemFields };
const retainKeysMergeItem: SmpSchema = {
  fields: {
    mergingIntList: { kind: 'set', element: 'string' },
    mergingList: { kind: 'mergeList', mergeKey: 'name', items: mergeItem },
  },
};
Object.assign(mergeItemFields, {
  mergingList: { kind: 'mergeList', mergeKey: 'name', items: mergeItem },
  mergingIntList: { kind: 'set', element: 'string' },
  mergeItemPtr: { kind: 'mergeList', mergeKey: 'name', items: mergeItem },
  replacingItem: { kind: 'replace' },
  retainKeysMap: { kind: 'object', schema: retainKeysMergeItem, retainKeys: true },
  retainKeysMergingList: { kind: 'mergeList', mergeKey: 'name', items: mergeItem, retainKeys: true },
} satisfies Record<string, SmpField>);

function yamlObject(text: string): JsonObject {
  const v: unknown = parse(text) ?? {};
  assert.ok(isJsonObject(v), `not a YAML mapping: ${text}`);
  return v;
}

interface Case {
  name: string;
  original: string;
  patch: string;
  result: string;
}

function runCases(cases: readonly Case[]): void {
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(strategicMergePatch(yamlObject(c.original), yamlObject(c.patch), { schema: mergeItem }), yamlObject(c.result));
    });
  }
}

describe('strategicMergePatch on maps', () => {
  runCases([
    { name: 'adds a field to a map (nil original)', original: '{}', patch: 'name: 1\nvalue: 1', result: 'name: 1\nvalue: 1' },
    { name: 'an empty patch changes nothing', original: 'name: 1', patch: '{}', result: 'name: 1' },
    {
      name: 'adds a field and keeps fields the patch does not mention',
      original: 'name: 1\nother: a',
      patch: 'value: 1',
      result: 'name: 1\nvalue: 1\nother: a',
    },
    { name: 'null deletes a field', original: 'name: 1\nother: a', patch: 'name: null\nvalue: 1', result: 'value: 1\nother: a' },
    {
      name: 'null deletes a field of a nested map',
      original: 'simpleMap: {key1: 1, key2: 1, other: a}',
      patch: 'simpleMap: {key2: null}',
      result: 'simpleMap: {key1: 1, other: a}',
    },
    { name: 'an unmatched null is dropped, not stored', original: 'name: a\nother: a', patch: 'name: 1\nvalue: 1\nother: null', result: 'name: 1\nvalue: 1' },
    {
      name: 'nulls inside a value with nothing to merge into are dropped',
      original: 'name: a',
      patch: 'simpleMap: {key1: x, key2: null}',
      result: 'name: a\nsimpleMap: {key1: x}',
    },
    { name: 'a new map of only nulls becomes empty (upstream TestUnknownField)', original: '{}', patch: 'complex: {nested: null}', result: 'complex: {}' },
    {
      name: 'nulls are filtered from maps inside a new list, not from the list itself',
      original: '{}',
      patch: 'withMaps: [{inner: {keyOne: foo, keyTwo: null}}]\nscalars: [key1, null, key2]',
      result: 'withMaps: [{inner: {keyOne: foo}}]\nscalars: [key1, null, key2]',
    },
    {
      name: 'null values already in the original are left alone',
      original: 'complex: {key: null}\nthing: null',
      patch: 'nested: {value: 5}',
      result: 'complex: {key: null}\nthing: null\nnested: {value: 5}',
    },
    { name: '$patch: delete empties a nested map', original: 'simpleMap: {key1: 1, key2: 1}', patch: 'simpleMap: {$patch: delete}', result: 'simpleMap: {}' },
    { name: '$patch: replace at the top deletes all keys', original: 'name: 1\nvalue: 1', patch: '$patch: replace', result: '{}' },
    { name: '$patch: replace keeps only what the patch says', original: 'name: 1\nvalue: 1', patch: 'other: a\n$patch: replace', result: 'other: a' },
    {
      name: 'a field with patchStrategy replace is taken from the patch whole',
      original: 'replacingItem: {a: 1, b: 2}',
      patch: 'replacingItem: {c: 3}',
      result: 'replacingItem: {c: 3}',
    },
    {
      name: 'a new field whose value carries $patch is not created at all',
      original: 'name: a',
      patch: 'simpleMap: {$patch: replace, key1: x}',
      result: 'name: a',
    },
  ]);
});

describe('strategicMergePatch on lists merged by key', () => {
  runCases([
    {
      name: 'merges lists of maps by merge key, ordering by $setElementOrder',
      original: 'mergingList: [{name: 1, other: a}, {name: 2, value: 2, other: b}]',
      patch: `
$setElementOrder/mergingList: [{name: 4}, {name: 1}, {name: 2}, {name: 3}]
mergingList: [{name: 4, value: 4}, {name: 3, value: 3}]`,
      result: 'mergingList: [{name: 4, value: 4}, {name: 1, other: a}, {name: 2, value: 2, other: b}, {name: 3, value: 3}]',
    },
    {
      name: 'adds a field to one element and keeps the others',
      original: 'mergingList: [{name: 1, other: a}, {name: 2, value: 2, other: b}]',
      patch: '$setElementOrder/mergingList: [{name: 1}, {name: 2}]\nmergingList: [{name: 1, value: 1}]',
      result: 'mergingList: [{name: 1, value: 1, other: a}, {name: 2, value: 2, other: b}]',
    },
    {
      name: 'null deletes a field of one element',
      original: 'mergingList: [{name: 1, value: 1, other: a}, {name: 2, value: 2, other: b}]',
      patch: '$setElementOrder/mergingList: [{name: 1}, {name: 2}]\nmergingList: [{name: 1, value: null}]',
      result: 'mergingList: [{name: 1, other: a}, {name: 2, value: 2, other: b}]',
    },
    {
      name: '$patch: delete removes an element by merge key',
      original: 'mergingList: [{name: 1}, {name: 2, other: b}]',
      patch: '$setElementOrder/mergingList: [{name: 2}]\nmergingList: [{name: 1, $patch: delete}]',
      result: 'mergingList: [{name: 2, other: b}]',
    },
    {
      name: '$patch: delete of a missing element is not an error',
      original: 'mergingList: [{name: 2, other: b}]',
      patch: '$setElementOrder/mergingList: [{name: 2}]\nmergingList: [{name: 1, $patch: delete}]',
      result: 'mergingList: [{name: 2, other: b}]',
    },
    {
      name: '$patch: delete removes every duplicate of the key',
      original: 'mergingList: [{name: 1}, {name: 1}, {name: 2, value: a}, {name: 3}, {name: 3}]',
      patch: 'mergingList: [{name: 1, $patch: delete}, {name: 3, $patch: delete}]',
      result: 'mergingList: [{name: 2, value: a}]',
    },
    {
      name: 'deleting and adding in one list keeps server-only elements where the live list had them',
      original: 'mergingList: [{name: 1}, {name: 2, other: b}, {name: 4, other: c}]',
      patch: '$setElementOrder/mergingList: [{name: 2}, {name: 3}]\nmergingList: [{name: 3}, {name: 1, $patch: delete}]',
      result: 'mergingList: [{name: 2, other: b}, {name: 4, other: c}, {name: 3}]',
    },
    {
      name: 'deleting and adding in one list, with the kept element only in the patch (with conflict)',
      original: 'mergingList: [{name: 1, other: a}, {name: 4, other: c}]',
      patch: '$setElementOrder/mergingList: [{name: 2}, {name: 3}]\nmergingList: [{name: 2}, {name: 3}, {name: 1, $patch: delete}]',
      result: 'mergingList: [{name: 4, other: c}, {name: 2}, {name: 3}]',
    },
    {
      name: '$patch: replace as a list element replaces the whole list',
      original: 'mergingList: [{name: 1}, {name: 2}]',
      patch: 'mergingList: [{$patch: replace}]',
      result: 'mergingList: []',
    },
    { name: 'merging an empty list into an empty list', original: 'mergingList: []', patch: 'mergingList: []', result: 'mergingList: []' },
    {
      name: 'a list that did not exist is taken from the patch minus $patch elements',
      original: 'name: hi',
      patch: 'mergingList: [{name: hello}, {$patch: delete, name: doesntexist}]',
      result: 'name: hi\nmergingList: [{name: hello}]',
    },
    {
      name: 'a $patch: delete for an absent element next to a live one (three-way)',
      original: 'name: hi\nmergingList: [{name: hello2}]',
      patch: `
$setElementOrder/mergingList: [{name: hello}, {name: doesntexist}]
mergingList: [{name: hello}, {$patch: delete, name: doesntexist}]`,
      result: 'name: hi\nmergingList: [{name: hello}, {name: hello2}]',
    },
    {
      name: 'without $setElementOrder, patch elements come in patch order and the rest keep theirs',
      original: 'mergingList: [{name: 1}, {name: 2, value: b}, {name: 3}]',
      patch: 'mergingList: [{name: 3, value: c}, {name: 1, value: a}]',
      result: 'mergingList: [{name: 2, value: b}, {name: 3, value: c}, {name: 1, value: a}]',
    },
    {
      name: 'without $setElementOrder, a new element goes before the live ones',
      original: 'mergingList: [{name: 1}, {name: 2}]',
      patch: 'mergingList: [{name: 3}]',
      result: 'mergingList: [{name: 3}, {name: 1}, {name: 2}]',
    },
    {
      name: '$setElementOrder alone reorders, server-only elements stay after their live predecessor',
      original: 'mergingList: [{name: 1, other: a}, {name: 2, value: 2}, {name: 7}, {name: 9}, {name: 8}, {name: 3, value: 3}, {name: 4, value: 4}]',
      patch: '$setElementOrder/mergingList: [{name: 2}, {name: 1}, {name: 4}, {name: 3}]',
      result: 'mergingList: [{name: 2, value: 2}, {name: 1, other: a}, {name: 7}, {name: 9}, {name: 8}, {name: 4, value: 4}, {name: 3, value: 3}]',
    },
    {
      name: '$setElementOrder may name elements that exist nowhere',
      original: 'mergingList: [{name: 1}, {name: 3}]',
      patch: '$setElementOrder/mergingList: [{name: 3}, {name: 2}, {name: 1}]\nmergingList: [{name: 3, value: 3}, {name: 1, value: 1}]',
      result: 'mergingList: [{name: 3, value: 3}, {name: 1, value: 1}]',
    },
    {
      name: 'duplicates of a key stay together, in live order, at the first position of the key',
      original: 'mergingList: [{name: 1}, {name: 2, value: dup1}, {name: 3}, {name: 2, value: dup2}, {name: 4}]',
      patch: '$setElementOrder/mergingList: [{name: 2}, {name: 1}, {name: 4}, {name: 3}, {name: 2}]',
      result: 'mergingList: [{name: 2, value: dup1}, {name: 2, value: dup2}, {name: 1}, {name: 4}, {name: 3}]',
    },
    {
      name: 'lists nested in merged elements merge too, with their own $setElementOrder',
      original: 'mergingList: [{name: 1, other: a, mergingList: [{name: 2, value: 2, other: d}]}, {name: 2, other: b}]',
      patch: `
$setElementOrder/mergingList: [{name: 1}, {name: 2}]
mergingList:
  - $setElementOrder/mergingList: [{name: 2}, {name: 1}]
    name: 1
    mergingList: [{name: 1, value: 1}]`,
      result: 'mergingList: [{name: 1, other: a, mergingList: [{name: 2, value: 2, other: d}, {name: 1, value: 1}]}, {name: 2, other: b}]',
    },
    {
      name: 'a list without merge strategy nested in a merged element is replaced',
      original: 'mergingList: [{name: 1, other: a, nonMergingList: [{name: 1}, {name: 2, value: 2}]}, {name: 2, other: b}]',
      patch: '$setElementOrder/mergingList: [{name: 1}, {name: 2}]\nmergingList: [{name: 1, nonMergingList: [{name: 1, value: 1}]}]',
      result: 'mergingList: [{name: 1, other: a, nonMergingList: [{name: 1, value: 1}]}, {name: 2, other: b}]',
    },
    {
      name: 'merges through a pointer-typed list the same way',
      original: 'mergeItemPtr: [{name: 1, other: a}, {name: 3}]',
      patch: '$setElementOrder/mergeItemPtr: [{name: 1}, {name: 2}]\nmergeItemPtr: [{name: 2}]',
      result: 'mergeItemPtr: [{name: 1, other: a}, {name: 2}, {name: 3}]',
    },
  ]);
});

describe('strategicMergePatch on lists of scalars', () => {
  runCases([
    { name: 'a list without merge strategy is replaced', original: 'nonMergingIntList: [1, 2]', patch: 'nonMergingIntList: [2, 3]', result: 'nonMergingIntList: [2, 3]' },
    { name: 'a merge list of scalars is merged as a set', original: 'mergingIntList: [1, 2]', patch: 'mergingIntList: [2, 3]', result: 'mergingIntList: [1, 2, 3]' },
    {
      name: 'merged scalars follow $setElementOrder, server-only ones their live position',
      original: 'mergingIntList: [1, 4, 2]',
      patch: '$setElementOrder/mergingIntList: [3, 1, 2]\nmergingIntList: [3]',
      result: 'mergingIntList: [3, 1, 4, 2]',
    },
    { name: 'patch order wins over live order', original: 'mergingIntList: [1, 2, 3]', patch: 'mergingIntList: [3, 1]', result: 'mergingIntList: [2, 3, 1]' },
    {
      name: '$deleteFromPrimitiveList deletes from a merge list',
      original: 'mergingIntList: [1, 2, 3, 4]',
      patch: '$setElementOrder/mergingIntList: [1, 2]\n$deleteFromPrimitiveList/mergingIntList: [3]',
      result: 'mergingIntList: [1, 2, 4]',
    },
    {
      name: '$deleteFromPrimitiveList deletes every duplicate',
      original: 'mergingIntList: [1, 2, 3, 3, 4]',
      patch: '$deleteFromPrimitiveList/mergingIntList: [3]',
      result: 'mergingIntList: [1, 2, 4]',
    },
    {
      name: 'adding, deleting and ordering in one patch',
      original: 'mergingIntList: [1, 2, 3]',
      patch: '$setElementOrder/mergingIntList: [4, 2, 1]\nmergingIntList: [4]\n$deleteFromPrimitiveList/mergingIntList: [3]',
      result: 'mergingIntList: [4, 2, 1]',
    },
    {
      name: '$deleteFromPrimitiveList of a missing item does not add it',
      original: 'mergingIntList: [1, 2]',
      patch: '$deleteFromPrimitiveList/mergingIntList: [3]',
      result: 'mergingIntList: [1, 2]',
    },
    {
      name: '$deleteFromPrimitiveList on a missing list does not create it',
      original: 'foo: [bar]',
      patch: '$deleteFromPrimitiveList/mergingIntList: [3]',
      result: 'foo: [bar]',
    },
    {
      name: '$deleteFromPrimitiveList also deletes from a list without merge strategy',
      original: 'nonMergingIntList: [1, 2, 3]',
      patch: '$deleteFromPrimitiveList/nonMergingIntList: [2]',
      result: 'nonMergingIntList: [1, 3]',
    },
    {
      name: 'duplicates in a reordered scalar list stay together',
      original: 'mergingIntList: [1, 2, 3, 2, 4]',
      patch: '$setElementOrder/mergingIntList: [2, 1, 4, 3, 2]',
      result: 'mergingIntList: [2, 2, 1, 4, 3]',
    },
  ]);
});

describe('strategicMergePatch with $retainKeys', () => {
  runCases([
    { name: 'clears fields missing from $retainKeys (union switch)', original: 'retainKeysMap: {name: type1, value: foo}', patch: 'retainKeysMap: {$retainKeys: [name, other], name: type2, other: bar}', result: 'retainKeysMap: {name: type2, other: bar}' },
    { name: 'without the directive a retainKeys map merges normally', original: 'retainKeysMap: {name: foo}', patch: 'retainKeysMap: {value: bar}', result: 'retainKeysMap: {name: foo, value: bar}' },
    { name: 'a null member still deletes', original: 'retainKeysMap: {name: foo, value: bar, other: a}', patch: 'retainKeysMap: {$retainKeys: [name], value: null}', result: 'retainKeysMap: {name: foo}' },
    {
      name: 'merges a nested list while clearing',
      original: 'retainKeysMap: {name: foo, mergingIntList: [1, 2, 3, 4]}',
      patch: `
retainKeysMap:
  $retainKeys: [mergingIntList, name]
  mergingIntList: [5]
  $deleteFromPrimitiveList/mergingIntList: [2]
  $setElementOrder/mergingIntList: [1, 3, 5]`,
      result: 'retainKeysMap: {name: foo, mergingIntList: [1, 3, 5, 4]}',
    },
    {
      name: 'deletes an element of a nested merge list',
      original: 'retainKeysMap: {name: foo, mergingList: [{name: a}, {name: b}, {name: x}]}',
      patch: `
retainKeysMap:
  $retainKeys: [mergingList, name]
  $setElementOrder/mergingList: [{name: a}]
  mergingList: [{name: b, $patch: delete}]`,
      result: 'retainKeysMap: {name: foo, mergingList: [{name: a}, {name: x}]}',
    },
    {
      name: 'applies inside elements of a merge list',
      original: 'retainKeysMergingList: [{name: bar}, {name: foo, value: a, other: x}]',
      patch: '$setElementOrder/retainKeysMergingList: [{name: bar}, {name: foo}]\nretainKeysMergingList: [{$retainKeys: [name, value], name: foo}]',
      result: 'retainKeysMergingList: [{name: bar}, {name: foo, value: a}]',
    },
  ]);
});

/** Runs the patch and returns the PatchError it must throw. */
function failure(original: string, patch: string): PatchError {
  try {
    strategicMergePatch(yamlObject(original), yamlObject(patch), { schema: mergeItem });
  } catch (e) {
    assert.ok(e instanceof PatchError, `expected a PatchError, got ${String(e)}`);
    return e;
  }
  assert.fail('the patch applied, but it should have failed');
}

describe('strategicMergePatch failures', () => {
  it('a list element without its merge key fails with upstream text as a reason-less 500', () => {
    const e = failure('mergingList: [{name: 1, value: a}]', 'mergingList: [{value: b}]');
    assert.equal(e.code, 500);
    assert.equal(e.status.reason, undefined);
    assert.equal(e.message, 'map: map[value:b] does not contain declared merge key: name');
  });

  it('a $patch: delete element without merge key fails the same way', () => {
    const e = failure('mergingList: [{name: 1}]', 'mergingList: [{$patch: delete, value: 1}]');
    assert.equal(e.message, 'map: map[$patch:delete value:1] does not contain declared merge key: name');
  });

  it('an unknown $patch value in a map names the value and the map', () => {
    const e = failure('simpleMap: {a: b}', 'simpleMap: {$patch: foo, a: c}');
    assert.equal(e.code, 500);
    assert.equal(e.message, 'unknown patch type: foo in map: map[$patch:foo a:c]');
  });

  it('$patch: merge is not a map directive upstream either', () => {
    assert.equal(failure('simpleMap: {a: b}', 'simpleMap: {$patch: merge}').message, 'unknown patch type: merge in map: map[$patch:merge]');
  });

  it('an unknown $patch value in a list element fails, non-strings printed Go-style', () => {
    assert.equal(failure('mergingList: [{name: 1}]', 'mergingList: [{$patch: 1, name: 1}]').message, 'unknown patch type: %!s(int64=1) in map: map[$patch:1 name:1]');
  });

  it('$patch: merge in a list element is refused', () => {
    assert.equal(failure('mergingList: [{name: 1}]', 'mergingList: [{$patch: merge}]').message, 'merging lists cannot yet be specified in the patch');
  });

  it('a patch list out of $setElementOrder order fails with both lists printed', () => {
    const e = failure('mergingList: [{name: 1}, {name: 3}, {name: 2}]', '$setElementOrder/mergingList: [{name: 1}, {name: 2}, {name: 3}]\nmergingList: [{name: 3, value: 3}, {name: 1, value: 1}]');
    assert.equal(e.code, 500);
    assert.equal(
      e.message,
      "The order in patch list:\n[map[name:3 value:3] map[name:1 value:1]]\n doesn't match $setElementOrder list:\n[map[name:1] map[name:2] map[name:3]]\n",
    );
  });

  it('a scalar list out of $setElementOrder order fails', () => {
    assert.match(failure('mergingIntList: [1, 3, 2]', '$setElementOrder/mergingIntList: [1, 2, 3]\nmergingIntList: [3, 1]').message, /doesn't match/);
  });

  it('$retainKeys must be a list: 400 BadRequest', () => {
    const e = failure('retainKeysMap: {name: a}', 'retainKeysMap: {$retainKeys: name}');
    assert.equal(e.code, 400);
    assert.equal(e.status.reason, 'BadRequest');
    assert.equal(e.message, 'invalid patch format of retainKeys');
  });

  it('a field set by the patch but missing from $retainKeys is a 400', () => {
    assert.equal(failure('retainKeysMap: {name: a}', 'retainKeysMap: {$retainKeys: [name], value: b}').code, 400);
  });

  it('a $setElementOrder key without "/" is a 400', () => {
    const e = failure('mergingList: []', '$setElementOrderX: []');
    assert.equal(e.code, 400);
    assert.equal(e.message, 'invalid patch format of setElementOrder list');
  });

  it('a $deleteFromPrimitiveList key without "/" is a 400', () => {
    assert.equal(failure('mergingIntList: [1]', '$deleteFromPrimitiveListX: [1]').message, 'invalid patch format of primitive list');
  });

  it('a $setElementOrder that is not a list names the Go types', () => {
    assert.equal(failure('mergingList: [{name: 1}]', '$setElementOrder/mergingList: x').message, 'expected a []interface {}, but received a string');
  });

  it('lists of lists are 422 with the generic message; the cause stays in detail', () => {
    const e = failure('mergingIntList: [[1]]', 'mergingIntList: [[2]]');
    assert.equal(e.code, 422);
    assert.equal(e.status.reason, 'Invalid');
    assert.equal(e.message, 'the server rejected our request due to an error in our request');
    assert.equal(e.detail, 'lists of lists are not supported');
  });

  it('mixed element types in a merged list are refused, listing both lists', () => {
    assert.equal(failure('mergingIntList: [1, 2]', 'mergingIntList: [a]').message, 'list element types are not identical: [[1 2] [a]]');
  });
});

describe('strategicMergePatch purity', () => {
  it('leaves both inputs untouched', () => {
    const original = yamlObject('mergingList: [{name: 1, value: 1}, {name: 2}]');
    const patch = yamlObject('$setElementOrder/mergingList: [{name: 2}]\nmergingList: [{name: 1, $patch: delete}]');
    const before = JSON.stringify([original, patch]);
    assert.deepEqual(strategicMergePatch(original, patch, { schema: mergeItem }), yamlObject('mergingList: [{name: 2}]'));
    assert.equal(JSON.stringify([original, patch]), before);
  });

  it('drops directive keys that a replaced subtree carried', () => {
    const out = strategicMergePatch(yamlObject('nonMergingList: [{name: 1}]'), yamlObject('nonMergingList: [{name: 2, $patch: delete, $retainKeys: [x]}]'), { schema: mergeItem });
    assert.deepEqual(out, { nonMergingList: [{ name: 2 }] });
  });
});
