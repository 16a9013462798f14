import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusError, type KubeObject, type ManagedFieldsEntry } from '../../api/index.js';
import { applyConfiguration, buildLastApplied, LAST_APPLIED_ANNOTATION } from './apply.js';
import { recordUpdate } from './update.js';

const now = new Date('2026-01-01T00:00:00Z');
const later = new Date('2026-01-01T00:05:00Z');

type Obj = KubeObject & { spec?: Record<string, unknown>; data?: Record<string, string> };

const service = (spec: Record<string, unknown>, labels?: Record<string, string>): Obj => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default', ...(labels ? { labels } : {}) },
  spec,
});

/** What the registry does after an apply or update: server fields and defaults. */
function stored(o: KubeObject, rv = '1'): Obj {
  const s = structuredClone(o) as Obj;
  s.metadata = { ...s.metadata, uid: 'uid-1', resourceVersion: rv, creationTimestamp: '2025-12-31T00:00:00Z' };
  const spec = s.spec as { ports?: { protocol?: string }[]; type?: string } | undefined;
  if (spec) {
    spec.type ??= 'ClusterIP';
    for (const p of spec.ports ?? []) p.protocol ??= 'TCP';
  }
  delete (s as { status?: unknown }).status;
  return s;
}

const entry = (o: KubeObject, manager: string): ManagedFieldsEntry | undefined => o.metadata.managedFields?.find((e) => e.manager === manager);

const status = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof StatusError, String(e));
    return e.status;
  }
  assert.fail('expected a StatusError');
};

describe('applyConfiguration', () => {
  const cfg = service({ selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] }, { app: 'web' });

  it('creates the object with one Apply entry owning exactly the applied fields, in FieldsV1', () => {
    const out = applyConfiguration(undefined, cfg, { fieldManager: 'kubectl', force: false, now });
    assert.deepEqual(out.metadata.managedFields, [
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'v1',
        time: '2026-01-01T00:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': { 'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {}, 'f:targetPort': {} } }, 'f:selector': {} },
        },
      },
    ]);
    assert.deepEqual(out.metadata.labels, { app: 'web' });
    assert.deepEqual((out as Obj).spec, cfg.spec);
  });

  it('returns the live object itself when applying the same configuration again', () => {
    const live = stored(applyConfiguration(undefined, cfg, { fieldManager: 'kubectl', force: false, now }));
    assert.equal(applyConfiguration(live, cfg, { fieldManager: 'kubectl', force: false, now: later }), live);
  });

  it('merges into the live object, keeping fields others set, and stamps the time of a change', () => {
    const live = stored(applyConfiguration(undefined, cfg, { fieldManager: 'kubectl', force: false, now }));
    const next = applyConfiguration(live, service({ selector: { app: 'web' }, ports: [{ port: 80, targetPort: 9090 }] }, { app: 'web' }), { fieldManager: 'kubectl', force: false, now: later });
    assert.deepEqual((next as Obj).spec, { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 9090, protocol: 'TCP' }], type: 'ClusterIP' });
    assert.equal(entry(next, 'kubectl')?.time, '2026-01-01T00:05:00Z');
    assert.equal(next.metadata.uid, 'uid-1');
  });

  it('fails with 409 and FieldManagerConflict causes when another manager owns a changed field', () => {
    const live = stored(applyConfiguration(undefined, cfg, { fieldManager: 'kubectl', force: false, now }));
    const s = status(() => applyConfiguration(live, service({ ports: [{ port: 80, targetPort: 1 }] }), { fieldManager: 'other', force: false, now }));
    assert.deepEqual(s, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Apply failed with 1 conflict: conflict with "kubectl": .spec.ports[port=80,protocol="TCP"].targetPort',
      reason: 'Conflict',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl"', field: '.spec.ports[port=80,protocol="TCP"].targetPort' }] },
      code: 409,
    });
  });

  it('lists several conflicts grouped by manager', () => {
    const live = stored(applyConfiguration(undefined, cfg, { fieldManager: 'kubectl', force: false, now }));
    const s = status(() => applyConfiguration(live, service({ selector: { app: 'x' }, ports: [{ port: 80, targetPort: 1 }] }), { fieldManager: 'other', force: false, now }));
    assert.equal(s.message, 'Apply failed with 2 conflicts: conflicts with "kubectl":\n- .spec.selector\n- .spec.ports[port=80,protocol="TCP"].targetPort');
    assert.equal(s.details?.causes?.length, 2);
  });

  it('does not conflict when another manager applies the same value: both own it', () => {
    const live = stored(applyConfiguration(undefined, cfg, { fieldManager: 'kubectl', force: false, now }));
    const out = applyConfiguration(live, service({ selector: { app: 'web' } }), { fieldManager: 'other', force: false, now });
    assert.deepEqual(entry(out, 'other')?.fieldsV1, { 'f:spec': { 'f:selector': {} } });
    assert.deepEqual(entry(out, 'kubectl')?.fieldsV1, (entry(live, 'kubectl') as ManagedFieldsEntry).fieldsV1);
  });

  it('with force, takes the conflicting fields from their owner', () => {
    const live = stored(applyConfiguration(undefined, cfg, { fieldManager: 'kubectl', force: false, now }));
    const out = applyConfiguration(live, service({ ports: [{ port: 80, targetPort: 1 }] }), { fieldManager: 'other', force: true, now });
    assert.equal(((out as Obj).spec?.['ports'] as { targetPort: number }[])[0]?.targetPort, 1);
    assert.deepEqual(entry(out, 'other')?.fieldsV1, { 'f:spec': { 'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {}, 'f:targetPort': {} } } } });
    assert.deepEqual(entry(out, 'kubectl')?.fieldsV1, {
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': { 'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {} } }, 'f:selector': {} },
    });
  });

  it('removes a field the manager applied before and no longer applies', () => {
    const live = stored(applyConfiguration(undefined, cfg, { fieldManager: 'kubectl', force: false, now }));
    const out = applyConfiguration(live, service({ selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] }), { fieldManager: 'kubectl', force: false, now });
    assert.equal(out.metadata.labels, undefined);
  });

  it('keeps a dropped field another manager also owns', () => {
    let live = stored(applyConfiguration(undefined, cfg, { fieldManager: 'kubectl', force: false, now }));
    live = stored(applyConfiguration(live, service({}, { app: 'web' }), { fieldManager: 'other', force: false, now }));
    const out = applyConfiguration(live, service({ selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] }), { fieldManager: 'kubectl', force: false, now });
    assert.deepEqual(out.metadata.labels, { app: 'web' });
  });

  it('keeps a dropped list item another manager added, and removes its own', () => {
    let live = stored(applyConfiguration(undefined, service({ ports: [{ port: 80 }, { port: 81 }] }), { fieldManager: 'a', force: false, now }));
    live = stored(applyConfiguration(live, service({ ports: [{ port: 82 }] }), { fieldManager: 'b', force: false, now }));
    const out = applyConfiguration(live, service({ ports: [{ port: 80 }] }), { fieldManager: 'a', force: false, now });
    assert.deepEqual(((out as Obj).spec?.['ports'] as { port: number }[]).map((p) => p.port), [80, 82]);
  });

  it('rejects applied managedFields and fields the schema lacks', () => {
    assert.equal(status(() => applyConfiguration(undefined, { ...cfg, metadata: { ...cfg.metadata, managedFields: [] } }, { fieldManager: 'm', force: false })).message, 'metadata.managedFields must be nil');
    const s = status(() => applyConfiguration(undefined, service({ foo: 1 }), { fieldManager: 'm', force: false }));
    assert.equal(s.code, 500);
    assert.equal(s.message, 'failed to create typed patch object (default/web; /v1, Kind=Service): .spec.foo: field not declared in schema');
  });

  it('forgives kubectl conflicts with fields its client-side apply annotation agrees with, and updates the annotation', () => {
    const csa = service({ selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] });
    const created = stored(
      recordUpdate(undefined, { ...csa, metadata: { ...csa.metadata, annotations: { [LAST_APPLIED_ANNOTATION]: buildLastApplied(csa) } } }, { manager: 'kubectl-client-side-apply', now }),
    );
    assert.equal(entry(created, 'kubectl-client-side-apply')?.operation, 'Update');
    const ssa = service({ selector: { app: 'web' }, ports: [{ port: 80, targetPort: 9090 }] });
    const out = applyConfiguration(created, ssa, { fieldManager: 'kubectl', force: false, now });
    assert.equal(((out as Obj).spec?.['ports'] as { targetPort: number }[])[0]?.targetPort, 9090);
    assert.equal(out.metadata.annotations?.[LAST_APPLIED_ANNOTATION], buildLastApplied(ssa));
    assert.match(status(() => applyConfiguration(created, ssa, { fieldManager: 'other', force: false, now })).message ?? '', /conflict with "kubectl-client-side-apply" using v1/);
  });
});

describe('buildLastApplied', () => {
  it('writes compact JSON with sorted keys and a trailing newline, without the annotation itself', () => {
    const o = { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'c', annotations: { [LAST_APPLIED_ANNOTATION]: 'x' } }, data: { b: '<', a: '1' } };
    assert.equal(buildLastApplied(o), '{"apiVersion":"v1","data":{"a":"1","b":"\\u003c"},"kind":"ConfigMap","metadata":{"annotations":{},"name":"c"}}\n');
  });
});

describe('recordUpdate', () => {
  const deployment: Obj = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', labels: { app: 'd' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'd' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'nginx', image: 'nginx', resources: {} }], restartPolicy: 'Always' } },
    },
  };

  it('on create, owns every field, with "." where Go`s zero object lacks the map or list item', () => {
    const out = recordUpdate(undefined, deployment, { manager: 'kubectl-create', now });
    assert.deepEqual(out.metadata.managedFields, [
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: 'apps/v1',
        time: '2026-01-01T00:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:strategy': { 'f:rollingUpdate': { '.': {}, 'f:maxSurge': {}, 'f:maxUnavailable': {} }, 'f:type': {} },
            'f:template': {
              'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
              'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {}, 'f:resources': {} } }, 'f:restartPolicy': {} },
            },
          },
        },
      },
    ]);
  });

  it('gives a later writer the fields it changed and takes them from their previous owner', () => {
    const live = stored(recordUpdate(undefined, deployment, { manager: 'creator', now }));
    const next = structuredClone(live);
    next.spec = { ...next.spec, replicas: 3 };
    const out = recordUpdate(live, next, { manager: 'scaler', now: later });
    assert.deepEqual(entry(out, 'scaler')?.fieldsV1, { 'f:spec': { 'f:replicas': {} } });
    assert.equal(entry(out, 'scaler')?.time, '2026-01-01T00:05:00Z');
    assert.equal((entry(out, 'creator')?.fieldsV1 as { 'f:spec': Record<string, unknown> })['f:spec']['f:replicas'], undefined);
  });

  it('leaves an existing untracked object untracked, and keeps entries when the client omits managedFields', () => {
    const untracked = stored(deployment);
    assert.equal(recordUpdate(untracked, { ...untracked, spec: { ...(untracked.spec ?? {}), replicas: 2 } }, { manager: 'm', now }).metadata.managedFields, undefined);
    const live = stored(recordUpdate(undefined, deployment, { manager: 'creator', now }));
    const sent = structuredClone(live);
    delete sent.metadata.managedFields;
    assert.deepEqual(recordUpdate(live, sent, { manager: 'm', now }).metadata.managedFields, live.metadata.managedFields);
  });

  it('resets tracking when the client sends an empty managedFields list', () => {
    const live = stored(recordUpdate(undefined, deployment, { manager: 'creator', now }));
    const sent = { ...structuredClone(live), metadata: { ...live.metadata, managedFields: [] } };
    assert.equal(recordUpdate(live, sent, { manager: 'm', now }).metadata.managedFields, undefined);
  });

  it('does not record status changes made on the main resource', () => {
    const pod: Obj & { status: unknown } = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }] }, status: { phase: 'Running' } };
    const fields = recordUpdate(undefined, pod, { manager: 'm', now }).metadata.managedFields?.[0]?.fieldsV1 ?? {};
    assert.equal('f:status' in fields, false);
  });
});
