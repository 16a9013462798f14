import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, ReplicaSet } from '../apps.js';
import type { KubeObject } from '../objects.js';
import { deploymentPrinter, replicaSetPrinter } from './workloads.js';
import { render } from './_render.test-helper.js';

const now = new Date('2024-05-01T12:00:00Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000).toISOString().replace('.000Z', 'Z');
const as = (o: unknown) => o as KubeObject;

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } };

test('kubectl get deploy prints the §5.3 sample, with wide CONTAINERS IMAGES SELECTOR', () => {
  const d: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', creationTimestamp: ago(180) },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template },
    status: { replicas: 2, readyReplicas: 2, updatedReplicas: 2, availableReplicas: 2 },
  };
  assert.equal(render(deploymentPrinter, [as(d)], now), ['NAME   READY   UP-TO-DATE   AVAILABLE   AGE', 'web    2/2     2            2           3m'].join('\n'));
  assert.deepEqual(deploymentPrinter.cells(as(d), now).slice(5), ['nginx', 'nginx:1.27', 'app=web']);
  assert.deepEqual(deploymentPrinter.cells(as({ ...d, status: undefined }), now).slice(1, 4), ['0/2', 0, 0], 'a new deployment has no status yet');
});

test('kubectl get rs -o wide prints the §5.3 sample with integer counts', () => {
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-5d78c9869d', namespace: 'default', creationTimestamp: ago(180) },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web', 'pod-template-hash': '5d78c9869d' } }, template },
    status: { replicas: 2, readyReplicas: 2 },
  };
  assert.equal(
    render(replicaSetPrinter, [as(rs)], now, { wide: true }),
    [
      'NAME             DESIRED   CURRENT   READY   AGE   CONTAINERS   IMAGES       SELECTOR',
      'web-5d78c9869d   2         2         2       3m    nginx        nginx:1.27   app=web,pod-template-hash=5d78c9869d',
    ].join('\n'),
  );
  assert.deepEqual(replicaSetPrinter.cells(as(rs), now).slice(1, 4), [2, 2, 2]);
  assert.deepEqual(replicaSetPrinter.columns.slice(1, 4).map((c) => c.type), ['integer', 'integer', 'integer']);
});
