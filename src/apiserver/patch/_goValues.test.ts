import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GoPanic, goEqual, goNumber, goS, goV } from './_goValues.js';

describe('goV (fmt %v of decoded JSON)', () => {
  it('prints maps with sorted keys, lists space-separated, nil as <nil>', () => {
    assert.equal(goV({ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }, 8080], env: null, ok: true }), 'map[env:<nil> image:nginx name:web ok:true ports:[map[containerPort:80] 8080]]');
    assert.equal(goV({}), 'map[]');
    assert.equal(goV([[1, 2], ['a']]), '[[1 2] [a]]');
  });

  it('prints float64 like strconv %g with the shortest digits', () => {
    assert.equal(goNumber(80), '80');
    assert.equal(goNumber(1.5), '1.5');
    assert.equal(goNumber(0.0001), '0.0001');
    assert.equal(goNumber(0.00001), '1e-05');
    assert.equal(goNumber(1234567.5), '1.2345675e+06');
    assert.equal(goNumber(-0.25), '-0.25');
  });
});

describe('goS (fmt %s)', () => {
  it('prints strings raw and flags other kinds', () => {
    assert.equal(goS('delete'), 'delete');
    assert.equal(goS(1), '%!s(int64=1)');
    assert.equal(goS(1.5), '%!s(float64=1.5)');
    assert.equal(goS(true), '%!s(bool=true)');
    assert.equal(goS(null), '%!s(<nil>)');
  });
});

describe('goEqual (== on interface{})', () => {
  it('compares scalars of one type, never across types, and panics on maps', () => {
    assert.equal(goEqual(80, 80), true);
    assert.equal(goEqual(80, '80'), false);
    assert.equal(goEqual(1, 1.5), false);
    assert.equal(goEqual(null, null), true);
    assert.equal(goEqual({ a: 1 }, 'x'), false);
    assert.throws(() => goEqual({ a: 1 }, { a: 1 }), GoPanic);
  });
});
