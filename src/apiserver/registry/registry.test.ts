import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { StatusError, type ConfigMap, type Deployment, type Namespace, type Pod, type WatchEvent } from '../../api/index.js';
import { memoryApi, type MemoryApi } from '../../testing/index.js';
import type { AnyStored } from './registry.js';
import { finalizeNamespace } from './subresources.js';

const cm = (name: string, extra: Partial<ConfigMap> = {}): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, ...extra });
const pod = (name: string, nodeName?: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'busybox' }], ...(nodeName ? { nodeName } : {}) },
});

async function statusOf(p: Promise<unknown>): Promise<{ code: number; reason?: string; message?: string }> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof StatusError, `expected a StatusError, got ${String(e)}`);
    return { code: e.status.code, reason: e.status.reason ?? '', message: e.status.message ?? '' };
  }
  assert.fail('expected the call to fail');
}

describe('registry', () => {
  let api: MemoryApi;
  const r = () => api.registry;
  const res = (plural: string) => api.registry.mustResource(plural);
  before(async () => {
    api = await memoryApi();
  });
  after(async () => {
    await api.close();
  });

  it('fills uid, creationTimestamp and resourceVersion on create and reads the object back', async () => {
    const created = await r().create(res('configmaps'), 'default', cm('c1', { data: { a: 'b' } }));
    assert.match(created.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.match(created.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(Number(created.metadata.resourceVersion) > 0);
    assert.deepEqual(await r().get(res('configmaps'), 'default', 'c1'), created);
  });

  it('answers 409 AlreadyExists with the upstream message for a duplicate name', async () => {
    await r().create(res('configmaps'), 'default', cm('dup'));
    const s = await statusOf(r().create(res('configmaps'), 'default', cm('dup')));
    assert.deepEqual(s, { code: 409, reason: 'AlreadyExists', message: 'configmaps "dup" already exists' });
  });

  it('answers 404 for a create into a namespace that does not exist', async () => {
    const s = await statusOf(r().create(res('configmaps'), 'nope', { ...cm('x'), metadata: { name: 'x' } }));
    assert.deepEqual(s, { code: 404, reason: 'NotFound', message: 'namespaces "nope" not found' });
  });

  it('answers 422 with the DNS-1123 message for an invalid name and stores nothing', async () => {
    const before = await r().currentRevision();
    const s = await statusOf(r().create(res('configmaps'), 'default', cm('Bad_Name')));
    assert.equal(s.code, 422);
    assert.match(s.message!, /^ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
    assert.equal(await r().currentRevision(), before);
  });

  it('answers 400 when the body kind or apiVersion does not match the endpoint', async () => {
    assert.equal((await statusOf(r().create(res('configmaps'), 'default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }))).code, 400);
    const s = await statusOf(r().create(res('configmaps'), 'default', { apiVersion: 'v2', kind: 'ConfigMap', metadata: { name: 'x' } }));
    assert.equal(s.message, 'the API version in the data (v2) does not match the expected API version (v1)');
  });

  it('generates a name from generateName with 5 characters of the upstream alphabet', async () => {
    const c = await r().create(res('configmaps'), 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-' } });
    assert.match(c.metadata.name, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('rejects an update at a stale resourceVersion with 409 Conflict and keeps the stored value', async () => {
    const c = await r().create(res('configmaps'), 'default', cm('cas', { data: { v: '1' } }));
    await r().update(res('configmaps'), 'default', 'cas', { ...c, data: { v: '2' } });
    const s = await statusOf(r().update(res('configmaps'), 'default', 'cas', { ...c, data: { v: '3' } }));
    assert.equal(s.code, 409);
    assert.equal(s.message, 'Operation cannot be fulfilled on configmaps "cas": the object has been modified; please apply your changes to the latest version and try again');
    assert.deepEqual((await r().get(res('configmaps'), 'default', 'cas') as unknown as ConfigMap).data, { v: '2' });
  });

  it('does not write a no-op update (same resourceVersion, no event)', async () => {
    const c = await r().create(res('configmaps'), 'default', cm('noop', { data: { v: '1' } }));
    const again = await r().update(res('configmaps'), 'default', 'noop', c);
    assert.equal(again.metadata.resourceVersion, c.metadata.resourceVersion);
  });

  it('bumps metadata.generation of a Deployment only when its spec changes', async () => {
    const d: Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    };
    const created = await r().create(res('deployments'), 'default', d);
    assert.equal(created.metadata.generation, 1);
    const labelled = await r().update(res('deployments'), 'default', 'web', { ...created, metadata: { ...created.metadata, labels: { x: 'y' } } });
    assert.equal(labelled.metadata.generation, 1);
    const scaled = await r().update(res('deployments'), 'default', 'web', { ...labelled, spec: { ...d.spec, replicas: 3 } });
    assert.equal(scaled.metadata.generation, 2);
    const withStatus = await r().updateStatus(res('deployments'), 'default', 'web', { ...scaled, spec: { ...d.spec, replicas: 9 }, status: { replicas: 3, observedGeneration: 2 } });
    assert.equal(withStatus.metadata.generation, 2, '/status never bumps generation');
    assert.equal((withStatus as unknown as Deployment).spec.replicas, 3, '/status ignores spec');
    assert.equal((withStatus as unknown as Deployment).status?.replicas, 3);
  });

  it('ignores status on the main endpoint', async () => {
    const p = await r().create(res('pods'), 'default', { ...pod('st'), status: { phase: 'Running' } });
    assert.equal((p as unknown as Pod).status?.phase, 'Pending');
    const u = await r().update(res('pods'), 'default', 'st', { ...p, status: { phase: 'Failed' } });
    assert.equal((u as unknown as Pod).status?.phase, 'Pending');
  });

  it('deletes a pod on a node gracefully (marked), and removes it on a grace-0 delete', async () => {
    await r().create(res('pods'), 'default', pod('g', 'node0'));
    const first = await r().delete(res('pods'), 'default', 'g', {});
    assert.equal(first.deleted, false);
    assert.ok(first.object.metadata.deletionTimestamp);
    assert.equal(first.object.metadata.deletionGracePeriodSeconds, 30);
    const second = await r().delete(res('pods'), 'default', 'g', { gracePeriodSeconds: 0 });
    assert.equal(second.deleted, true);
    assert.equal((await statusOf(r().get(res('pods'), 'default', 'g'))).code, 404);
  });

  it('deletes an unscheduled pod at once', async () => {
    await r().create(res('pods'), 'default', pod('u'));
    assert.equal((await r().delete(res('pods'), 'default', 'u', {})).deleted, true);
  });

  it('keeps an object with finalizers until the last finalizer is removed', async () => {
    await r().create(res('configmaps'), 'default', cm('fin', { metadata: { name: 'fin', namespace: 'default', finalizers: ['example.com/hold'] } }));
    const marked = await r().delete(res('configmaps'), 'default', 'fin', {});
    assert.equal(marked.deleted, false);
    const cur = await r().get(res('configmaps'), 'default', 'fin');
    assert.ok(cur.metadata.deletionTimestamp);
    await r().update(res('configmaps'), 'default', 'fin', { ...cur, metadata: { ...cur.metadata, finalizers: [] } });
    assert.equal((await statusOf(r().get(res('configmaps'), 'default', 'fin'))).code, 404);
  });

  it('adds the foregroundDeletion or orphan finalizer for those propagation policies', async () => {
    await r().create(res('configmaps'), 'default', cm('fg'));
    const fg = await r().delete(res('configmaps'), 'default', 'fg', { propagationPolicy: 'Foreground' });
    assert.deepEqual(fg.object.metadata.finalizers, ['foregroundDeletion']);
    await r().create(res('configmaps'), 'default', cm('or'));
    const or = await r().delete(res('configmaps'), 'default', 'or', { propagationPolicy: 'Orphan' });
    assert.deepEqual(or.object.metadata.finalizers, ['orphan']);
  });

  it('marks a deleted namespace Terminating and removes it once its finalizers are emptied', async () => {
    await r().create(res('namespaces'), undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'gone' } });
    const marked = await r().delete(res('namespaces'), undefined, 'gone', {});
    assert.equal(marked.deleted, false);
    assert.equal((marked.object as unknown as Namespace).status?.phase, 'Terminating');
    const s = await statusOf(r().create(res('configmaps'), 'gone', cm('late', { metadata: { name: 'late', namespace: 'gone' } })));
    assert.equal(s.code, 403);
    assert.equal(s.message, 'configmaps is forbidden: unable to create new content in namespace gone because it is being terminated');
    const cur = (await r().get(res('namespaces'), undefined, 'gone')) as unknown as Namespace & AnyStored;
    await r().update(res('namespaces'), undefined, 'gone', { ...cur, spec: { finalizers: [] } });
    assert.ok(await r().get(res('namespaces'), undefined, 'gone'), 'the main endpoint may not change spec.finalizers');
    await finalizeNamespace(r(), 'gone', []);
    assert.equal((await statusOf(r().get(res('namespaces'), undefined, 'gone'))).code, 404);
  });

  it('lists with label and field selectors and rejects unsupported field labels', async () => {
    await r().create(res('configmaps'), 'kube-system', { ...cm('sel-a'), metadata: { name: 'sel-a', namespace: 'kube-system', labels: { app: 'a', tier: 'x' } } });
    await r().create(res('configmaps'), 'kube-system', { ...cm('sel-b'), metadata: { name: 'sel-b', namespace: 'kube-system', labels: { app: 'b' } } });
    const names = async (o: { labelSelector?: string; fieldSelector?: string }) => (await r().list(res('configmaps'), 'kube-system', o)).items.map((i) => i.metadata.name);
    assert.deepEqual(await names({ labelSelector: 'app in (a,b),!tier' }), ['sel-b']);
    assert.deepEqual(await names({ labelSelector: 'app!=b' }), ['sel-a']);
    assert.deepEqual(await names({ fieldSelector: 'metadata.name=sel-b' }), ['sel-b']);
    const s = await statusOf(r().list(res('configmaps'), 'kube-system', { fieldSelector: 'spec.foo=bar' }));
    assert.deepEqual(s, { code: 400, reason: 'BadRequest', message: 'field label not supported: spec.foo' });
    assert.equal((await statusOf(r().list(res('configmaps'), 'kube-system', { labelSelector: 'a in (' }))).code, 400);
  });

  it('pages with limit and continue over a consistent snapshot', async () => {
    for (let i = 0; i < 7; i++) await r().create(res('configmaps'), 'kube-public', { ...cm(`p${i}`), metadata: { name: `p${i}`, namespace: 'kube-public' } });
    const first = await r().list(res('configmaps'), 'kube-public', { limit: 3 });
    assert.equal(first.items.length, 3);
    assert.ok(first.metadata.continue);
    await r().create(res('configmaps'), 'kube-public', { ...cm('p9'), metadata: { name: 'p9', namespace: 'kube-public' } });
    const seen = first.items.map((i) => i.metadata.name);
    let cont: string | undefined = first.metadata.continue;
    while (cont) {
      const page = await r().list(res('configmaps'), 'kube-public', { limit: 3, continue: cont });
      seen.push(...page.items.map((i) => i.metadata.name));
      cont = page.metadata.continue;
    }
    assert.deepEqual(seen, ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6'], 'the snapshot excludes objects created after the first page');
  });

  it('watches with a selector, turning relabels into ADDED and DELETED', async () => {
    const events: WatchEvent<AnyStored>[] = [];
    const rv = String(await r().currentRevision());
    const w = await r().watch(res('configmaps'), 'default', { resourceVersion: rv, labelSelector: 'w=yes' }, { onEvent: (e) => events.push(e) });
    const c = await r().create(res('configmaps'), 'default', cm('wsel'));
    const in1 = await r().update(res('configmaps'), 'default', 'wsel', { ...c, metadata: { ...c.metadata, labels: { w: 'yes' } } });
    const mod = await r().update(res('configmaps'), 'default', 'wsel', { ...in1, data: { a: '1' } });
    await r().update(res('configmaps'), 'default', 'wsel', { ...mod, metadata: { ...mod.metadata, labels: { w: 'no' } } });
    w.stop();
    assert.deepEqual(events.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED']);
  });

  it('starts a watch without resourceVersion with ADDED events for what exists', async () => {
    const events: string[] = [];
    const w = await r().watch(res('namespaces'), undefined, {}, { onEvent: (e) => events.push(`${e.type} ${(e.object as AnyStored).metadata.name}`) });
    w.stop();
    assert.ok(events.includes('ADDED default') && events.includes('ADDED kube-system'));
  });

  it('answers 410 Expired for a watch from a compacted revision', async () => {
    const old = String(await r().currentRevision());
    await r().create(res('configmaps'), 'default', cm('compact-me'));
    await r().compact(await r().currentRevision());
    const s = await statusOf(r().watch(res('configmaps'), 'default', { resourceVersion: old }, { onEvent: () => {} }));
    assert.equal(s.code, 410);
    assert.equal(s.reason, 'Expired');
  });
});
