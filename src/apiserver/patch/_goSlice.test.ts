import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonValue } from './_json.js';
import { goAppend, goSliceOf, goStableSort, reslice, sliceItems } from './_goSlice.js';

describe('GoSlice', () => {
  it('append(s[:i], s[i+1:]...) shifts the shared backing array, as Go does', () => {
    const backing: JsonValue[] = ['a', 'b', 'c'];
    const s = goSliceOf(backing);
    const shorter = goAppend(reslice(s, { lo: 0, hi: 1 }), sliceItems(reslice(s, { lo: 2, hi: 3 })));
    assert.deepEqual(sliceItems(shorter), ['a', 'c']);
    assert.deepEqual(backing, ['a', 'c', 'c']);
    const grown = goAppend(shorter, ['d']);
    assert.deepEqual(backing, ['a', 'c', 'd'], 'the freed slot is reused in place');
    goAppend(grown, ['e']);
    assert.deepEqual(backing, ['a', 'c', 'd'], 'beyond capacity a new array is allocated');
  });
});

describe('goStableSort', () => {
  it('sorts stably across the insertion-sort blocks and SymMerge (more than 20 elements)', () => {
    const items = Array.from({ length: 57 }, (_, i) => ({ key: (i * 37) % 11, seq: i }));
    const expected = [...items].sort((a, b) => a.key - b.key);
    goStableSort(items, (a, b) => a.key < b.key);
    assert.deepEqual(items, expected);
  });

  it('with a less that is always true (unknown elements) it reverses short lists like Go insertion sort', () => {
    const items = [1, 2, 3, 4];
    goStableSort(items, () => true);
    assert.deepEqual(items, [4, 3, 2, 1]);
  });
});
