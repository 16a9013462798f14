import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusError } from '../../api/index.js';
import { fieldValidationOf, validateApplyBody, validateBody, validatePatch, warningHeaders } from './fieldValidation.js';

const gvk = { apiVersion: 'v1', kind: 'Service' };
const body = '{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"bar":1,"spec":{"foo":1,"type":"A","type":"B"}}';

const failure = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof StatusError);
    return e.status;
  }
  assert.fail('expected a StatusError');
};

describe('fieldValidationOf', () => {
  it('defaults to Warn and rejects unknown values with upstream`s 422', () => {
    assert.equal(fieldValidationOf(new URLSearchParams(''), { options: 'CreateOptions' }), 'Warn');
    assert.equal(fieldValidationOf(new URLSearchParams('fieldValidation=Strict'), { options: 'CreateOptions' }), 'Strict');
    const s = failure(() => fieldValidationOf(new URLSearchParams('fieldValidation=strict'), { options: 'PatchOptions' }));
    assert.equal(s.code, 422);
    assert.equal(s.message, 'PatchOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "strict": supported values: "", "Ignore", "Strict", "Warn"');
  });
});

describe('validateBody', () => {
  const object = JSON.parse(body) as unknown;

  it('under Strict fails with 400 listing unknown and duplicate fields in document order', () => {
    const s = failure(() => validateBody({ text: body, format: 'json', object, gvk, directive: 'Strict' }));
    assert.equal(s.code, 400);
    assert.equal(s.reason, 'BadRequest');
    assert.equal(s.message, 'Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "bar", unknown field "spec.foo", duplicate field "spec.type"');
  });

  it('under Warn returns them as warnings, under Ignore nothing', () => {
    assert.deepEqual(validateBody({ text: body, format: 'json', object, gvk, directive: 'Warn' }).warnings, ['unknown field "bar"', 'unknown field "spec.foo"', 'duplicate field "spec.type"']);
    assert.deepEqual(validateBody({ text: body, format: 'json', object, gvk, directive: 'Ignore' }).warnings, []);
  });

  it('fails type errors with 400 whatever the directive', () => {
    const text = '{"apiVersion":"v1","kind":"Service","spec":{"ports":[{"port":"80"}]}}';
    const s = failure(() => validateBody({ text, format: 'json', object: JSON.parse(text), gvk, directive: 'Ignore' }));
    assert.equal(s.message, 'Service in version "v1" cannot be handled as a Service: json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32');
  });

  it('for YAML, puts repeated keys first and unknown fields in sorted-key order', () => {
    const text = 'apiVersion: v1\nkind: Service\nspec:\n  zz: 1\n  aa: 2\n  type: A\n  type: B\n';
    const r = validateBody({ text, format: 'yaml', object: { apiVersion: 'v1', kind: 'Service', spec: { zz: 1, aa: 2, type: 'B' } }, gvk, directive: 'Warn' });
    assert.deepEqual(r.warnings, ['line 7: key "type" already set in map', 'unknown field "spec.aa"', 'unknown field "spec.zz"']);
  });
});

describe('validatePatch', () => {
  it('under Strict fails with the bare strict decoding error: patch duplicates, then unknown fields of the result', () => {
    const s = failure(() => validatePatch({ patchText: '{"spec":{"x":1,"x":2}}', patched: { apiVersion: 'v1', kind: 'Service', spec: { x: 2 } }, gvk, directive: 'Strict' }));
    assert.equal(s.message, 'strict decoding error: duplicate field "spec.x", unknown field "spec.x"');
  });

  it('answers 422 for a patched value of the wrong type', () => {
    const s = failure(() => validatePatch({ patchText: '{}', patched: { spec: { ports: [{ port: 'a' }] } }, gvk, directive: 'Ignore' }));
    assert.equal(s.code, 422);
    assert.match(s.message ?? '', /^ "" is invalid: patch: Invalid value: ".*": json: cannot unmarshal string into Go struct field ServicePort\.spec\.ports\.port of type int32$/);
  });
});

describe('validateApplyBody', () => {
  it('checks only repeated keys: 400 under Strict, warnings under Warn', () => {
    const text = '{"spec":{"paused":false,"paused":true}}';
    assert.equal(failure(() => validateApplyBody({ text, directive: 'Strict' })).message, 'error strict decoding YAML: yaml: unmarshal errors:\n  line 1: key "paused" already set in map');
    assert.deepEqual(validateApplyBody({ text, directive: 'Warn' }).warnings, ['line 1: key "paused" already set in map']);
  });
});

describe('warningHeaders', () => {
  it('formats 299 warnings with quotes escaped, once each', () => {
    assert.deepEqual(warningHeaders(['unknown field "spec.foo"', 'unknown field "spec.foo"']), ['299 - "unknown field \\"spec.foo\\""']);
  });
});
