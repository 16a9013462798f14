import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ReplicaSet } from '../../api/index.js';
import { Client } from '../../client/index.js';
import { eventually, FakeClock, type MemoryApi } from '../../testing/index.js';
import { ControllerExpectations } from '../_expectations.js';
import { controllersApi, pod, setReady, slowWatch } from '../_testing.js';
import { startReplicaSetController, type ReplicaSetController } from './index.js';

const replicaSet = (name: string, replicas: number, labels: Record<string, string> = { app: name }): ReplicaSet => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name, namespace: 'default' },
  spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
});

describe('ReplicaSet controller against the API', () => {
  let api: MemoryApi;
  let ctl: ReplicaSetController;
  before(async () => {
    api = await controllersApi();
    // The controller reads through a cache that sees pods 150 ms late.
    ctl = await startReplicaSetController({ client: new Client(slowWatch(api.client.transport, { plural: 'pods', delayMs: 150 })) });
  });
  after(async () => {
    await ctl.stop();
    await api.close();
  });
  const c = () => api.client;

  it('creates exactly spec.replicas pods named <rs>-<5 chars> even when its pod cache lags and it is resynced repeatedly', async () => {
    const created = new Set<string>();
    const watch = await c().pods('default').watch({ labelSelector: 'app=slow' }, (e) => {
      if (e.type === 'ADDED') created.add(e.object.metadata.name);
    });
    await c().replicaSets('default').create(replicaSet('slow', 3));
    // Poke the ReplicaSet while the created pods are still invisible to the controller.
    for (let i = 0; i < 5; i++) {
      const cur = await c().replicaSets('default').get('slow');
      await c().replicaSets('default').update({ ...cur, metadata: { ...cur.metadata, annotations: { poke: String(i) } } });
    }
    await eventually(async () => (await c().replicaSets('default').get('slow')).status?.replicas === 3, { timeoutMs: 5000 });
    watch.stop();
    assert.equal(created.size, 3, `pods created: ${[...created].join(', ')}`);
    const pods = (await c().pods('default').list({ labelSelector: 'app=slow' })).items;
    assert.equal(pods.length, 3);
    for (const p of pods) assert.match(p.metadata.name, /^slow-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('adopts a matching orphan pod instead of creating one, and releases a pod relabelled away', async () => {
    await c().pods('default').create(pod('orphan', { labels: { app: 'adopt' } }));
    const set = await c().replicaSets('default').create(replicaSet('adopt', 2));
    await eventually(async () => (await c().pods('default').list({ labelSelector: 'app=adopt' })).items.length === 2 && (await c().replicaSets('default').get('adopt')).status?.replicas === 2, { timeoutMs: 5000 });
    const orphan = await c().pods('default').get('orphan');
    assert.equal(orphan.metadata.ownerReferences?.[0]?.uid, set.metadata.uid);
    await c().pods('default').update({ ...orphan, metadata: { ...orphan.metadata, labels: { app: 'elsewhere' } } });
    const released = await eventually(async () => {
      const x = await c().pods('default').get('orphan');
      return (x.metadata.ownerReferences ?? []).length === 0 ? x : undefined;
    }, { timeoutMs: 5000 });
    assert.deepEqual(released.metadata.labels, { app: 'elsewhere' });
    // And a replacement takes its place.
    await eventually(async () => (await c().pods('default').list({ labelSelector: 'app=adopt' })).items.length === 2, { timeoutMs: 5000 });
  });

  it('scales down by deleting the surplus and reports status with observedGeneration', async () => {
    await c().replicaSets('default').create(replicaSet('shrink', 4));
    await eventually(async () => (await c().replicaSets('default').get('shrink')).status?.replicas === 4, { timeoutMs: 5000 });
    const cur = await c().replicaSets('default').get('shrink');
    await c().replicaSets('default').update({ ...cur, spec: { ...cur.spec, replicas: 1 } });
    const done = await eventually(async () => {
      const x = await c().replicaSets('default').get('shrink');
      return x.status?.replicas === 1 && x.status.observedGeneration === x.metadata.generation ? x : undefined;
    }, { timeoutMs: 5000 });
    assert.equal(done.status?.fullyLabeledReplicas, 1);
    assert.equal((await c().pods('default').list({ labelSelector: 'app=shrink' })).items.length, 1);
    const events = (await c().events('default').list({ fieldSelector: 'involvedObject.name=shrink' })).items;
    assert.equal(events.filter((e) => e.reason === 'SuccessfulDelete').length, 3);
    assert.ok(events.some((e) => e.reason === 'SuccessfulCreate' && /^Created pod: shrink-/.test(e.message ?? '')));
  });
});

describe('ControllerExpectations', () => {
  it('holds a key until every expected creation and deletion is observed', () => {
    const e = new ControllerExpectations({ clock: new FakeClock() });
    assert.ok(e.satisfied('ns/rs'));
    e.expectCreations('ns/rs', 2);
    e.creationObserved('ns/rs');
    assert.ok(!e.satisfied('ns/rs'));
    e.creationObserved('ns/rs');
    assert.ok(e.satisfied('ns/rs'));
    e.expectDeletions('ns/rs', ['ns/a', 'ns/b']);
    e.deletionObserved('ns/rs', 'ns/a');
    e.deletionObserved('ns/rs', 'ns/a'); // the same pod seen twice counts once
    assert.deepEqual(e.pending('ns/rs'), { add: 0, del: 1 });
    e.deletionObserved('ns/rs', 'ns/b');
    assert.ok(e.satisfied('ns/rs'));
  });

  it('gives up waiting after five minutes so a lost event cannot wedge the controller', () => {
    const clock = new FakeClock();
    const e = new ControllerExpectations({ clock });
    e.expectCreations('ns/rs', 1);
    clock.advance(5 * 60_000);
    assert.ok(!e.satisfied('ns/rs'));
    clock.advance(1);
    assert.ok(e.satisfied('ns/rs'));
  });
});

describe('ReplicaSet controller with minReadySeconds (fake clock)', () => {
  let api: MemoryApi;
  let ctl: ReplicaSetController;
  const clock = new FakeClock(Date.UTC(2026, 10, 1, 12, 0, 0));
  before(async () => {
    api = await controllersApi();
    ctl = await startReplicaSetController({ client: api.client, clock });
  });
  after(async () => {
    await ctl.stop();
    await api.close();
  });

  it('counts a ready pod as available only minReadySeconds after it turned ready, and looks again then', async () => {
    const c = api.client;
    await c.replicaSets('default').create({ ...replicaSet('patient', 2), spec: { ...replicaSet('patient', 2).spec, minReadySeconds: 30 } });
    const pods = await eventually(async () => {
      const l = (await c.pods('default').list({ labelSelector: 'app=patient' })).items;
      return l.length === 2 ? l : undefined;
    });
    const at = new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    for (const p of pods) await setReady(c, { namespace: 'default', name: p.metadata.name, ready: true, at });
    const ready = await eventually(async () => {
      const x = await c.replicaSets('default').get('patient');
      return x.status?.readyReplicas === 2 ? x : undefined;
    });
    assert.equal(ready.status?.availableReplicas, undefined);
    clock.advance(31_000);
    await eventually(async () => (await c.replicaSets('default').get('patient')).status?.availableReplicas === 2);
  });
});
