import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { smpSchemaFor, type SmpField, type SmpSchema } from './schema.js';

/** The field at a dotted path, descending through objects and merge-list items. */
function fieldAt(schema: SmpSchema | undefined, path: string): SmpField | undefined {
  let cur = schema;
  let f: SmpField | undefined;
  for (const name of path.split('.')) {
    f = cur?.fields[name];
    cur = f?.kind === 'object' ? f.schema : f?.kind === 'mergeList' ? f.items : undefined;
  }
  return f;
}

describe('smpSchemaFor', () => {
  it('covers every served kind, and only those', () => {
    const served: [string, string][] = [
      ['v1', 'Namespace'], ['v1', 'Node'], ['v1', 'Pod'], ['v1', 'Service'], ['v1', 'Endpoints'], ['v1', 'Event'],
      ['v1', 'ConfigMap'], ['v1', 'Secret'], ['v1', 'ServiceAccount'], ['apps/v1', 'Deployment'], ['apps/v1', 'ReplicaSet'],
      ['autoscaling/v1', 'Scale'], ['discovery.k8s.io/v1', 'EndpointSlice'], ['coordination.k8s.io/v1', 'Lease'],
    ];
    for (const [apiVersion, kind] of served) assert.ok(smpSchemaFor(apiVersion, kind), `${apiVersion} ${kind}`);
    assert.equal(smpSchemaFor('apps/v1', 'DaemonSet'), undefined);
    assert.equal(smpSchemaFor('v1', 'Deployment'), undefined);
    assert.equal(smpSchemaFor('v1', 'toString'), undefined);
  });

  it('has the merge keys of the upstream struct tags', () => {
    const expectations: [string, string, string, string][] = [
      ['v1', 'Pod', 'spec.containers', 'name'],
      ['v1', 'Pod', 'spec.initContainers.ports', 'containerPort'],
      ['v1', 'Pod', 'spec.containers.env', 'name'],
      ['v1', 'Pod', 'spec.containers.volumeMounts', 'mountPath'],
      ['v1', 'Pod', 'spec.volumes', 'name'],
      ['v1', 'Pod', 'spec.imagePullSecrets', 'name'],
      ['v1', 'Pod', 'spec.hostAliases', 'ip'],
      ['v1', 'Pod', 'status.conditions', 'type'],
      ['v1', 'Pod', 'metadata.ownerReferences', 'uid'],
      ['v1', 'Service', 'spec.ports', 'port'],
      ['v1', 'Node', 'status.addresses', 'type'],
      ['v1', 'ServiceAccount', 'secrets', 'name'],
      ['apps/v1', 'Deployment', 'spec.template.spec.containers', 'name'],
      ['apps/v1', 'ReplicaSet', 'status.conditions', 'type'],
    ];
    for (const [apiVersion, kind, path, key] of expectations) {
      const f = fieldAt(smpSchemaFor(apiVersion, kind), path);
      assert.deepEqual(f?.kind === 'mergeList' ? f.mergeKey : f, key, `${kind} ${path}`);
    }
  });

  it('marks primitive merge lists, retainKeys fields, and leaves atomic lists out', () => {
    assert.equal(fieldAt(smpSchemaFor('v1', 'Pod'), 'metadata.finalizers')?.kind, 'set');
    assert.equal(fieldAt(smpSchemaFor('v1', 'Node'), 'spec.podCIDRs')?.kind, 'set');
    const strategy = fieldAt(smpSchemaFor('apps/v1', 'Deployment'), 'spec.strategy');
    assert.ok(strategy?.kind === 'object' && strategy.retainKeys === true);
    const volumes = fieldAt(smpSchemaFor('v1', 'Pod'), 'spec.volumes');
    assert.ok(volumes?.kind === 'mergeList' && volumes.retainKeys === true);
    for (const path of ['spec.tolerations', 'spec.containers.args', 'spec.containers.envFrom', 'status.containerStatuses']) {
      assert.equal(fieldAt(smpSchemaFor('v1', 'Pod'), path), undefined, path);
    }
    assert.equal(fieldAt(smpSchemaFor('v1', 'Endpoints'), 'subsets'), undefined);
    assert.equal(fieldAt(smpSchemaFor('v1', 'Node'), 'spec.taints'), undefined);
  });
});
