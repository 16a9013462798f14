// RFC 6902 Appendix A, every example, plus the pointer rules of RFC 6901.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonValue } from './_json.js';
import { applyJsonPatch, JsonPatchError } from './jsonPatch.js';

interface Vector {
  name: string;
  doc: JsonValue;
  patch: JsonValue[];
  expected?: JsonValue;
  /** A failing example: the error must mention this. */
  error?: RegExp;
}

const appendixA: Vector[] = [
  { name: 'A.1 adding an object member', doc: { foo: 'bar' }, patch: [{ op: 'add', path: '/baz', value: 'qux' }], expected: { baz: 'qux', foo: 'bar' } },
  { name: 'A.2 adding an array element', doc: { foo: ['bar', 'baz'] }, patch: [{ op: 'add', path: '/foo/1', value: 'qux' }], expected: { foo: ['bar', 'qux', 'baz'] } },
  { name: 'A.3 removing an object member', doc: { baz: 'qux', foo: 'bar' }, patch: [{ op: 'remove', path: '/baz' }], expected: { foo: 'bar' } },
  { name: 'A.4 removing an array element', doc: { foo: ['bar', 'qux', 'baz'] }, patch: [{ op: 'remove', path: '/foo/1' }], expected: { foo: ['bar', 'baz'] } },
  { name: 'A.5 replacing a value', doc: { baz: 'qux', foo: 'bar' }, patch: [{ op: 'replace', path: '/baz', value: 'boo' }], expected: { baz: 'boo', foo: 'bar' } },
  {
    name: 'A.6 moving a value',
    doc: { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
    patch: [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
    expected: { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
  },
  {
    name: 'A.7 moving an array element',
    doc: { foo: ['all', 'grass', 'cows', 'eat'] },
    patch: [{ op: 'move', from: '/foo/1', path: '/foo/3' }],
    expected: { foo: ['all', 'cows', 'eat', 'grass'] },
  },
  {
    name: 'A.8 testing a value: success',
    doc: { baz: 'qux', foo: ['a', 2, 'c'] },
    patch: [{ op: 'test', path: '/baz', value: 'qux' }, { op: 'test', path: '/foo/1', value: 2 }],
    expected: { baz: 'qux', foo: ['a', 2, 'c'] },
  },
  { name: 'A.9 testing a value: error', doc: { baz: 'qux' }, patch: [{ op: 'test', path: '/baz', value: 'bar' }], error: /test failed/ },
  { name: 'A.10 adding a nested member object', doc: { foo: 'bar' }, patch: [{ op: 'add', path: '/child', value: { grandchild: {} } }], expected: { foo: 'bar', child: { grandchild: {} } } },
  { name: 'A.11 ignoring unrecognized elements', doc: { foo: 'bar' }, patch: [{ op: 'add', path: '/baz', value: 'qux', xyz: 123 }], expected: { foo: 'bar', baz: 'qux' } },
  { name: 'A.12 adding to a nonexistent target', doc: { foo: 'bar' }, patch: [{ op: 'add', path: '/baz/bat', value: 'qux' }], error: /does not exist/ },
  // A.13's duplicate "op" decodes to its last value in JSON.parse as in Go: a remove of a missing member.
  { name: 'A.13 invalid JSON Patch document', doc: { foo: 'bar' }, patch: [JSON.parse('{ "op": "add", "path": "/baz", "value": "qux", "op": "remove" }') as JsonValue], error: /does not exist/ },
  { name: 'A.14 ~ escape ordering', doc: { '/': 9, '~1': 10 }, patch: [{ op: 'test', path: '/~01', value: 10 }], expected: { '/': 9, '~1': 10 } },
  { name: 'A.15 comparing strings and numbers', doc: { '/': 9, '~1': 10 }, patch: [{ op: 'test', path: '/~01', value: '10' }], error: /test failed/ },
  { name: 'A.16 adding an array value', doc: { foo: ['bar'] }, patch: [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }], expected: { foo: ['bar', ['abc', 'def']] } },
];

const more: Vector[] = [
  { name: '~1 in a path names a member containing "/"', doc: { 'a/b': 1 }, patch: [{ op: 'replace', path: '/a~1b', value: 2 }], expected: { 'a/b': 2 } },
  { name: 'an unknown escape is an error', doc: { a: 1 }, patch: [{ op: 'remove', path: '/a~2' }], error: /invalid escape/ },
  { name: 'a path must start with "/"', doc: { a: 1 }, patch: [{ op: 'remove', path: 'a' }], error: /must start with/ },
  { name: 'replace needs an existing target', doc: { a: 1 }, patch: [{ op: 'replace', path: '/b', value: 2 }], error: /does not exist/ },
  { name: 'add past the end of an array is an error', doc: { a: [1] }, patch: [{ op: 'add', path: '/a/2', value: 2 }], error: /out of bounds/ },
  { name: 'add at the end index appends', doc: { a: [1] }, patch: [{ op: 'add', path: '/a/1', value: 2 }], expected: { a: [1, 2] } },
  { name: 'array indexes have no leading zeros', doc: { a: [1, 2] }, patch: [{ op: 'remove', path: '/a/01' }], error: /not an array index/ },
  { name: '"-" is only valid to add', doc: { a: [1] }, patch: [{ op: 'remove', path: '/a/-' }], error: /not an array index/ },
  { name: 'copy duplicates a value without sharing it', doc: { a: { b: 1 } }, patch: [{ op: 'copy', from: '/a', path: '/c' }, { op: 'replace', path: '/c/b', value: 2 }], expected: { a: { b: 1 }, c: { b: 2 } } },
  { name: 'a value cannot move into its own child', doc: { a: { b: 1 } }, patch: [{ op: 'move', from: '/a', path: '/a/b/c' }], error: /into one of its children/ },
  { name: 'the empty path is the whole document', doc: { a: 1 }, patch: [{ op: 'replace', path: '', value: { b: 2 } }], expected: { b: 2 } },
  { name: 'test compares objects regardless of member order', doc: { a: { x: 1, y: [1, { z: 2 }] } }, patch: [{ op: 'test', path: '/a', value: { y: [1, { z: 2 }], x: 1 } }], expected: { a: { x: 1, y: [1, { z: 2 }] } } },
  { name: 'an unknown op is an error', doc: {}, patch: [{ op: 'merge', path: '/a' }], error: /unknown op/ },
  { name: 'add without value is an error', doc: {}, patch: [{ op: 'add', path: '/a' }], error: /"value" is missing/ },
  { name: 'a "__proto__" member is an ordinary member', doc: {}, patch: [{ op: 'add', path: '/__proto__', value: { polluted: true } }], expected: JSON.parse('{"__proto__":{"polluted":true}}') as JsonValue },
];

describe('applyJsonPatch', () => {
  for (const v of [...appendixA, ...more]) {
    it(v.name, () => {
      const { error } = v;
      if (error) assert.throws(() => applyJsonPatch(v.doc, v.patch), (e: unknown) => e instanceof JsonPatchError && error.test(e.message));
      else assert.deepEqual(applyJsonPatch(v.doc, v.patch), v.expected);
    });
  }

  it('leaves the document untouched when a later operation fails', () => {
    const doc: JsonValue = { a: [1, 2] };
    assert.throws(() => applyJsonPatch(doc, [{ op: 'remove', path: '/a/0' }, { op: 'test', path: '/a/0', value: 9 }]), JsonPatchError);
    assert.deepEqual(doc, { a: [1, 2] });
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });
});
