import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConfigMap, Stored } from '../api/index.js';
import { eventually, memoryApi, type MemoryApi } from '../testing/index.js';
import { Informer } from './informer.js';

const cm = (name: string, labels: Record<string, string> = {}, data: Record<string, string> = {}): ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', labels },
  data,
});

describe('Informer', () => {
  let api: MemoryApi;
  before(async () => {
    api = await memoryApi();
  });
  after(async () => {
    await api.close();
  });

  it('lists, then follows adds, updates and deletes in its cache and handlers', async () => {
    const c = api.client.configMaps('default');
    await c.create(cm('a'));
    const inf = new Informer<ConfigMap>(c);
    const seen: string[] = [];
    inf.addHandler({
      onAdd: (o) => seen.push(`add ${o.metadata.name}`),
      onUpdate: (o, n) => seen.push(`update ${n.metadata.name} ${o.data?.v ?? ''}->${n.data?.v ?? ''}`),
      onDelete: (o) => seen.push(`delete ${o.metadata.name}`),
    });
    await inf.start();
    assert.ok(inf.hasSynced);
    const b = await c.create(cm('b', {}, { v: '1' }));
    await c.update({ ...b, data: { v: '2' } });
    await c.delete('a');
    await eventually(() => seen.length >= 4);
    assert.deepEqual(seen, ['add a', 'add b', 'update b 1->2', 'delete a']);
    assert.deepEqual(inf.keys().sort(), ['default/b']);
    inf.stop();
    await c.delete('b');
  });

  it('only holds objects matching its label selector, treating a relabel as add or delete', async () => {
    const c = api.client.configMaps('default');
    const inf = new Informer<ConfigMap>(c, { labelSelector: 'app=web' });
    const seen: string[] = [];
    inf.addHandler({ onAdd: (o) => seen.push(`add ${o.metadata.name}`), onDelete: (o) => seen.push(`delete ${o.metadata.name}`) });
    await inf.start();
    const x = await c.create(cm('x', { app: 'db' }));
    const moved = await c.update({ ...x, metadata: { ...x.metadata, labels: { app: 'web' } } });
    await c.update({ ...moved, metadata: { ...moved.metadata, labels: { app: 'db' } } });
    await eventually(() => seen.length >= 2);
    assert.deepEqual(seen, ['add x', 'delete x']);
    inf.stop();
    await c.delete('x');
  });

  it('relists after its watch revision is compacted away and converges on the current state', async () => {
    const c = api.client.configMaps('default');
    const inf = new Informer<ConfigMap>(c, { watchTimeoutSeconds: 1 });
    await inf.start();
    inf.stop();
    // While it is stopped, history moves on and is compacted past its revision.
    await c.create(cm('late-1'));
    await c.create(cm('late-2'));
    await api.registry.compact(await api.registry.currentRevision());
    const again = new Informer<ConfigMap>(c, { watchTimeoutSeconds: 1 });
    const adds: string[] = [];
    again.addHandler({ onAdd: (o: Stored<ConfigMap>) => adds.push(o.metadata.name) });
    await again.start();
    assert.ok(adds.includes('late-1') && adds.includes('late-2'));
    // A watch from the pre-compaction revision is refused with 410 by the API.
    const events: string[] = [];
    const h = await c.watch({ resourceVersion: inf.lastSyncResourceVersion }, (e) => events.push(e.type));
    const r = await h.done;
    assert.equal(r.error?.code, 410);
    await c.create(cm('late-3'));
    await eventually(() => again.get('default/late-3'));
    again.stop();
  });

  it('indexes objects and answers index lookups', async () => {
    const c = api.client.configMaps('default');
    await c.create(cm('i1', { tier: 'front' }));
    await c.create(cm('i2', { tier: 'back' }));
    const inf = new Informer<ConfigMap>(c);
    inf.addIndex('tier', (o) => (o.metadata.labels?.tier ? [o.metadata.labels.tier] : []));
    await inf.start();
    assert.deepEqual(inf.byIndex('tier', 'front').map((o) => o.metadata.name), ['i1']);
    const i2 = inf.getByName('default', 'i2')!;
    await c.update({ ...i2, metadata: { ...i2.metadata, labels: { tier: 'front' } } });
    await eventually(() => inf.byIndex('tier', 'front').length === 2);
    assert.equal(inf.byIndex('tier', 'back').length, 0);
    inf.stop();
  });
});
