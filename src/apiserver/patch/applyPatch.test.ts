// The PATCH bodies kubectl 1.32 sends (shared/reference/kubectl-protocol.md section 4), applied
// to objects as kubeloop stores them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Deployment, Pod, Scale, Service } from '../../api/index.js';
import { applyPatch, parsePatchBody, PatchError, type ApplyPatchOptions } from './index.js';

const meta = (name: string, extra: object = {}) => ({
  name,
  namespace: 'default',
  uid: `uid-${name}`,
  resourceVersion: '7',
  creationTimestamp: '2026-01-01T00:00:00Z',
  ...extra,
});

const lastApplied = (targetPort: number) =>
  `{"apiVersion":"v1","kind":"Service","metadata":{"annotations":{},"name":"http-go-svc","namespace":"default"},"spec":{"ports":[{"port":80,"targetPort":${targetPort}}],"selector":{"app":"http-go"}}}\n`;

const service = (): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: meta('http-go-svc', { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied(8080) } }),
  spec: {
    ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }],
    selector: { app: 'http-go' },
    clusterIP: '10.96.0.20',
    clusterIPs: ['10.96.0.20'],
    type: 'ClusterIP',
    sessionAffinity: 'None',
  },
  status: { loadBalancer: {} },
});

const deployment = (): Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: meta('http-go', { generation: 1, labels: { app: 'http-go' } }),
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'http-go' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
    template: {
      metadata: { labels: { app: 'http-go' } },
      spec: {
        containers: [
          { name: 'http-go', image: 'gasbugs/http-go', ports: [{ containerPort: 8080, protocol: 'TCP' }], env: [{ name: 'A', value: '1' }] },
          { name: 'sidecar', image: 'busybox', args: ['sleep', 'infinity'] },
        ],
        volumes: [{ name: 'data', emptyDir: {} }],
        tolerations: [{ key: 'a', operator: 'Exists' }],
        restartPolicy: 'Always',
      },
    },
  },
});

const svcOpts: ApplyPatchOptions = { type: 'strategic', apiVersion: 'v1', kind: 'Service' };
const depOpts: ApplyPatchOptions = { type: 'strategic', apiVersion: 'apps/v1', kind: 'Deployment' };

/** parsePatchBody + applyPatch, as the PATCH handler chains them. */
function patchWire<T extends object>(original: T, contentType: string, body: string, target: { apiVersion: string; kind: string }): T {
  const { type, patch } = parsePatchBody(contentType, body);
  return applyPatch(original, patch, { type, ...target });
}

function patchError(fn: () => unknown): PatchError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof PatchError, `expected a PatchError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the patch to fail');
}

describe('applyPatch with what kubectl sends', () => {
  it('client-side apply of a targetPort change merges the port by `port` and keeps server-set fields', () => {
    const body = JSON.stringify({
      metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied(8081) } },
      spec: { '$setElementOrder/ports': [{ port: 80 }], ports: [{ port: 80, targetPort: 8081 }] },
    });
    const out = patchWire(service(), 'application/strategic-merge-patch+json', body, { apiVersion: 'v1', kind: 'Service' });
    assert.deepEqual(out.spec.ports, [{ port: 80, protocol: 'TCP', targetPort: 8081 }]);
    assert.equal(out.spec.clusterIP, '10.96.0.20');
    assert.equal(out.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'], lastApplied(8081));
    assert.ok(!JSON.stringify(out).includes('$setElementOrder'));
  });

  it('client-side apply renaming a port deletes the old one and orders by $setElementOrder', () => {
    const svc = service();
    svc.spec.ports = [
      { name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 },
      { name: 'https', port: 443, protocol: 'TCP', targetPort: 8443 },
    ];
    const patch = {
      spec: {
        '$setElementOrder/ports': [{ port: 80 }, { port: 8443 }],
        ports: [{ name: 'alt', port: 8443, targetPort: 9443 }, { $patch: 'delete', port: 443 }],
      },
    };
    const out = applyPatch(svc, patch, svcOpts);
    assert.deepEqual(out.spec.ports, [
      { name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 },
      { name: 'alt', port: 8443, targetPort: 9443 },
    ]);
  });

  it('kubectl edit sends a two-way patch of just the changed field', () => {
    const out = patchWire(service(), 'application/strategic-merge-patch+json', '{"spec":{"sessionAffinity":"ClientIP"}}', {
      apiVersion: 'v1',
      kind: 'Service',
    });
    assert.equal(out.spec.sessionAffinity, 'ClientIP');
    assert.deepEqual(out.spec.ports, service().spec.ports);
  });

  it('rollout restart adds a template annotation and leaves the pod spec alone', () => {
    const body = '{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-25T23:28:06Z"}}}}}';
    const out = patchWire(deployment(), 'application/strategic-merge-patch+json', body, { apiVersion: 'apps/v1', kind: 'Deployment' });
    assert.deepEqual(out.spec.template.metadata, { labels: { app: 'http-go' }, annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-25T23:28:06Z' } });
    assert.deepEqual(out.spec.template.spec, deployment().spec.template.spec);
  });

  it('set image changes one container by name and keeps the others in place', () => {
    const out = applyPatch(deployment(), { spec: { template: { spec: { containers: [{ image: 'nginx:1.25', name: 'http-go' }] } } } }, depOpts);
    const [first, second] = out.spec.template.spec.containers;
    assert.equal(first?.name, 'http-go');
    assert.equal(first?.image, 'nginx:1.25');
    assert.deepEqual(first?.ports, [{ containerPort: 8080, protocol: 'TCP' }]);
    assert.deepEqual(second, deployment().spec.template.spec.containers[1]);
  });

  it('label sends a merge patch: null removes, a value adds', () => {
    const out = patchWire(deployment(), 'application/merge-patch+json', '{"metadata":{"labels":{"app":null,"tier":"web"}}}', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
    });
    assert.deepEqual(out.metadata.labels, { tier: 'web' });
  });

  it('scale sends a merge patch to the Scale subresource', () => {
    const scale: Scale = { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: meta('http-go'), spec: { replicas: 3 }, status: { replicas: 3, selector: 'app=http-go' } };
    const out = patchWire(scale, 'application/merge-patch+json', '{"spec":{"replicas":5}}', { apiVersion: 'autoscaling/v1', kind: 'Scale' });
    assert.equal(out.spec.replicas, 5);
    assert.equal(out.status?.replicas, 3);
  });
});

describe('applyPatch strategic merge on served kinds', () => {
  it('a container added without $setElementOrder goes first, as upstream orders it', () => {
    const out = applyPatch(deployment(), { spec: { template: { spec: { containers: [{ name: 'log', image: 'fluentd' }] } } } }, depOpts);
    assert.deepEqual(
      out.spec.template.spec.containers.map((c) => c.name),
      ['log', 'http-go', 'sidecar'],
    );
  });

  it('env merges by name inside a container, tolerations are replaced whole', () => {
    const patch = {
      spec: {
        template: {
          spec: {
            containers: [{ name: 'http-go', env: [{ name: 'B', value: '2' }] }],
            tolerations: [{ key: 'b', operator: 'Exists' }],
          },
        },
      },
    };
    const spec = applyPatch(deployment(), patch, depOpts).spec.template.spec;
    assert.deepEqual(spec.containers[0]?.env, [{ name: 'B', value: '2' }, { name: 'A', value: '1' }]);
    assert.deepEqual(spec.tolerations, [{ key: 'b', operator: 'Exists' }]);
  });

  it('$retainKeys on a volume switches its source (what apply sends for volumes)', () => {
    const patch = {
      spec: {
        template: {
          spec: {
            '$setElementOrder/volumes': [{ name: 'data' }],
            volumes: [{ $retainKeys: ['configMap', 'name'], name: 'data', configMap: { name: 'cfg' } }],
          },
        },
      },
    };
    assert.deepEqual(applyPatch(deployment(), patch, depOpts).spec.template.spec.volumes, [{ name: 'data', configMap: { name: 'cfg' } }]);
  });

  it('$retainKeys on the deployment strategy drops rollingUpdate when switching to Recreate', () => {
    const out = applyPatch(deployment(), { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }, depOpts);
    assert.deepEqual(out.spec.strategy, { type: 'Recreate' });
  });

  it('finalizers merge as a set and $deleteFromPrimitiveList removes one', () => {
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: meta('p', { finalizers: ['a', 'b'] }),
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    };
    const opts: ApplyPatchOptions = { type: 'strategic', apiVersion: 'v1', kind: 'Pod' };
    assert.deepEqual(applyPatch(pod, { metadata: { finalizers: ['b', 'c'] } }, opts).metadata.finalizers, ['a', 'b', 'c']);
    assert.deepEqual(applyPatch(pod, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }, opts).metadata.finalizers, ['b']);
  });

  it('pod status conditions merge by type (a kubelet-style status patch)', () => {
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: meta('p'),
      spec: { containers: [{ name: 'c' }] },
      status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'False' }] },
    };
    const patch = {
      status: {
        '$setElementOrder/conditions': [{ type: 'PodScheduled' }, { type: 'Ready' }],
        conditions: [{ type: 'Ready', status: 'True' }],
        phase: 'Running',
      },
    };
    const out = applyPatch(pod, patch, { type: 'strategic', apiVersion: 'v1', kind: 'Pod' });
    assert.deepEqual(out.status?.conditions, [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'True' }]);
    assert.equal(out.status?.phase, 'Running');
  });

  it('ownerReferences merge by uid', () => {
    const ref = (uid: string) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: uid, uid });
    const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: meta('p', { ownerReferences: [ref('a')] }), spec: { containers: [{ name: 'c' }] } };
    const out = applyPatch(pod, { metadata: { ownerReferences: [{ ...ref('a'), controller: true }, ref('b')] } }, { type: 'strategic', apiVersion: 'v1', kind: 'Pod' });
    assert.deepEqual(out.metadata.ownerReferences, [{ ...ref('a'), controller: true }, ref('b')]);
  });

  it('a container patch without its name fails like the real server (500, no reason)', () => {
    const e = patchError(() => applyPatch(deployment(), { spec: { template: { spec: { containers: [{ image: 'nginx' }] } } } }, depOpts));
    assert.equal(e.code, 500);
    assert.equal(e.message, 'map: map[image:nginx] does not contain declared merge key: name');
  });

  it('strategic merge on a kind without a schema is unsupported media type, like a CRD', () => {
    const e = patchError(() => applyPatch({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }, {}, { type: 'strategic', apiVersion: 'example.com/v1', kind: 'Widget' }));
    assert.equal(e.code, 415);
    assert.equal(
      e.message,
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    );
  });
});

describe('applyPatch with JSON Patch and merge patch', () => {
  const jsonOpts: ApplyPatchOptions = { type: 'json', apiVersion: 'apps/v1', kind: 'Deployment' };

  it('applies JSON Patch operations to list indexes', () => {
    const out = applyPatch(deployment(), [{ op: 'replace', path: '/spec/template/spec/containers/1/image', value: 'alpine' }], jsonOpts);
    assert.equal(out.spec.template.spec.containers[1]?.image, 'alpine');
  });

  it('a failed test answers 422 Invalid with the generic message, keeping the cause in detail', () => {
    const e = patchError(() => applyPatch(deployment(), [{ op: 'test', path: '/spec/replicas', value: 4 }], jsonOpts));
    assert.equal(e.code, 422);
    assert.equal(e.status.reason, 'Invalid');
    assert.equal(e.message, 'the server rejected our request due to an error in our request');
    assert.match(e.detail, /test failed/);
  });

  it('more than 10000 operations is 413', () => {
    const ops = Array.from({ length: 10001 }, () => ({ op: 'test', path: '/kind', value: 'Deployment' }));
    const e = patchError(() => applyPatch(deployment(), ops, jsonOpts));
    assert.equal(e.code, 413);
    assert.equal(e.message, 'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001');
  });

  it('a merge patch that is an array cannot become the object: 422 Invalid naming the patch', () => {
    const e = patchError(() => applyPatch(deployment(), [1], { type: 'merge', apiVersion: 'apps/v1', kind: 'Deployment' }));
    assert.equal(e.code, 422);
    assert.match(e.message, /^ "" is invalid: patch: Invalid value: "\[1\]": couldn't get version\/kind; json parse error: json: cannot unmarshal array/);
  });

  it('a merge patch replacing an object member with null-bearing objects drops those nulls (evanphx)', () => {
    const out = applyPatch(deployment(), { spec: { template: { spec: { containers: [{ name: 'x', image: null }] } } } }, { type: 'merge', apiVersion: 'apps/v1', kind: 'Deployment' });
    assert.deepEqual(out.spec.template.spec.containers, [{ name: 'x' }]);
  });

  it('never modifies its inputs', () => {
    const original = deployment();
    const patch = { spec: { template: { spec: { containers: [{ name: 'log', image: 'fluentd' }] } } } };
    const before = JSON.stringify([original, patch]);
    applyPatch(original, patch, depOpts);
    applyPatch(original, patch, { ...depOpts, type: 'merge' });
    applyPatch(original, [{ op: 'remove', path: '/spec/strategy' }], jsonOpts);
    assert.equal(JSON.stringify([original, patch]), before);
  });
});
