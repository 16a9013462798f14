import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkJson, checkObject, findDuplicateFields, firstDecodeError, pruneUnknownFields } from './decode.js';

const svc = { apiVersion: 'v1', kind: 'Service' };
const deploy = { apiVersion: 'apps/v1', kind: 'Deployment' };

describe('checkObject', () => {
  it('reports unknown fields with upstream paths, list indexes included', () => {
    const r = checkObject({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'a' }, bar: 1, spec: { foo: 1, ports: [{ port: 80 }, { port: 81, bar: 2 }] } }, svc);
    assert.deepEqual(r.unknown, ['bar', 'spec.foo', 'spec.ports[1].bar']);
    assert.deepEqual(r.typeErrors, []);
  });

  it('matches field names case-sensitively, as the apiserver decoder does', () => {
    assert.deepEqual(checkObject({ Spec: {} }, svc).unknown, ['Spec']);
  });

  it('does not look inside unknown fields or free-form values', () => {
    const r = checkObject({ metadata: { annotations: { 'x/y': 'z' }, managedFields: [{ fieldsV1: { 'f:any': {} } }] }, spec: { foo: { bar: 1 } } }, svc);
    assert.deepEqual(r.unknown, ['spec.foo']);
  });

  it('renders type errors as Go UnmarshalTypeError texts', () => {
    const r = checkObject({ metadata: { labels: { a: 1 } }, spec: { ports: [{ port: '80' }], selector: 'x' } }, svc);
    assert.deepEqual(
      r.typeErrors.map((e) => [e.path, e.message]),
      [
        ['metadata.labels.a', 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string'],
        ['spec.ports[0].port', 'json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32'],
        ['spec.selector', 'json: cannot unmarshal string into Go struct field ServiceSpec.spec.selector of type map[string]string'],
      ],
    );
  });

  it('names structs, slices and named types as reflect prints them', () => {
    const r = checkObject({ spec: 'x', metadata: { finalizers: 'a' } }, deploy);
    assert.deepEqual(
      r.typeErrors.map((e) => e.message),
      [
        'json: cannot unmarshal string into Go struct field Deployment.spec of type v1.DeploymentSpec',
        'json: cannot unmarshal string into Go struct field ObjectMeta.metadata.finalizers of type []string',
      ],
    );
    assert.equal(checkObject({ spec: { ports: [{ port: 1, protocol: 6 }] } }, svc).typeErrors[0]?.message, 'json: cannot unmarshal number into Go struct field ServicePort.spec.ports.protocol of type v1.Protocol');
  });

  it('rejects non-integer and out-of-range numbers for int32 with the literal', () => {
    const r = checkObject({ spec: { replicas: 1.5, revisionHistoryLimit: 3000000000 } }, deploy);
    assert.deepEqual(
      r.typeErrors.map((e) => e.message),
      [
        'json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32',
        'json: cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.revisionHistoryLimit of type int32',
      ],
    );
  });

  it('accepts int-or-string values and reports others as IntOrString does, fatally', () => {
    assert.deepEqual(checkObject({ spec: { ports: [{ port: 80, targetPort: 'http' }, { port: 81, targetPort: 8080 }] } }, svc).typeErrors, []);
    const [e] = checkObject({ spec: { ports: [{ port: 80, targetPort: true }] } }, svc).typeErrors;
    assert.equal(e?.message, 'json: cannot unmarshal bool into Go struct field ServicePort.spec.ports.targetPort of type int32');
    assert.equal(e?.fatal, true);
  });

  it('checks quantities, times and base64 bytes with the messages of their Go parsers', () => {
    const pod = checkObject(
      { metadata: { creationTimestamp: '2024-13-01T00:00:00Z' }, spec: { containers: [{ name: 'a', resources: { limits: { cpu: '1x', memory: '1Gi' }, requests: { cpu: '1mm' } } }] } },
      { apiVersion: 'v1', kind: 'Pod' },
    );
    assert.deepEqual(
      pod.typeErrors.map((e) => e.message),
      [
        'parsing time "2024-13-01T00:00:00Z": month out of range',
        "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
        "unable to parse quantity's suffix",
      ],
    );
    assert.equal(
      checkObject({ metadata: { creationTimestamp: 'yesterday' } }, svc).typeErrors[0]?.message,
      'parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"',
    );
    assert.equal(checkObject({ data: { a: 'aGk=', b: 'a*' } }, { apiVersion: 'v1', kind: 'Secret' }).typeErrors[0]?.message, 'illegal base64 data at input byte 1');
    assert.equal(
      checkObject({ eventTime: '2024-01-01T00:00:00Z', involvedObject: {} }, { apiVersion: 'v1', kind: 'Event' }).typeErrors[0]?.message,
      'parsing time "2024-01-01T00:00:00Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "Z" as ".000000"',
    );
  });

  it('treats null as Go does: no error anywhere', () => {
    assert.deepEqual(checkObject({ metadata: null, spec: { ports: [null], selector: null, type: null } }, svc), { unknown: [], typeErrors: [] });
  });

  it('finds nothing for kinds without a schema', () => {
    assert.deepEqual(checkObject({ foo: 1 }, { apiVersion: 'example.com/v1', kind: 'Widget' }), { unknown: [], typeErrors: [] });
  });
});

describe('firstDecodeError', () => {
  it('prefers the first error a type returns from its own UnmarshalJSON, as Go stops there', () => {
    const r = checkObject({ spec: { ports: [{ port: 'a', targetPort: [] }] } }, svc);
    assert.match(firstDecodeError(r.typeErrors)?.message ?? '', /targetPort of type int32/);
    assert.match(firstDecodeError(checkObject({ spec: { ports: [{ port: 'a' }] } }, svc).typeErrors)?.message ?? '', /port of type int32/);
  });
});

describe('checkJson', () => {
  it('reports unknown and duplicate fields in document order, each once (upstream TestFieldValidation body)', () => {
    const body = `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d","labels":{"app":"nginx"}},
      "spec":{"unknown1":"val1","unknownDupe":"valDupe","unknownDupe":"valDupe2","paused":true,"paused":false,
      "selector":{"matchLabels":{"app":"nginx"}},"template":{"metadata":{"labels":{"app":"nginx"}},
      "spec":{"containers":[{"name":"nginx","image":"nginx:latest","unknownNested":"val1","imagePullPolicy":"Always","imagePullPolicy":"Never"}]}}}}`;
    assert.deepEqual(checkJson(body, deploy)?.strictErrors, [
      'unknown field "spec.unknown1"',
      'unknown field "spec.unknownDupe"',
      'duplicate field "spec.paused"',
      'unknown field "spec.template.spec.containers[0].unknownNested"',
      'duplicate field "spec.template.spec.containers[0].imagePullPolicy"',
    ]);
  });

  it('reports duplicate map keys and keeps the literal of numbers for type errors', () => {
    const r = checkJson('{"metadata":{"labels":{"a":"1","a":"2"}},"spec":{"replicas":1.0}}', deploy);
    assert.deepEqual(r?.strictErrors, ['duplicate field "metadata.labels.a"']);
    assert.equal(r?.typeErrors[0]?.message, 'json: cannot unmarshal number 1.0 into Go struct field DeploymentSpec.spec.replicas of type int32');
  });

  it('returns undefined for text that is not JSON', () => {
    assert.equal(checkJson('{"a":', svc), undefined);
  });
});

describe('findDuplicateFields', () => {
  it('without a kind, finds repeated keys everywhere, as a patch decoded into a map', () => {
    assert.deepEqual(findDuplicateFields('{"spec":{"x":1,"x":2,"ports":[{"a":1,"a":2}]},"spec":{}}'), ['spec.x', 'spec.ports[0].a', 'spec']);
  });

  it('with a kind, ignores repeats inside unknown fields', () => {
    assert.deepEqual(findDuplicateFields('{"spec":{"foo":{"x":1,"x":2},"type":"A","type":"B"}}', svc), ['spec.type']);
  });
});

describe('pruneUnknownFields', () => {
  it('drops unknown fields at every depth and keeps everything else', () => {
    const pruned = pruneUnknownFields({ apiVersion: 'v1', kind: 'Service', foo: 1, metadata: { name: 'a', labels: { x: 'y' } }, spec: { bar: 2, ports: [{ port: 80, baz: 3 }] } }, svc);
    assert.deepEqual(pruned, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'a', labels: { x: 'y' } }, spec: { ports: [{ port: 80 }] } });
  });
});
