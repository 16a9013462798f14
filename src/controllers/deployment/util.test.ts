import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Deployment, PodTemplateSpec, ReplicaSet } from '../../api/index.js';
import {
  IntOrPercentError,
  computeHash,
  deploymentTimedOut,
  equalIgnoreHash,
  getProportion,
  lastRevision,
  maxRevision,
  maxSurge,
  maxUnavailable,
  newRSNewReplicas,
  resolveFenceposts,
  safeEncodeString,
  scaledValue,
  setNewReplicaSetAnnotations,
  withDefaults,
} from './util.js';

const template = (image = 'nginx'): PodTemplateSpec => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } });
const dep = (replicas: number, strategy: Deployment['spec']['strategy'] = {}, extra: Partial<Deployment['spec']> = {}): Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', uid: 'd-uid', generation: 1 },
  spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: template(), strategy, ...extra },
});
const rs = (name: string, replicas: number, annotations: Record<string, string> = {}): ReplicaSet => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name, annotations },
  spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: template() },
});

describe('RollingUpdate arithmetic', () => {
  it('rounds maxSurge up and maxUnavailable down, as intstr.GetScaledValueFromIntOrPercent', () => {
    assert.equal(scaledValue('25%', { total: 3, roundUp: true }), 1);
    assert.equal(scaledValue('25%', { total: 3, roundUp: false }), 0);
    assert.equal(scaledValue('25%', { total: 10, roundUp: true }), 3);
    assert.equal(scaledValue('25%', { total: 10, roundUp: false }), 2);
    assert.equal(scaledValue('39%', { total: 10, roundUp: true }), 4);
    assert.equal(scaledValue('39%', { total: 10, roundUp: false }), 3);
    assert.equal(scaledValue(2, { total: 10, roundUp: true }), 2);
  });

  it('resolves fenceposts like upstream, turning 0/0 into maxUnavailable 1', () => {
    const cases: [string | number, string | number, number, number, number][] = [
      ['25%', '25%', 3, 1, 0],
      ['25%', '25%', 4, 1, 1],
      ['25%', '25%', 10, 3, 2],
      ['25%', '25%', 1, 1, 0],
      ['0%', '0%', 0, 0, 1],
      ['0%', '1%', 10, 0, 1],
      ['1%', '0%', 10, 1, 0],
      [0, 0, 5, 0, 1],
      ['39%', '39%', 10, 4, 3],
    ];
    for (const [s, u, desired, surge, unavailable] of cases) {
      assert.deepEqual(resolveFenceposts({ maxSurge: s, maxUnavailable: u, desired: desired }), { surge, unavailable }, `${s}/${u} of ${desired}`);
    }
  });

  it('rejects an IntOrString that is neither an int nor a percentage', () => {
    assert.throws(() => resolveFenceposts({ maxSurge: 'oops', maxUnavailable: '25%', desired: 10 }), IntOrPercentError);
    assert.throws(() => resolveFenceposts({ maxSurge: '5', maxUnavailable: '1', desired: 10 }), IntOrPercentError);
    assert.throws(() => resolveFenceposts({ maxSurge: '55%', maxUnavailable: 'urg%', desired: 10 }), IntOrPercentError);
  });

  it('applies the apps/v1 defaults: 1 replica, RollingUpdate 25%/25%, 10 revisions, 600 s deadline', () => {
    const d = withDefaults({ ...dep(0), spec: { selector: {}, template: template() } });
    assert.equal(d.spec.replicas, 1);
    assert.deepEqual(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    assert.equal(d.spec.revisionHistoryLimit, 10);
    assert.equal(d.spec.progressDeadlineSeconds, 600);
  });

  it('caps maxUnavailable at the replica count and gives Recreate neither surge nor unavailability', () => {
    assert.equal(maxUnavailable(withDefaults(dep(2, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 5, maxSurge: 1 } }))), 2);
    assert.equal(maxUnavailable(withDefaults(dep(0))), 0);
    assert.equal(maxSurge(withDefaults(dep(4, { type: 'Recreate' }))), 0);
  });

  it('lets the new ReplicaSet grow only up to replicas + maxSurge in total (NewRSNewReplicas)', () => {
    const d = withDefaults(dep(10));
    const fresh = rs('new', 0);
    assert.equal(newRSNewReplicas(d, { allRSs: [rs('old', 10), fresh], newRS: fresh }), 3);
    const part = rs('new', 3);
    assert.equal(newRSNewReplicas(d, { allRSs: [rs('old', 10), part], newRS: part }), 3);
    assert.equal(newRSNewReplicas(d, { allRSs: [rs('old', 8), part], newRS: part }), 5);
    assert.equal(newRSNewReplicas(withDefaults(dep(10, { type: 'Recreate' })), { allRSs: [rs('old', 10), fresh], newRS: fresh }), 10);
  });

  it('shares a scaling event out in proportion to each ReplicaSet size (GetProportion)', () => {
    const d = withDefaults(dep(15));
    // Scaling 10 -> 15 mid-rollout: allowed 15 + 4 = 19; the sets were sized for 13.
    const old = rs('old', 10, { 'deployment.kubernetes.io/max-replicas': '13' });
    const young = rs('young', 3, { 'deployment.kubernetes.io/max-replicas': '13' });
    const toAdd = 19 - 13;
    const a = getProportion(old, { deployment: d, toAdd: toAdd, added: 0 });
    const b = getProportion(young, { deployment: d, toAdd: toAdd, added: a });
    assert.deepEqual([a, b], [5, 1]);
  });
});

describe('pod-template-hash', () => {
  it('safe-encodes digits into the upstream alphabet', () => {
    assert.equal(safeEncodeString('123'), '567');
    assert.match(safeEncodeString('4294967295'), /^[bcdfghjklmnpqrstvwxz2456789]{10}$/);
  });

  it('is stable under key order, and changes with the template or the collision count', () => {
    const a = computeHash(template());
    const reordered: PodTemplateSpec = { spec: { containers: [{ image: 'nginx', name: 'c' }] }, metadata: { labels: { app: 'web' } } };
    assert.equal(computeHash(reordered), a);
    assert.notEqual(computeHash(template('nginx:2')), a);
    assert.notEqual(computeHash(template(), 1), a);
    assert.match(a, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  });

  it('compares templates ignoring only the pod-template-hash label', () => {
    const withHash = template();
    withHash.metadata!.labels!['pod-template-hash'] = 'abc';
    assert.ok(equalIgnoreHash(withHash, template()));
    assert.ok(!equalIgnoreHash(template('other'), template()));
  });
});

describe('revision annotations', () => {
  it('finds the highest and second highest revisions', () => {
    const sets = [rs('a', 0, { 'deployment.kubernetes.io/revision': '3' }), rs('b', 0, { 'deployment.kubernetes.io/revision': '7' }), rs('c', 0)];
    assert.equal(maxRevision(sets), 7);
    assert.equal(lastRevision(sets), 3);
  });

  it('gives a new ReplicaSet the next revision, the replica annotations and the deployment annotations it may copy', () => {
    const d = withDefaults(dep(3));
    d.metadata.annotations = { 'kubernetes.io/change-cause': 'kubectl set image', 'deployment.kubernetes.io/revision': '9', 'kubectl.kubernetes.io/last-applied-configuration': '{}' };
    const n = rs('n', 0);
    assert.ok(setNewReplicaSetAnnotations(d, { replicaSet: n, revision: 4, exists: false }));
    assert.deepEqual(n.metadata.annotations, {
      'kubernetes.io/change-cause': 'kubectl set image',
      'deployment.kubernetes.io/revision': '4',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
  });

  it('keeps the superseded revision in revision-history when an old ReplicaSet becomes new again (rollback)', () => {
    const d = withDefaults(dep(3));
    const back = rs('back', 0, { 'deployment.kubernetes.io/revision': '1' });
    setNewReplicaSetAnnotations(d, { replicaSet: back, revision: 3, exists: true });
    assert.equal(back.metadata.annotations?.['deployment.kubernetes.io/revision'], '3');
    assert.equal(back.metadata.annotations?.['deployment.kubernetes.io/revision-history'], '1');
    setNewReplicaSetAnnotations(d, { replicaSet: back, revision: 5, exists: true });
    assert.equal(back.metadata.annotations?.['deployment.kubernetes.io/revision-history'], '1,3');
  });
});

describe('progress deadline', () => {
  it('times out once the Progressing condition has not moved for progressDeadlineSeconds', () => {
    const d = withDefaults(dep(3, {}, { progressDeadlineSeconds: 60 }));
    const status = { conditions: [{ type: 'Progressing', status: 'True' as const, reason: 'ReplicaSetUpdated', lastUpdateTime: '2026-11-01T00:00:00Z', lastTransitionTime: '2026-11-01T00:00:00Z' }] };
    assert.equal(deploymentTimedOut(d, { status: status, now: Date.UTC(2026, 10, 1, 0, 1, 0) }), false);
    assert.equal(deploymentTimedOut(d, { status: status, now: Date.UTC(2026, 10, 1, 0, 1, 1) }), true);
    const done = { conditions: [{ ...status.conditions[0]!, reason: 'NewReplicaSetAvailable' }] };
    assert.equal(deploymentTimedOut(d, { status: done, now: Date.UTC(2026, 10, 2) }), false);
  });
});
