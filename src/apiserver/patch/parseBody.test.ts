import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePatchBody, type ParsePatchOptions } from './parseBody.js';
import { PatchError } from './patchError.js';

function failure(contentType: string, body: string, opts?: ParsePatchOptions): PatchError {
  try {
    parsePatchBody(contentType, body, opts);
  } catch (e) {
    assert.ok(e instanceof PatchError, `expected a PatchError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the body to be rejected');
}

describe('parsePatchBody', () => {
  it('recognizes the three content types kubectl sends, ignoring parameters', () => {
    assert.deepEqual(parsePatchBody('application/json-patch+json', '[{"op":"remove","path":"/a"}]'), { type: 'json', patch: [{ op: 'remove', path: '/a' }] });
    assert.deepEqual(parsePatchBody('application/merge-patch+json; charset=utf-8', '{"a":null}'), { type: 'merge', patch: { a: null } });
    assert.deepEqual(parsePatchBody('application/strategic-merge-patch+json', '{"spec":{}}'), { type: 'strategic', patch: { spec: {} } });
  });

  it('answers any other type with 415 listing what the apiserver accepts', () => {
    const e = failure('application/json', '{}');
    assert.equal(e.code, 415);
    assert.equal(e.status.reason, 'UnsupportedMediaType');
    assert.equal(
      e.message,
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml',
    );
  });

  it('matches the media type exactly, as the apiserver does', () => {
    assert.equal(failure('Application/Merge-Patch+JSON', '{}').code, 415);
  });

  it('malformed strategic patch JSON is 400 with encoding/json wording', () => {
    const e = failure('application/strategic-merge-patch+json', '{spec: 1}');
    assert.equal(e.code, 400);
    assert.equal(e.status.reason, 'BadRequest');
    assert.equal(e.message, "invalid character 's' looking for beginning of object key string");
  });

  it('an empty body is unexpected end of JSON input', () => {
    assert.equal(failure('application/strategic-merge-patch+json', '').message, 'unexpected end of JSON input');
  });

  it('a strategic patch must be an object; null is an empty patch', () => {
    assert.equal(failure('application/strategic-merge-patch+json', '[]').message, 'json: cannot unmarshal array into Go value of type map[string]interface {}');
    assert.deepEqual(parsePatchBody('application/strategic-merge-patch+json', 'null'), { type: 'strategic', patch: {} });
  });

  it('JSON and merge patches are decoded strictly by default, prefixing "error decoding patch: "', () => {
    assert.equal(failure('application/merge-patch+json', '{"a":}').message, "error decoding patch: invalid character '}' looking for beginning of value");
    assert.equal(
      failure('application/json-patch+json', '{"op":"add"}').message,
      'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp',
    );
    assert.equal(
      failure('application/json-patch+json', '[{"op":1,"path":"/a"}]').message,
      'error decoding patch: json: cannot unmarshal number into Go struct field jsonPatchOp.op of type string',
    );
    assert.equal(failure('application/merge-patch+json', '[1]').message, 'error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}');
  });

  it('with fieldValidation=Ignore the libraries word the errors', () => {
    const ignore: ParsePatchOptions = { fieldValidation: 'Ignore' };
    assert.equal(failure('application/merge-patch+json', '{"a":}', ignore).message, 'Invalid JSON Patch');
    assert.equal(failure('application/json-patch+json', '{}', ignore).message, 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
    assert.equal(failure('application/json-patch+json', '["x"]', ignore).message, 'json: cannot unmarshal string into Go value of type jsonpatch.Operation');
    assert.deepEqual(parsePatchBody('application/merge-patch+json', '[1]', ignore), { type: 'merge', patch: [1] });
  });

  it('a null or scalar merge patch is Invalid JSON Patch', () => {
    assert.equal(failure('application/merge-patch+json', 'null').message, 'Invalid JSON Patch');
    assert.equal(failure('application/merge-patch+json', '"x"', { fieldValidation: 'Ignore' }).message, 'Invalid JSON Patch');
  });

  it('a null JSON patch is an empty list of operations', () => {
    assert.deepEqual(parsePatchBody('application/json-patch+json', 'null'), { type: 'json', patch: [] });
  });
});
