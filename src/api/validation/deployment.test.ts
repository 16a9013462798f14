import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, ReplicaSet } from '../apps.js';
import { errorString, type FieldError } from '../field.js';
import { invalid } from '../errors.js';
import { defaultDeployment, defaultReplicaSet } from '../defaults/workloads.js';
import { validateDeployment, validateDeploymentStatus, validateDeploymentUpdate } from './deployment.js';
import { validateReplicaSet, validateReplicaSetUpdate } from './replicaset.js';

const msgs = (errs: FieldError[]) => errs.map(errorString);

function deployment(mut: (d: Deployment) => void = () => {}): Deployment {
  const d: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
    },
  };
  mut(d);
  defaultDeployment(d);
  return d;
}

test('a defaulted deployment whose selector matches its template is valid', () => {
  assert.deepEqual(validateDeployment(deployment()), []);
});

test('validateDeployment reports the messages kubectl users hit', () => {
  const cases: { name: string; d: Deployment; want: string[] }[] = [
    {
      name: 'selector does not match template labels',
      d: deployment((d) => (d.spec.template.metadata = { labels: { app: 'nginx' } })),
      want: ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"nginx"}: `selector` does not match template `labels`'],
    },
    {
      name: 'missing selector also fails the template match',
      d: deployment((d) => delete (d.spec as Partial<Deployment['spec']>).selector),
      want: ['spec.selector: Required value', 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`'],
    },
    {
      name: 'empty selector',
      d: deployment((d) => (d.spec.selector = {})),
      want: ['spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment'],
    },
    { name: 'negative replicas', d: deployment((d) => (d.spec.replicas = -1)), want: ['spec.replicas: Invalid value: -1: must be greater than or equal to 0'] },
    {
      name: 'template restartPolicy must be Always',
      d: deployment((d) => (d.spec.template.spec.restartPolicy = 'Never')),
      want: ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    },
    {
      name: 'maxUnavailable and maxSurge both zero',
      d: deployment((d) => (d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } })),
      want: ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0'],
    },
    {
      name: 'a bad percentage',
      d: deployment((d) => (d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25', maxSurge: '25%' } })),
      want: [
        `spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"25"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`,
      ],
    },
    {
      name: 'rollingUpdate with Recreate',
      d: deployment((d) => (d.spec.strategy = { type: 'Recreate', rollingUpdate: { maxSurge: 1 } })),
      want: ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
    },
    {
      name: 'progressDeadlineSeconds not above minReadySeconds',
      d: deployment((d) => {
        d.spec.minReadySeconds = 10;
        d.spec.progressDeadlineSeconds = 10;
      }),
      want: ['spec.progressDeadlineSeconds: Invalid value: 10: must be greater than minReadySeconds'],
    },
  ];
  for (const c of cases) assert.deepEqual(msgs(validateDeployment(c.d)), c.want, c.name);
});

test('the 422 message for a mismatched selector reads as upstream', () => {
  const d = deployment((x) => (x.spec.template.metadata = { labels: { app: 'nginx' } }));
  assert.equal(
    invalid({ group: 'apps', kind: 'Deployment' }, 'web', validateDeployment(d)).message,
    'Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"nginx"}: `selector` does not match template `labels`',
  );
});

test('validateDeploymentUpdate keeps the apps/v1 selector immutable', () => {
  const old = deployment((d) => (d.metadata.resourceVersion = '3'));
  const next = structuredClone(old);
  next.spec.selector = { matchLabels: { app: 'web2' } };
  next.spec.template.metadata = { labels: { app: 'web2' } };
  assert.deepEqual(msgs(validateDeploymentUpdate(next, old)), [
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
  ]);
  const scaled = structuredClone(old);
  scaled.spec.replicas = 5;
  assert.deepEqual(validateDeploymentUpdate(scaled, old), [], 'scaling is a valid update');
});

test('validateDeploymentStatus rejects counts above status.replicas', () => {
  assert.deepEqual(msgs(validateDeploymentStatus({ replicas: 1, readyReplicas: 2, availableReplicas: 1 })), [
    'status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas',
  ]);
});

test('replica sets share the workload rules', () => {
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-5d78c9869d', namespace: 'default', resourceVersion: '1' },
    spec: {
      selector: { matchLabels: { app: 'web', 'pod-template-hash': '5d78c9869d' } },
      template: { metadata: { labels: { app: 'web', 'pod-template-hash': '5d78c9869d' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
    },
  };
  defaultReplicaSet(rs);
  assert.deepEqual(validateReplicaSet(rs), []);
  assert.equal(rs.spec.replicas, 1);
  const bad = structuredClone(rs);
  bad.spec.template!.metadata!.labels = { app: 'web' };
  assert.deepEqual(msgs(validateReplicaSet(bad)), [
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
  ]);
  const moved = structuredClone(rs);
  moved.spec.selector = { matchLabels: { app: 'web' } };
  assert.equal(msgs(validateReplicaSetUpdate(moved, rs))[0]?.endsWith('field is immutable'), true);
});
