import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod, ReplicaSet, Stored } from '../../api/index.js';
import { calculateStatus, planReplicas, podFromTemplate, podsToDelete, statusNeedsUpdate } from './plan.js';

const NOW = Date.UTC(2026, 10, 1, 12, 0, 0);

function rs(replicas: number, extra: Partial<ReplicaSet['spec']> = {}): Stored<ReplicaSet> {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-abc', namespace: 'default', uid: 'rs-uid', resourceVersion: '3', creationTimestamp: '2026-11-01T00:00:00Z', generation: 2 },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' }, annotations: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      ...extra,
    },
    status: { replicas: 0, observedGeneration: 1 },
  };
}

function p(name: string, o: { node?: string; phase?: 'Pending' | 'Running' | 'Unknown'; ready?: boolean; readySince?: string; created?: string; restarts?: number; cost?: number; labels?: Record<string, string> } = {}): Stored<Pod> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      resourceVersion: '1',
      creationTimestamp: o.created ?? '2026-11-01T00:00:00Z',
      labels: o.labels ?? { app: 'web' },
      ...(o.cost !== undefined ? { annotations: { 'controller.kubernetes.io/pod-deletion-cost': String(o.cost) } } : {}),
    },
    spec: { containers: [{ name: 'c' }], ...(o.node ? { nodeName: o.node } : {}) },
    status: {
      phase: o.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: o.readySince ?? '2026-11-01T10:00:00Z' }],
      containerStatuses: [{ name: 'c', ready: true, restartCount: o.restarts ?? 0, image: 'nginx', imageID: '' }],
    },
  };
}

const names = (ps: Stored<Pod>[]) => ps.map((x) => x.metadata.name);

describe('planReplicas', () => {
  it('creates the missing pods, at most burstReplicas at once', () => {
    assert.deepEqual(planReplicas({ replicaSet: rs(3), active: [p('a')], related: [], now: NOW }), { action: 'create', count: 2 });
    assert.deepEqual(planReplicas({ replicaSet: rs(900), active: [], related: [], now: NOW }), { action: 'create', count: 500 });
    assert.deepEqual(planReplicas({ replicaSet: rs(1), active: [p('a')], related: [], now: NOW }), { action: 'none' });
  });

  it('deletes unscheduled before scheduled, pending before running, unready before ready', () => {
    const pods = [p('running', { node: 'n1' }), p('unscheduled'), p('pending', { node: 'n1', phase: 'Pending' }), p('unready', { node: 'n1', ready: false })];
    const plan = planReplicas({ replicaSet: rs(1), active: pods, related: pods, now: NOW });
    assert.equal(plan.action, 'delete');
    assert.deepEqual(names(plan.action === 'delete' ? plan.pods : []), ['unscheduled', 'pending', 'unready']);
  });

  it('then prefers lower pod-deletion-cost, doubled-up nodes, the most recently ready, more restarts, and the newest', () => {
    assert.deepEqual(names(podsToDelete([p('costly', { node: 'a', cost: 10 }), p('cheap', { node: 'b', cost: -1 })], { related: [], count: 1, now: NOW })), ['cheap']);
    const crowded = [p('alone', { node: 'a' }), p('crowd1', { node: 'b' }), p('crowd2', { node: 'b' })];
    assert.deepEqual(names(podsToDelete(crowded, { related: crowded, count: 1, now: NOW })), ['crowd1']);
    // Ready for 1 minute vs for hours: different log2 buckets.
    assert.deepEqual(names(podsToDelete([p('veteran', { node: 'a', readySince: '2026-11-01T06:00:00Z' }), p('rookie', { node: 'b', readySince: '2026-11-01T11:59:00Z' })], { related: [], count: 1, now: NOW })), ['rookie']);
    assert.deepEqual(names(podsToDelete([p('stable', { node: 'a' }), p('crashy', { node: 'b', restarts: 5 })], { related: [], count: 1, now: NOW })), ['crashy']);
    assert.deepEqual(names(podsToDelete([p('old', { node: 'a', created: '2026-10-01T00:00:00Z' }), p('new', { node: 'b', created: '2026-11-01T11:00:00Z' })], { related: [], count: 1, now: NOW })), ['new']);
  });
});

describe('ReplicaSet pods and status', () => {
  it('makes pods from the template: generateName <rs>-, template labels and annotations, the ReplicaSet as controller', () => {
    const pod = podFromTemplate(rs(1));
    assert.equal(pod.metadata.generateName, 'web-abc-');
    assert.equal(pod.metadata.name, undefined);
    assert.deepEqual(pod.metadata.labels, { app: 'web' });
    assert.deepEqual(pod.metadata.annotations, { a: 'b' });
    assert.deepEqual(pod.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: 'rs-uid', controller: true, blockOwnerDeletion: true }]);
    assert.deepEqual(pod.spec.containers, [{ name: 'c', image: 'nginx' }]);
  });

  it('counts replicas, fully labelled, ready and available (after minReadySeconds) pods', () => {
    const set = rs(3, { minReadySeconds: 60 });
    const pods = [p('a', { readySince: '2026-11-01T11:00:00Z' }), p('b', { readySince: '2026-11-01T11:59:30Z' }), p('c', { ready: false, labels: { app: 'web', extra: 'x' } }), p('d', { labels: { other: 'y' } })];
    const s = calculateStatus(set, { active: pods, now: NOW });
    assert.deepEqual(s, { replicas: 4, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 2, observedGeneration: 1 });
    assert.ok(statusNeedsUpdate(set, s));
  });

  it('reports a failed creation as ReplicaFailure/FailedCreate and clears it once managing works again', () => {
    const failed = calculateStatus(rs(2), { active: [], now: NOW, manageError: { message: 'pods "x" is forbidden: quota', creating: true } });
    assert.deepEqual(failed.conditions, [{ type: 'ReplicaFailure', status: 'True', lastTransitionTime: '2026-11-01T12:00:00Z', reason: 'FailedCreate', message: 'pods "x" is forbidden: quota' }]);
    const set = rs(2);
    set.status = failed;
    assert.equal(calculateStatus(set, { active: [], now: NOW }).conditions, undefined);
  });
});
