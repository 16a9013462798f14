import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allResourceTypes, apiVersionOf } from '../../api/index.js';
import { schemaFor } from '../../api/schema/index.js';
import type { JsonObject } from './document.js';
import { swaggerDocument } from './swagger.js';

const doc = swaggerDocument(allResourceTypes);
const defs = doc['definitions'] as Record<string, JsonObject>;
const props = (name: string) => defs[name]!['properties'] as Record<string, JsonObject>;

type Op = { parameters?: { name: string; in: string }[]; 'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string } };

describe('swaggerDocument', () => {
  it('is swagger 2.0 whose every $ref resolves to a definition', () => {
    assert.equal(doc['swagger'], '2.0');
    const text = JSON.stringify(doc);
    assert.doesNotMatch(text, /#\/components\//);
    const refs = [...text.matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!);
    assert.ok(refs.length > 100);
    for (const r of refs) assert.ok(r.startsWith('#/definitions/') && defs[r.slice('#/definitions/'.length)], r);
  });

  it('defines every served kind and its List under upstream names with x-kubernetes-group-version-kind', () => {
    assert.deepEqual(defs['io.k8s.api.core.v1.Service']!['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Service', version: 'v1' }]);
    assert.deepEqual(defs['io.k8s.api.apps.v1.DeploymentList']!['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'DeploymentList', version: 'v1' }]);
    for (const t of allResourceTypes) {
      const name = schemaFor(apiVersionOf(t), t.kind)!.name;
      assert.deepEqual(defs[name]?.['x-kubernetes-group-version-kind'], [{ group: t.group, kind: t.kind, version: t.version }], name);
    }
  });

  it('writes field facts from api/schema as kube-openapi reads them: $ref without type, typed arrays and maps, required, extensions', () => {
    const spec = props('io.k8s.api.core.v1.ServiceSpec');
    assert.deepEqual(spec['ports'], {
      type: 'array',
      items: { $ref: '#/definitions/io.k8s.api.core.v1.ServicePort', default: {} },
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['port', 'protocol'],
      'x-kubernetes-patch-merge-key': 'port',
      'x-kubernetes-patch-strategy': 'merge',
    });
    assert.deepEqual(spec['selector'], { type: 'object', additionalProperties: { type: 'string' }, 'x-kubernetes-map-type': 'atomic' });
    assert.deepEqual(props('io.k8s.api.core.v1.ServicePort')['targetPort'], { $ref: '#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString' });
    assert.deepEqual(props('io.k8s.api.core.v1.ServicePort')['port'], { type: 'integer', format: 'int32' });
    assert.deepEqual(props('io.k8s.api.core.v1.ServicePort')['protocol'], { type: 'string', enum: ['SCTP', 'TCP', 'UDP'], default: 'TCP' });
    assert.deepEqual(defs['io.k8s.api.core.v1.ServicePort']!['required'], ['port']);
    assert.deepEqual(props('io.k8s.api.apps.v1.DeploymentSpec')['replicas'], { type: 'integer', format: 'int32' });
    assert.deepEqual(defs['io.k8s.apimachinery.pkg.util.intstr.IntOrString'], { type: 'string', format: 'int-or-string' });
    assert.deepEqual(defs['io.k8s.apimachinery.pkg.api.resource.Quantity'], { type: 'string' });
    assert.deepEqual(defs['io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1'], { type: 'object' });
    assert.equal(defs['io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector']!['x-kubernetes-map-type'], 'atomic');
    // A $ref with a type or properties would not be a reference to kube-openapi; every struct is `type: object` with properties.
    const walk = (s: JsonObject, at: string): void => {
      if (s['$ref']) assert.ok(!('type' in s) && !('properties' in s) && !('allOf' in s), at);
      for (const [k, v] of Object.entries((s['properties'] as Record<string, JsonObject> | undefined) ?? {})) walk(v, `${at}.${k}`);
      if (s['items']) walk(s['items'] as JsonObject, `${at}[]`);
      if (typeof s['additionalProperties'] === 'object') walk(s['additionalProperties'] as JsonObject, `${at}{}`);
    };
    for (const [name, d] of Object.entries(defs)) {
      walk(d, name);
      if (d['properties']) assert.equal(d['type'], 'object', name);
    }
  });

  it('has, for every served kind, a PATCH path with its GVK and fieldValidation (cli-runtime QueryParamVerifier over v2)', () => {
    const paths = doc['paths'] as Record<string, Record<string, Op>>;
    for (const t of allResourceTypes) {
      const found = Object.values(paths).some((item) => {
        const op = item['patch'];
        const g = op?.['x-kubernetes-group-version-kind'];
        return g?.group === t.group && g.version === t.version && g.kind === t.kind && op?.parameters?.some((p) => p.in === 'query' && p.name === 'fieldValidation');
      });
      assert.ok(found, t.kind);
    }
    const create = paths['/apis/apps/v1/namespaces/{namespace}/deployments']!['post'] as JsonObject;
    assert.equal(create['operationId'], 'createAppsV1NamespacedDeployment');
    assert.deepEqual((create['parameters'] as JsonObject[])[0], { name: 'body', in: 'body', required: true, schema: { $ref: '#/definitions/io.k8s.api.apps.v1.Deployment' } });
    assert.deepEqual((create['responses'] as Record<string, JsonObject>)['201'], { description: 'Created', schema: { $ref: '#/definitions/io.k8s.api.apps.v1.Deployment' } });
    const pathParams = paths['/apis/apps/v1/namespaces/{namespace}/deployments']!['parameters'] as unknown as JsonObject[];
    assert.deepEqual(pathParams[0], { name: 'namespace', in: 'path', description: 'object name and auth scope, such as for teams and projects', required: true, type: 'string', uniqueItems: true });
  });
});
