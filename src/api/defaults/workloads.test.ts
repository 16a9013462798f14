import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment } from '../apps.js';
import { defaultDeployment } from './workloads.js';

const base = (): Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } },
});

test('defaultDeployment sets replicas, a 25%/25% rolling update, history and deadline', () => {
  const d = base();
  defaultDeployment(d);
  assert.equal(d.spec.replicas, 1);
  assert.deepEqual(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  assert.equal(d.spec.revisionHistoryLimit, 10);
  assert.equal(d.spec.progressDeadlineSeconds, 600);
  assert.equal(d.spec.template.spec.dnsPolicy, 'ClusterFirst');
  assert.equal(d.spec.template.spec.containers[0]!.imagePullPolicy, 'Always');
});

test('defaultDeployment keeps zero replicas and a Recreate strategy without rollingUpdate', () => {
  const d = base();
  d.spec.replicas = 0;
  d.spec.strategy = { type: 'Recreate' };
  defaultDeployment(d);
  assert.equal(d.spec.replicas, 0);
  assert.deepEqual(d.spec.strategy, { type: 'Recreate' });
});
