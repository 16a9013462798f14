// RFC 7386 Appendix A and the section 3 example, then where the Kubernetes flavor differs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonValue } from './_json.js';
import { mergePatch } from './mergePatch.js';

const appendixA: [JsonValue, JsonValue, JsonValue][] = [
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [['a', 'b'], ['c', 'd'], ['c', 'd']],
  [{ a: 'b' }, ['c'], ['c']],
  [{ a: 'foo' }, null, null],
  [{ a: 'foo' }, 'bar', 'bar'],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: 'b', c: null }, { a: 'b' }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
];

describe('mergePatch (RFC 7386)', () => {
  for (const [target, patch, expected] of appendixA) {
    it(`Appendix A: ${JSON.stringify(target)} + ${JSON.stringify(patch)} = ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(mergePatch(target, patch), expected);
      assert.deepEqual(mergePatch(target, patch, { flavor: 'kubernetes' }), expected);
    });
  }

  it('section 3: the blog post example', () => {
    const target = { title: 'Goodbye!', author: { givenName: 'John', familyName: 'Doe' }, tags: ['example', 'sample'], content: 'This will be unchanged' };
    const patch = { title: 'Hello!', phoneNumber: '+01-123-456-7890', author: { familyName: null }, tags: ['example'] };
    assert.deepEqual(mergePatch(target, patch), {
      title: 'Hello!',
      author: { givenName: 'John' },
      tags: ['example'],
      content: 'This will be unchanged',
      phoneNumber: '+01-123-456-7890',
    });
    assert.deepEqual(target.author, { givenName: 'John', familyName: 'Doe' });
  });

  it('RFC flavor keeps nulls inside objects in arrays; the Kubernetes flavor drops them', () => {
    const patch = { list: [{ a: 1, b: null }, null] };
    assert.deepEqual(mergePatch({}, patch), { list: [{ a: 1, b: null }, null] });
    assert.deepEqual(mergePatch({}, patch, { flavor: 'kubernetes' }), { list: [{ a: 1 }, null] });
  });

  it('Kubernetes flavor keeps an array that replaces an object exactly as sent', () => {
    assert.deepEqual(mergePatch({ list: { x: 1 } }, { list: [{ b: null }] }, { flavor: 'kubernetes' }), { list: [{ b: null }] });
  });
});
