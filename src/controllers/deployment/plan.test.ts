import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Deployment, Pod, PodTemplateSpec, ReplicaSet, Stored } from '../../api/index.js';
import { planDeployment, type DeploymentAction, type DeploymentInputs } from './plan.js';
import { computeHash } from './util.js';

const NOW = Date.UTC(2026, 10, 1, 12, 0, 0);
const template = (image = 'nginx'): PodTemplateSpec => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } });

function dep(o: { replicas?: number; image?: string; strategy?: Deployment['spec']['strategy']; status?: Deployment['status']; paused?: boolean; extra?: Partial<Deployment['spec']>; generation?: number } = {}): Stored<Deployment> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: 'd-uid', resourceVersion: '10', creationTimestamp: '2026-11-01T00:00:00Z', generation: o.generation ?? 1 },
    spec: {
      replicas: o.replicas ?? 3,
      selector: { matchLabels: { app: 'web' } },
      template: template(o.image),
      strategy: o.strategy ?? {},
      ...(o.paused ? { paused: true } : {}),
      ...(o.extra ?? {}),
    },
    ...(o.status ? { status: o.status } : {}),
  };
}

function rsFor(o: { image?: string; replicas: number; available?: number; ready?: number; actual?: number; revision: number; desired?: number; created?: string; name?: string; max?: number }): Stored<ReplicaSet> {
  const t = template(o.image);
  const hash = computeHash(t);
  t.metadata!.labels!['pod-template-hash'] = hash;
  const actual = o.actual ?? o.replicas;
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: o.name ?? `web-${hash}`,
      namespace: 'default',
      uid: `rs-${o.name ?? hash}`,
      resourceVersion: '5',
      generation: 1,
      creationTimestamp: o.created ?? '2026-11-01T00:00:00Z',
      labels: { ...t.metadata!.labels! },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd-uid', controller: true, blockOwnerDeletion: true }],
      annotations: {
        'deployment.kubernetes.io/revision': String(o.revision),
        'deployment.kubernetes.io/desired-replicas': String(o.desired ?? o.replicas),
        'deployment.kubernetes.io/max-replicas': String(o.max ?? (o.desired ?? o.replicas) + 1),
      },
    },
    spec: { replicas: o.replicas, minReadySeconds: 0, selector: { matchLabels: { app: 'web', 'pod-template-hash': hash } }, template: t },
    status: { replicas: actual, readyReplicas: o.ready ?? o.available ?? actual, availableReplicas: o.available ?? actual, observedGeneration: 1 },
  };
}

const plan = (i: Partial<DeploymentInputs> & { deployment: Stored<Deployment> }) => planDeployment({ replicaSets: [], now: NOW, ...i });
const writes = (actions: DeploymentAction[]) =>
  actions.map((a) => {
    switch (a.type) {
      case 'createReplicaSet':
        return `create ${a.replicaSet.metadata.name}=${a.replicaSet.spec.replicas}`;
      case 'updateReplicaSet':
        return `update ${a.replicaSet.metadata.name}=${a.replicaSet.spec.replicas}`;
      case 'deleteReplicaSet':
        return `delete ${a.name}`;
      case 'event':
        return `event ${a.event.reason}: ${a.event.message}`;
    }
  });

describe('planDeployment', () => {
  it('creates the first ReplicaSet, named <deployment>-<hash>, at full size with revision 1', () => {
    const p = plan({ deployment: dep() });
    const name = `web-${computeHash(template())}`;
    assert.deepEqual(writes(p.actions), [`create ${name}=3`]);
    const created = p.actions[0];
    assert.ok(created?.type === 'createReplicaSet');
    assert.deepEqual(created.event, { type: 'Normal', reason: 'ScalingReplicaSet', message: `Scaled up replica set ${name} from 0 to 3` });
    const rs = created.replicaSet;
    assert.equal(rs.metadata.labels?.['pod-template-hash'], computeHash(template()));
    assert.deepEqual(rs.spec.selector.matchLabels, { app: 'web', 'pod-template-hash': computeHash(template()) });
    assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
    assert.deepEqual(rs.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd-uid', controller: true, blockOwnerDeletion: true }]);
    assert.equal(p.status?.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
    const prog = p.status?.status?.conditions?.find((c) => c.type === 'Progressing');
    assert.deepEqual([prog?.status, prog?.reason, prog?.message], ['True', 'NewReplicaSetCreated', `Created new replica set "${name}"`]);
    const avail = p.status?.status?.conditions?.find((c) => c.type === 'Available');
    assert.deepEqual([avail?.status, avail?.reason, avail?.message], ['False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.']);
  });

  it('reports a complete rollout: counts, Available and Progressing NewReplicaSetAvailable', () => {
    const rs = rsFor({ replicas: 3, revision: 1 });
    const p = plan({
      deployment: dep({ status: { observedGeneration: 1, conditions: [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: 'x', lastUpdateTime: '2026-11-01T11:59:00Z', lastTransitionTime: '2026-11-01T11:59:00Z' }] } }),
      replicaSets: [rs],
    });
    assert.deepEqual(writes(p.actions), []);
    const s = p.status?.status;
    assert.deepEqual([s?.observedGeneration, s?.replicas, s?.updatedReplicas, s?.readyReplicas, s?.availableReplicas, s?.unavailableReplicas], [1, 3, 3, 3, 3, undefined]);
    const prog = s?.conditions?.find((c) => c.type === 'Progressing');
    assert.deepEqual([prog?.reason, prog?.message, prog?.lastTransitionTime], ['NewReplicaSetAvailable', `ReplicaSet "${rs.metadata.name}" has successfully progressed.`, '2026-11-01T11:59:00Z']);
  });

  it('rolls 4 replicas (maxSurge 1, maxUnavailable 1): new +1 and old -1 at first, then waits for availability', () => {
    const old = rsFor({ replicas: 4, revision: 1 });
    const d = dep({ replicas: 4, image: 'nginx:2' });
    const first = plan({ deployment: d, replicaSets: [old] });
    const newName = `web-${computeHash(template('nginx:2'))}`;
    assert.deepEqual(writes(first.actions), [`create ${newName}=1`, `update ${old.metadata.name}=3`]);
    assert.equal((first.actions[0] as { replicaSet: ReplicaSet }).replicaSet.metadata.annotations?.['deployment.kubernetes.io/revision'], '2');

    // New pod not yet available: old at 3 (available 3 = minAvailable), nothing more may go.
    const fresh = rsFor({ image: 'nginx:2', replicas: 1, available: 0, revision: 2, desired: 4, created: '2026-11-01T01:00:00Z' });
    const stalled = plan({ deployment: d, replicaSets: [rsFor({ replicas: 3, revision: 1, desired: 4 }), fresh] });
    assert.deepEqual(writes(stalled.actions).filter((w) => !w.startsWith('event')), [`update ${fresh.metadata.name}=2`]);

    // Once the new pod is available, the old set shrinks again.
    const up = rsFor({ image: 'nginx:2', replicas: 2, available: 1, revision: 2, desired: 4, created: '2026-11-01T01:00:00Z' });
    // 5 pods, 4 available, minAvailable 3, 1 new unavailable: one more old pod may go.
    const next = plan({ deployment: d, replicaSets: [rsFor({ replicas: 3, revision: 1, desired: 4 }), up] });
    assert.deepEqual(writes(next.actions).filter((w) => !w.startsWith('event')), [`update ${old.metadata.name}=2`]);
  });

  it('never plans fewer than replicas - maxUnavailable available pods through a whole simulated rollout', () => {
    // Simulate: each pass applies the plan; a new pod becomes available one pass after creation.
    let sets = [rsFor({ replicas: 10, revision: 1 })];
    const d = dep({ replicas: 10, image: 'nginx:2' });
    for (let pass = 0; pass < 50; pass++) {
      const p = plan({ deployment: d, replicaSets: sets });
      for (const a of p.actions) {
        if (a.type === 'createReplicaSet') sets.push({ ...(a.replicaSet as Stored<ReplicaSet>), metadata: { ...(a.replicaSet.metadata as Stored<ReplicaSet>['metadata']), uid: 'n', resourceVersion: '1', creationTimestamp: '2026-11-01T02:00:00Z' }, status: { replicas: 0 } });
        if (a.type === 'updateReplicaSet') sets = sets.map((s) => (s.metadata.name === a.replicaSet.metadata.name ? { ...s, spec: a.replicaSet.spec, metadata: { ...s.metadata, annotations: a.replicaSet.metadata.annotations ?? {} } } : s));
      }
      // Pods follow specs: old pods go at once, new ones take a pass to become available.
      sets = sets.map((s) => {
        const want = s.spec.replicas ?? 1;
        const had = s.status?.replicas ?? 0;
        const available = want <= had ? want : had;
        return { ...s, status: { replicas: want, availableReplicas: available, readyReplicas: available } };
      });
      const available = sets.reduce((n, s) => n + (s.status?.availableReplicas ?? 0), 0);
      const total = sets.reduce((n, s) => n + (s.status?.replicas ?? 0), 0);
      assert.ok(available >= 10 - 2, `pass ${pass}: ${available} available`);
      assert.ok(total <= 10 + 3, `pass ${pass}: ${total} pods`);
      if (p.actions.length === 0) break;
    }
    const newest = sets.find((s) => s.spec.template?.spec.containers[0]?.image === 'nginx:2');
    assert.equal(newest?.spec.replicas, 10);
    assert.equal(sets.find((s) => s !== newest)?.spec.replicas, 0);
  });

  it('treats a changed replica count as a scaling event and resizes the only active ReplicaSet', () => {
    const rs = rsFor({ replicas: 3, revision: 1 });
    const p = plan({ deployment: dep({ replicas: 5 }), replicaSets: [rs] });
    assert.deepEqual(writes(p.actions), [`update ${rs.metadata.name}=5`]);
    const a = p.actions[0];
    assert.ok(a?.type === 'updateReplicaSet');
    assert.equal(a.event?.message, `Scaled up replica set ${rs.metadata.name} from 3 to 5`);
    assert.equal(a.replicaSet.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], '5');
    assert.equal(a.replicaSet.metadata.annotations?.['deployment.kubernetes.io/max-replicas'], '7');
  });

  it('scales proportionally when replicas change in the middle of a rollout', () => {
    const old = rsFor({ replicas: 10, revision: 1, desired: 10, max: 13, name: 'web-old' });
    const young = rsFor({ image: 'nginx:2', replicas: 3, revision: 2, desired: 10, max: 13, available: 0, created: '2026-11-01T01:00:00Z' });
    const p = plan({ deployment: dep({ replicas: 15, image: 'nginx:2' }), replicaSets: [old, young] });
    assert.deepEqual(writes(p.actions).filter((w) => !w.startsWith('event')).sort(), [`update web-old=15`, `update ${young.metadata.name}=4`].sort());
  });

  it('Recreate scales old ReplicaSets to zero first and creates the new one only when no old pod is left', () => {
    const old = rsFor({ replicas: 3, revision: 1 });
    const d = dep({ image: 'nginx:2', strategy: { type: 'Recreate' } });
    const first = plan({ deployment: d, replicaSets: [old] });
    assert.deepEqual(writes(first.actions).filter((w) => !w.startsWith('event')), [`update ${old.metadata.name}=0`]);
    const draining = rsFor({ replicas: 0, actual: 0, revision: 1 });
    const pod = { metadata: { name: 'p', uid: 'p' }, status: { phase: 'Running' } } as unknown as Stored<Pod>;
    const waiting = plan({ deployment: d, replicaSets: [draining], podsByReplicaSet: new Map([[draining.metadata.uid, [pod]]]) });
    assert.deepEqual(writes(waiting.actions), []);
    const go = plan({ deployment: d, replicaSets: [draining], podsByReplicaSet: new Map() });
    assert.deepEqual(writes(go.actions).filter((w) => !w.startsWith('event')), [`create web-${computeHash(template('nginx:2'))}=3`]);
  });

  it('reports ProgressDeadlineExceeded once no progress was made for progressDeadlineSeconds, and asks to look again before that', () => {
    const rs = rsFor({ replicas: 3, available: 1, revision: 1 });
    const stuck = { observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 1, availableReplicas: 1, unavailableReplicas: 2 };
    const cond = (at: string) => ({ type: 'Progressing', status: 'True' as const, reason: 'ReplicaSetUpdated', message: 'm', lastUpdateTime: at, lastTransitionTime: at });
    const early = plan({ deployment: dep({ extra: { progressDeadlineSeconds: 60 }, status: { ...stuck, conditions: [cond('2026-11-01T11:59:30Z')] } }), replicaSets: [rs] });
    assert.equal(early.status?.status?.conditions?.find((c) => c.type === 'Progressing')?.reason, 'ReplicaSetUpdated');
    const late = plan({ deployment: dep({ extra: { progressDeadlineSeconds: 60 }, status: { ...stuck, conditions: [cond('2026-11-01T11:58:00Z')] } }), replicaSets: [rs] });
    const p = late.status?.status?.conditions?.find((c) => c.type === 'Progressing');
    assert.deepEqual([p?.status, p?.reason, p?.message], ['False', 'ProgressDeadlineExceeded', `ReplicaSet "${rs.metadata.name}" has timed out progressing.`]);
    // Same status as stored: no write, but a recheck when the deadline would pass.
    const annotated = (d: Stored<Deployment>) => ({ ...d, metadata: { ...d.metadata, annotations: { 'deployment.kubernetes.io/revision': '1' } } });
    const unchanged = planDeployment({ deployment: annotated(dep({ extra: { progressDeadlineSeconds: 60 }, status: { ...stuck, conditions: [cond('2026-11-01T11:59:30Z'), { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.', lastUpdateTime: '2026-11-01T11:00:00Z', lastTransitionTime: '2026-11-01T11:00:00Z' }] } })), replicaSets: [rs], now: NOW });
    assert.equal(unchanged.status, undefined);
    assert.equal(unchanged.requeueAfterMs, 31_000);
  });

  it('pauses: records DeploymentPaused and does not roll out a changed template', () => {
    const rs = rsFor({ replicas: 3, revision: 1 });
    const p = plan({ deployment: dep({ image: 'nginx:2', paused: true }), replicaSets: [rs] });
    assert.deepEqual(writes(p.actions), []);
    const prog = p.status?.status?.conditions?.find((c) => c.type === 'Progressing');
    assert.deepEqual([prog?.status, prog?.reason, prog?.message], ['Unknown', 'DeploymentPaused', 'Deployment is paused']);
  });

  it('deletes the oldest scaled-down ReplicaSets beyond revisionHistoryLimit once the rollout completes', () => {
    const sets = [1, 2, 3].map((r) => rsFor({ image: `nginx:${r}`, replicas: 0, actual: 0, revision: r, desired: 3, created: `2026-11-01T0${r}:00:00Z` }));
    const current = rsFor({ image: 'nginx:9', replicas: 3, revision: 4, created: '2026-11-01T05:00:00Z' });
    const p = plan({ deployment: dep({ image: 'nginx:9', extra: { revisionHistoryLimit: 1 }, status: { observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 3 } }), replicaSets: [...sets, current] });
    assert.deepEqual(writes(p.actions), [`delete ${sets[0]!.metadata.name}`, `delete ${sets[1]!.metadata.name}`]);
  });

  it('refuses a selector that selects everything, with a warning event', () => {
    const d = dep();
    d.spec.selector = {};
    const p = plan({ deployment: d });
    assert.deepEqual(writes(p.actions), ['event SelectingAll: This deployment is selecting all pods. A non-empty selector is required.']);
  });

  it('copies minReadySeconds onto the new ReplicaSet', () => {
    const rs = rsFor({ replicas: 3, revision: 1 });
    const p = plan({ deployment: dep({ extra: { minReadySeconds: 10 } }), replicaSets: [rs] });
    const u = p.actions.find((a) => a.type === 'updateReplicaSet');
    assert.equal(u?.type === 'updateReplicaSet' ? u.replicaSet.spec.minReadySeconds : undefined, 10);
  });
});
