import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConfigMap, ObjectMeta, OwnerReference, Stored } from '../../api/index.js';
import { eventually, type MemoryApi } from '../../testing/index.js';
import { Client } from '../../client/index.js';
import { controllersApi, slowWatch } from '../_testing.js';
import type { RunningController } from '../_runner.js';
import { planGarbageCollection, type ClassifiedOwner } from './plan.js';
import { startGarbageCollector } from './index.js';

const ref = (uid: string, o: Partial<OwnerReference> = {}): OwnerReference => ({ apiVersion: 'v1', kind: 'ConfigMap', name: `owner-${uid}`, uid, ...o });
const owner = (uid: string, state: ClassifiedOwner['state']): ClassifiedOwner => ({ ref: ref(uid), state });
const meta = (o: Partial<ObjectMeta> = {}): ObjectMeta => ({ name: 'x', namespace: 'default', uid: 'x', ...o });

describe('planGarbageCollection', () => {
  it('keeps an object with a live owner and does nothing for one without owners', () => {
    assert.deepEqual(planGarbageCollection({ metadata: meta(), owners: [owner('a', 'solid')], dependents: [] }), { action: 'none' });
    assert.deepEqual(planGarbageCollection({ metadata: meta(), owners: [], dependents: [] }), { action: 'none' });
  });

  it('deletes an object whose owners are all gone, in the background unless its own finalizers say otherwise', () => {
    assert.deepEqual(planGarbageCollection({ metadata: meta(), owners: [owner('a', 'dangling')], dependents: [] }), { action: 'delete', policy: 'Background' });
    assert.deepEqual(planGarbageCollection({ metadata: meta({ finalizers: ['orphan'] }), owners: [owner('a', 'dangling')], dependents: [] }), { action: 'delete', policy: 'Orphan' });
  });

  it('drops references to gone owners while another owner lives', () => {
    assert.deepEqual(planGarbageCollection({ metadata: meta(), owners: [owner('a', 'solid'), owner('b', 'dangling'), owner('c', 'waiting')], dependents: [] }), {
      action: 'removeOwnerReferences',
      uids: ['b', 'c'],
    });
  });

  it('deletes in the foreground a dependent that has dependents of its own when its owner waits', () => {
    const deps = [{ key: 'pods:default/p', blocking: true }];
    assert.deepEqual(planGarbageCollection({ metadata: meta(), owners: [owner('a', 'waiting')], dependents: deps }), { action: 'delete', policy: 'Foreground' });
    assert.deepEqual(planGarbageCollection({ metadata: meta(), owners: [owner('a', 'waiting')], dependents: [] }), { action: 'delete', policy: 'Background' });
  });

  it('keeps the foregroundDeletion finalizer while a blocking dependent remains, then removes it', () => {
    const deleting = meta({ deletionTimestamp: '2026-11-01T00:00:00Z', finalizers: ['foregroundDeletion'] });
    assert.deepEqual(planGarbageCollection({ metadata: deleting, owners: [], dependents: [{ key: 'k1', blocking: true }, { key: 'k2', blocking: false }] }), {
      action: 'deleteDependents',
      dependents: ['k1', 'k2'],
    });
    assert.deepEqual(planGarbageCollection({ metadata: deleting, owners: [], dependents: [{ key: 'k2', blocking: false }] }), { action: 'removeForegroundFinalizer' });
  });

  it('orphans the dependents of an object deleted with the orphan finalizer', () => {
    const deleting = meta({ deletionTimestamp: '2026-11-01T00:00:00Z', finalizers: ['orphan'] });
    assert.deepEqual(planGarbageCollection({ metadata: deleting, owners: [], dependents: [{ key: 'k1', blocking: true }] }), { action: 'orphanDependents', dependents: ['k1'] });
  });
});

describe('garbage collector against the API', () => {
  let api: MemoryApi;
  let ctl: RunningController;
  before(async () => {
    api = await controllersApi();
    ctl = await startGarbageCollector({ client: api.client });
  });
  after(async () => {
    await ctl.stop();
    await api.close();
  });
  const cms = () => api.client.configMaps('default');
  const cm = (name: string, owners: OwnerReference[] = []): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', ownerReferences: owners }, data: {} });
  const ownedBy = (o: Stored<ConfigMap>, block = false): OwnerReference => ({ apiVersion: 'v1', kind: 'ConfigMap', name: o.metadata.name, uid: o.metadata.uid, ...(block ? { blockOwnerDeletion: true } : {}) });
  const gone = async (name: string) => {
    try {
      await cms().get(name);
      return false;
    } catch {
      return true;
    }
  };

  it('deletes dependents of an owner deleted in the background, transitively', async () => {
    const root = await cms().create(cm('bg-root'));
    const mid = await cms().create(cm('bg-mid', [ownedBy(root)]));
    await cms().create(cm('bg-leaf', [ownedBy(mid)]));
    await cms().delete('bg-root');
    await eventually(async () => (await gone('bg-mid')) && (await gone('bg-leaf')));
  });

  it('treats an owner of the same name but another uid as gone', async () => {
    const first = await cms().create(cm('reborn'));
    await cms().create(cm('reborn-dep', [ownedBy(first)]));
    await cms().delete('reborn');
    await cms().create(cm('reborn'));
    await eventually(() => gone('reborn-dep'));
  });

  it('keeps a foreground-deleted owner until its blocking dependents are gone, deleting non-blocking ones too', async () => {
    const root = await cms().create(cm('fg-root'));
    await cms().create({ ...cm('fg-blocking', [ownedBy(root, true)]), metadata: { ...cm('fg-blocking').metadata, ownerReferences: [ownedBy(root, true)], finalizers: ['example.com/hold'] } });
    await cms().create(cm('fg-free', [ownedBy(root)]));
    await cms().delete('fg-root', { propagationPolicy: 'Foreground' });
    await eventually(() => gone('fg-free'));
    const held = await eventually(async () => {
      const x = await cms().get('fg-blocking');
      return x.metadata.deletionTimestamp ? x : undefined;
    });
    assert.equal(await gone('fg-root'), false, 'the owner waits for its blocking dependent');
    await cms().update({ ...held, metadata: { ...held.metadata, finalizers: [] } });
    await eventually(async () => (await gone('fg-blocking')) && (await gone('fg-root')));
  });

  it('orphans dependents of an owner deleted with propagationPolicy Orphan', async () => {
    const root = await cms().create(cm('or-root'));
    const other = await cms().create(cm('or-other'));
    await cms().create(cm('or-dep', [ownedBy(root), ownedBy(other)]));
    await cms().delete('or-root', { propagationPolicy: 'Orphan' });
    await eventually(() => gone('or-root'));
    const dep = await cms().get('or-dep');
    assert.deepEqual(dep.metadata.ownerReferences?.map((r) => r.uid), [other.metadata.uid]);
  });
});

describe('garbage collector with a lagging cache', () => {
  let api: MemoryApi;
  let ctl: RunningController;
  before(async () => {
    api = await controllersApi();
    // Secrets reach the collector's cache 300 ms late; config maps at once.
    ctl = await startGarbageCollector({ client: new Client(slowWatch(api.client.transport, { plural: 'secrets', delayMs: 300 })) });
  });
  after(async () => {
    await ctl.stop();
    await api.close();
  });

  it('confirms a missing owner with a live read, so a dependent of a just-created owner survives', async () => {
    const c = api.client;
    const owner = await c.secrets('default').create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'fresh', namespace: 'default' } });
    await c.configMaps('default').create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fresh-dep', namespace: 'default', ownerReferences: [{ apiVersion: 'v1', kind: 'Secret', name: 'fresh', uid: owner.metadata.uid }] } });
    await c.configMaps('default').create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stale-dep', namespace: 'default', ownerReferences: [{ apiVersion: 'v1', kind: 'Secret', name: 'fresh', uid: 'another-uid' }] } });
    // The collector has acted on both dependents (it deleted the one with a wrong uid) ...
    await eventually(async () => {
      try {
        await c.configMaps('default').get('stale-dep');
        return false;
      } catch {
        return true;
      }
    });
    // ... and kept the one whose owner it could not see in its cache.
    assert.equal((await c.configMaps('default').get('fresh-dep')).metadata.name, 'fresh-dep');
  });
});
