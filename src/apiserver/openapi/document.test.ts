import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allResourceTypes, apiVersionOf } from '../../api/index.js';
import { groupVersionDocument, groupVersions, type JsonObject } from './document.js';

type Op = { parameters?: { name: string; in: string }[]; 'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }; 'x-kubernetes-action'?: string };

/** cli-runtime's QueryParamVerifierV3.HasSupport: a PATCH for the GVK with a fieldValidation query parameter. */
function hasFieldValidation(doc: JsonObject, gvk: { group: string; version: string; kind: string }): boolean {
  for (const item of Object.values(doc['paths'] as Record<string, Record<string, Op>>)) {
    const op = item['patch'];
    const g = op?.['x-kubernetes-group-version-kind'];
    if (g && g.group === gvk.group && g.version === gvk.version && g.kind === gvk.kind && op?.parameters?.some((p) => p.name === 'fieldValidation' && p.in === 'query')) return true;
  }
  return false;
}

const schemas = (doc: JsonObject) => (doc['components'] as { schemas: Record<string, JsonObject> }).schemas;

describe('groupVersionDocument', () => {
  it('lets kubectl validate server-side for every served kind (PATCH with GVK and fieldValidation)', () => {
    for (const t of allResourceTypes) {
      const doc = groupVersionDocument(allResourceTypes, t);
      assert.ok(hasFieldValidation(doc, t), apiVersionOf(t) + ' ' + t.kind);
    }
    assert.equal(hasFieldValidation(groupVersionDocument(allResourceTypes, { group: '', version: 'v1' }), { group: 'apps', version: 'v1', kind: 'Deployment' }), false);
  });

  it('is an OpenAPI 3.0 document whose every $ref resolves', () => {
    for (const gv of groupVersions(allResourceTypes)) {
      const doc = groupVersionDocument(allResourceTypes, gv);
      assert.equal(doc['openapi'], '3.0.0');
      const text = JSON.stringify(doc);
      for (const m of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) assert.ok(schemas(doc)[m[1]!], `${gv.group}/${gv.version}: ${m[1]}`);
    }
  });

  it('has upstream paths and operations for a namespaced kind', () => {
    const doc = groupVersionDocument(allResourceTypes, { group: 'apps', version: 'v1' });
    const paths = doc['paths'] as Record<string, Record<string, { operationId?: string; 'x-kubernetes-action'?: string }>>;
    const one = paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']!;
    assert.deepEqual(Object.keys(one).filter((k) => k !== 'parameters').sort(), ['delete', 'get', 'patch', 'put']);
    assert.equal(one['patch']?.operationId, 'patchAppsV1NamespacedDeployment');
    assert.equal(paths['/apis/apps/v1/namespaces/{namespace}/deployments']?.['get']?.['x-kubernetes-action'], 'list');
    assert.equal(paths['/apis/apps/v1/namespaces/{namespace}/deployments']?.['post']?.operationId, 'createAppsV1NamespacedDeployment');
    assert.equal(paths['/apis/apps/v1/deployments']?.['get']?.operationId, 'listAppsV1DeploymentForAllNamespaces');
    assert.equal(paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale']?.['patch']?.operationId, 'patchAppsV1NamespacedDeploymentScale');
    assert.equal(paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/status']?.['put']?.operationId, 'replaceAppsV1NamespacedDeploymentStatus');
  });

  it('names schemas as upstream and carries patch metadata, list types, required fields and GVKs', () => {
    const s = schemas(groupVersionDocument(allResourceTypes, { group: '', version: 'v1' }));
    const svc = s['io.k8s.api.core.v1.Service']!;
    assert.deepEqual(svc['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Service', version: 'v1' }]);
    const ports = (s['io.k8s.api.core.v1.ServiceSpec']!['properties'] as Record<string, JsonObject>)['ports']!;
    assert.deepEqual(ports, {
      type: 'array',
      items: { allOf: [{ $ref: '#/components/schemas/io.k8s.api.core.v1.ServicePort' }], default: {} },
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['port', 'protocol'],
      'x-kubernetes-patch-merge-key': 'port',
      'x-kubernetes-patch-strategy': 'merge',
    });
    assert.deepEqual(s['io.k8s.api.core.v1.ServicePort']!['required'], ['port']);
    assert.equal(((s['io.k8s.api.core.v1.ServicePort']!['properties'] as Record<string, JsonObject>)['protocol']!)['default'], 'TCP');
    assert.deepEqual(s['io.k8s.api.core.v1.ServiceList']!['x-kubernetes-group-version-kind'], [{ group: '', kind: 'ServiceList', version: 'v1' }]);
    assert.equal(s['io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector']?.['x-kubernetes-map-type'], 'atomic');
  });
});
