import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { updateScale } from '../apiserver/index.js';
import type { Deployment, Event, Pod, ReplicaSet, Stored } from '../api/index.js';
import { Informer } from '../client/index.js';
import { eventually, type MemoryApi } from '../testing/index.js';
import { addNode, controllersApi, node, startFakeKubelet, type FakeKubelet } from './_testing.js';
import { startControllers, type RunningControllers } from './index.js';
import { isPodReady } from './_meta.js';

/** What `kubectl create deployment NAME --image=IMAGE --replicas=N` sends. */
function kubectlDeployment(name: string, image: string, replicas: number, namespace = 'default'): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: image.split('/').pop()!.split(':')[0]!, image, resources: {} }] },
      },
      strategy: {},
    },
  };
}

/** `kubectl rollout status`'s test (kubectl-protocol.md §8). */
function rolledOut(d: Stored<Deployment>): boolean {
  const s = d.status ?? {};
  const want = d.spec.replicas ?? 1;
  const timedOut = s.conditions?.some((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded');
  return (
    (d.metadata.generation ?? 0) <= (s.observedGeneration ?? 0) &&
    (s.updatedReplicas ?? 0) >= want &&
    (s.replicas ?? 0) <= (s.updatedReplicas ?? 0) &&
    (s.availableReplicas ?? 0) >= (s.updatedReplicas ?? 0) &&
    !timedOut
  );
}

describe('controllers together, as kubectl drives them', () => {
  let api: MemoryApi;
  let ctl: RunningControllers;
  let kubelet: FakeKubelet;
  before(async () => {
    api = await controllersApi();
    await addNode(api.client, node('node0'));
    await addNode(api.client, node('node1'));
    ctl = await startControllers({ client: api.client });
    kubelet = await startFakeKubelet(api.client);
  });
  after(async () => {
    kubelet.stop();
    await ctl.stop();
    await api.close();
  });

  const c = () => api.client;
  const podsOf = async (ns: string, selector: string) => (await c().pods(ns).list({ labelSelector: selector })).items;
  const live = (ps: Stored<Pod>[]) => ps.filter((p) => !p.metadata.deletionTimestamp);
  const eventsFor = async (ns: string, name: string): Promise<Event[]> =>
    (await c().events(ns).list({ fieldSelector: `involvedObject.name=${name}` })).items;

  it('creates a ReplicaSet <deployment>-<hash> and pods <rs>-<5 chars> labelled app and pod-template-hash, and finishes the rollout', async () => {
    const d = await c().deployments('default').create(kubectlDeployment('http-go', 'gasbugs/http-go', 3));
    const done = await eventually(async () => {
      const x = await c().deployments('default').get('http-go');
      return rolledOut(x) && x.status?.availableReplicas === 3 ? x : undefined;
    }, { timeoutMs: 10_000 });
    const rss = (await c().replicaSets('default').list()).items.filter((rs) => rs.metadata.name.startsWith('http-go-'));
    assert.equal(rss.length, 1);
    const rs = rss[0]!;
    const hash = rs.metadata.labels?.['pod-template-hash'];
    assert.match(hash ?? '', /^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    assert.equal(rs.metadata.name, `http-go-${hash}`);
    assert.deepEqual(rs.spec.selector.matchLabels, { app: 'http-go', 'pod-template-hash': hash });
    assert.equal(rs.metadata.ownerReferences?.[0]?.uid, d.metadata.uid);
    assert.equal(rs.metadata.ownerReferences?.[0]?.controller, true);
    assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
    assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], '3');
    assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/max-replicas'], '4');
    assert.equal(done.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');

    const pods = await podsOf('default', 'app=http-go');
    assert.equal(pods.length, 3);
    for (const p of pods) {
      assert.match(p.metadata.name, new RegExp(`^http-go-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      assert.deepEqual(p.metadata.labels, { app: 'http-go', 'pod-template-hash': hash });
      assert.equal(p.metadata.ownerReferences?.[0]?.kind, 'ReplicaSet');
      assert.equal(p.metadata.ownerReferences?.[0]?.uid, rs.metadata.uid);
      assert.ok(p.spec.nodeName === 'node0' || p.spec.nodeName === 'node1');
    }
    // Spread by pod count: 3 pods over 2 nodes is 2 + 1.
    const perNode = pods.reduce<Record<string, number>>((m, p) => ((m[p.spec.nodeName ?? ''] = (m[p.spec.nodeName ?? ''] ?? 0) + 1), m), {});
    assert.deepEqual(Object.values(perNode).sort(), [1, 2]);

    const conds = Object.fromEntries((done.status?.conditions ?? []).map((x) => [x.type, x]));
    assert.equal(conds.Available?.status, 'True');
    assert.equal(conds.Available?.reason, 'MinimumReplicasAvailable');
    assert.equal(conds.Available?.message, 'Deployment has minimum availability.');
    assert.equal(conds.Progressing?.reason, 'NewReplicaSetAvailable');
    assert.equal(conds.Progressing?.message, `ReplicaSet "http-go-${hash}" has successfully progressed.`);

    // Events kubectl describe shows.
    await eventually(async () => (await eventsFor('default', 'http-go')).some((e) => e.reason === 'ScalingReplicaSet' && e.message === `Scaled up replica set http-go-${hash} from 0 to 3`));
    await eventually(async () => (await eventsFor('default', rs.metadata.name)).filter((e) => e.reason === 'SuccessfulCreate').length === 3);
    const p0 = pods[0]!;
    await eventually(async () =>
      (await eventsFor('default', p0.metadata.name)).some((e) => e.reason === 'Scheduled' && e.message === `Successfully assigned default/${p0.metadata.name} to ${p0.spec.nodeName}`),
    );
  });

  it('scales through the scale subresource to 5 and back to 2', async () => {
    const deployments = api.registry.mustResource('deployments');
    await updateScale(api.registry, deployments, 'default', 'http-go', { scale: { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'http-go', namespace: 'default' }, spec: { replicas: 5 } } });
    await eventually(async () => live(await podsOf('default', 'app=http-go')).length === 5 && rolledOut(await c().deployments('default').get('http-go')), { timeoutMs: 10_000 });
    await updateScale(api.registry, deployments, 'default', 'http-go', { scale: { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'http-go', namespace: 'default' }, spec: { replicas: 2 } } });
    await eventually(async () => (await podsOf('default', 'app=http-go')).length === 2, { timeoutMs: 10_000 });
    const d = await eventually(async () => {
      const x = await c().deployments('default').get('http-go');
      return rolledOut(x) && x.status?.replicas === 2 ? x : undefined;
    });
    assert.equal(d.status?.availableReplicas, 2);
    const rs = (await c().replicaSets('default').list()).items.find((x) => x.metadata.name.startsWith('http-go-'))!;
    assert.equal(rs.spec.replicas, 2);
    const msgs = (await eventsFor('default', 'http-go')).map((e) => e.message);
    assert.ok(msgs.includes(`Scaled up replica set ${rs.metadata.name} from 3 to 5`), msgs.join('\n'));
    assert.ok(msgs.includes(`Scaled down replica set ${rs.metadata.name} from 5 to 2`), msgs.join('\n'));
  });

  it('rollout restart replaces every pod without dropping below replicas - maxUnavailable or exceeding replicas + maxSurge', async () => {
    await c().deployments('default').update({ ...(await c().deployments('default').get('http-go')), spec: { ...(await c().deployments('default').get('http-go')).spec, replicas: 4 } });
    await eventually(async () => rolledOut(await c().deployments('default').get('http-go')) && live(await podsOf('default', 'app=http-go')).length === 4, { timeoutMs: 10_000 });
    const before = new Set((await podsOf('default', 'app=http-go')).map((p) => p.metadata.uid));
    // 4 replicas, 25%/25%: maxSurge 1, maxUnavailable 1.
    const watcher = new Informer<Pod>(c().pods('default'), { labelSelector: 'app=http-go' });
    const violations: string[] = [];
    let maxTotal = 0;
    const check = () => {
      if (!watcher.hasSynced) return; // the initial list arrives one pod at a time
      const all = watcher.list().filter((p) => !p.metadata.deletionTimestamp);
      const available = all.filter((p) => isPodReady(p)).length;
      maxTotal = Math.max(maxTotal, all.length);
      if (available < 3) violations.push(`only ${available} available`);
      if (all.length > 5) violations.push(`${all.length} pods`);
    };
    watcher.addHandler({ onAdd: check, onUpdate: check, onDelete: check });
    await watcher.start();
    const cur = await c().deployments('default').get('http-go');
    const restarted = structuredClone(cur);
    restarted.spec.template.metadata = { ...(restarted.spec.template.metadata ?? {}), annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-25T23:28:06Z' } };
    await c().deployments('default').update(restarted);
    await eventually(async () => {
      const d = await c().deployments('default').get('http-go');
      const pods = await podsOf('default', 'app=http-go');
      return rolledOut(d) && d.status?.updatedReplicas === 4 && pods.length === 4 && pods.every((p) => !before.has(p.metadata.uid));
    }, { timeoutMs: 15_000 });
    watcher.stop();
    assert.deepEqual(violations, []);
    assert.ok(maxTotal >= 4);
    const rss = (await c().replicaSets('default').list()).items.filter((x) => x.metadata.name.startsWith('http-go-'));
    assert.equal(rss.length, 2);
    const newest = rss.find((x) => x.metadata.annotations?.['deployment.kubernetes.io/revision'] === '2');
    const oldest = rss.find((x) => x.metadata.annotations?.['deployment.kubernetes.io/revision'] === '1');
    assert.equal(newest?.spec.replicas, 4);
    assert.equal(oldest?.spec.replicas, 0);
    assert.equal((await c().deployments('default').get('http-go')).metadata.annotations?.['deployment.kubernetes.io/revision'], '2');
  });

  it('rolls back (rollout undo) by adopting the old template, which becomes revision 3 with history 1', async () => {
    const rss = (await c().replicaSets('default').list()).items.filter((x) => x.metadata.name.startsWith('http-go-'));
    const rev1 = rss.find((x) => x.metadata.annotations?.['deployment.kubernetes.io/revision'] === '1')!;
    const d = await c().deployments('default').get('http-go');
    // kubectl rollout undo: the deployment's template becomes the RS's template minus the hash label.
    const template = structuredClone(rev1.spec.template!);
    delete template.metadata!.labels!['pod-template-hash'];
    await c().deployments('default').update({ ...d, spec: { ...d.spec, template } });
    const back = await eventually(async () => {
      const x = await c().replicaSets('default').get(rev1.metadata.name);
      return x.metadata.annotations?.['deployment.kubernetes.io/revision'] === '3' ? x : undefined;
    }, { timeoutMs: 10_000 });
    assert.equal(back.metadata.annotations?.['deployment.kubernetes.io/revision-history'], '1');
    await eventually(async () => rolledOut(await c().deployments('default').get('http-go')) && (await c().replicaSets('default').get(rev1.metadata.name)).spec.replicas === 4, { timeoutMs: 15_000 });
  });

  it('set image rolls out a new ReplicaSet with the new image', async () => {
    const d = await c().deployments('default').get('http-go');
    const next = structuredClone(d);
    next.spec.template.spec.containers[0]!.image = 'gasbugs/http-go:v2';
    await c().deployments('default').update(next);
    await eventually(async () => {
      const pods = await podsOf('default', 'app=http-go');
      return rolledOut(await c().deployments('default').get('http-go')) && pods.length === 4 && pods.every((p) => p.spec.containers[0]?.image === 'gasbugs/http-go:v2');
    }, { timeoutMs: 15_000 });
  });

  it('deleting the Deployment removes its ReplicaSets and pods', async () => {
    await c().deployments('default').delete('http-go');
    await eventually(async () => {
      const rss = (await c().replicaSets('default').list()).items.filter((x) => x.metadata.name.startsWith('http-go-'));
      return rss.length === 0 && (await podsOf('default', 'app=http-go')).length === 0;
    }, { timeoutMs: 10_000 });
  });

  it('Recreate scales the old ReplicaSet to zero and waits for its pods to go before starting new ones', async () => {
    const d = kubectlDeployment('rec', 'agnhost', 2);
    d.spec.strategy = { type: 'Recreate' };
    await c().deployments('default').create(d);
    await eventually(async () => rolledOut(await c().deployments('default').get('rec')) && (await podsOf('default', 'app=rec')).length === 2, { timeoutMs: 10_000 });
    const oldUids = new Set((await podsOf('default', 'app=rec')).map((p) => p.metadata.uid));
    const watcher = new Informer<Pod>(c().pods('default'), { labelSelector: 'app=rec' });
    const mixed: string[] = [];
    const check = () => {
      if (!watcher.hasSynced) return;
      const ps = watcher.list();
      const olds = ps.filter((p) => oldUids.has(p.metadata.uid)).length;
      const news = ps.filter((p) => !oldUids.has(p.metadata.uid)).length;
      if (olds > 0 && news > 0) mixed.push(`${olds} old and ${news} new`);
    };
    watcher.addHandler({ onAdd: check, onUpdate: check, onDelete: check });
    await watcher.start();
    const cur = await c().deployments('default').get('rec');
    const next = structuredClone(cur);
    next.spec.template.spec.containers[0]!.image = 'agnhost:2';
    await c().deployments('default').update(next);
    await eventually(async () => {
      const ps = await podsOf('default', 'app=rec');
      return rolledOut(await c().deployments('default').get('rec')) && ps.length === 2 && ps.every((p) => !oldUids.has(p.metadata.uid));
    }, { timeoutMs: 10_000 });
    watcher.stop();
    assert.deepEqual(mixed, []);
  });

  it('Foreground deletion keeps the Deployment until its ReplicaSets and pods are gone; Orphan keeps the ReplicaSet', async () => {
    await c().deployments('default').create(kubectlDeployment('fg', 'agnhost', 1));
    await eventually(async () => rolledOut(await c().deployments('default').get('fg')) && (await podsOf('default', 'app=fg')).length === 1, { timeoutMs: 10_000 });
    await c().deployments('default').delete('fg', { propagationPolicy: 'Foreground' });
    const marked = await c().deployments('default').get('fg');
    assert.ok(marked.metadata.deletionTimestamp);
    assert.deepEqual(marked.metadata.finalizers, ['foregroundDeletion']);
    await eventually(async () => {
      try {
        await c().deployments('default').get('fg');
        return false;
      } catch {
        return (await podsOf('default', 'app=fg')).length === 0 && (await c().replicaSets('default').list({ labelSelector: 'app=fg' })).items.length === 0;
      }
    }, { timeoutMs: 10_000 });

    await c().deployments('default').create(kubectlDeployment('orph', 'agnhost', 1));
    await eventually(async () => rolledOut(await c().deployments('default').get('orph')), { timeoutMs: 10_000 });
    await c().deployments('default').delete('orph', { propagationPolicy: 'Orphan' });
    const kept: Stored<ReplicaSet> = await eventually(async () => {
      try {
        await c().deployments('default').get('orph');
        return undefined;
      } catch {
        const rs = (await c().replicaSets('default').list({ labelSelector: 'app=orph' })).items[0];
        return rs && !rs.metadata.ownerReferences?.length ? rs : undefined;
      }
    }, { timeoutMs: 10_000 });
    assert.equal(kept.spec.replicas, 1);
    assert.equal((await podsOf('default', 'app=orph')).length, 1);
  });

  it('deleting a namespace empties it (phase Terminating meanwhile), then removes it', async () => {
    await c().namespaces().create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } });
    await c().deployments('doomed').create(kubectlDeployment('web', 'agnhost', 2, 'doomed'));
    await c().configMaps('doomed').create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'doomed' }, data: { a: '1' } });
    await eventually(async () => (await podsOf('doomed', 'app=web')).length === 2, { timeoutMs: 10_000 });
    await c().namespaces().delete('doomed');
    const terminating = await c().namespaces().get('doomed');
    assert.equal(terminating.status?.phase, 'Terminating');
    await eventually(async () => {
      try {
        await c().namespaces().get('doomed');
        return false;
      } catch {
        return true;
      }
    }, { timeoutMs: 15_000 });
    assert.equal((await c().pods('doomed').list()).items.length, 0);
    assert.equal((await c().configMaps('doomed').list()).items.length, 0);
    assert.equal((await c().deployments('doomed').list()).items.length, 0);
  });
});
