import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FieldSet, fromFieldsV1, pathString, toFieldsV1 } from './_fieldSet.js';

describe('FieldSet', () => {
  it('round-trips FieldsV1, writing keys in fieldpath order (fields, then keys by value)', () => {
    const text =
      '{"f:metadata":{"f:finalizers":{".":{},"v:\\"a\\"":{},"v:\\"b\\"":{}},"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:ports":{"k:{\\"port\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:port":{}},"k:{\\"port\\":443,\\"protocol\\":\\"TCP\\"}":{}},"f:type":{}}}';
    assert.equal(toFieldsV1(fromFieldsV1(JSON.parse(text))), text);
  });

  it('renders member paths as conflicts print them', () => {
    const s = fromFieldsV1({ 'f:spec': { 'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { 'f:targetPort': {} } } }, 'f:metadata': { 'f:finalizers': { 'v:"x"': {} } } });
    assert.deepEqual(s.paths().map(pathString), ['.metadata.finalizers[="x"]', '.spec.ports[port=80,protocol="TCP"].targetPort']);
  });

  it('differs from recursiveDifference only below members', () => {
    const a = FieldSet.of([{ field: 'status' }, { field: 'phase' }], [{ field: 'spec' }, { field: 'x' }]);
    const ignore = FieldSet.of([{ field: 'status' }]);
    assert.equal(toFieldsV1(a.difference(ignore)), '{"f:spec":{"f:x":{}},"f:status":{"f:phase":{}}}');
    assert.equal(toFieldsV1(a.recursiveDifference(ignore)), '{"f:spec":{"f:x":{}}}');
  });
});
