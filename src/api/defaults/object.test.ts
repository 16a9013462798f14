import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../objects.js';
import { defaultObject } from './object.js';

test('defaultObject dispatches by apiVersion/kind and leaves other kinds untouched', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'x:1' }] } } as KubeObject & { spec: { restartPolicy?: string } };
  assert.equal(defaultObject(pod), true);
  assert.equal(pod.spec.restartPolicy, 'Always');
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } } as KubeObject;
  assert.equal(defaultObject(cm), false);
  assert.deepEqual(cm, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } } as KubeObject & { spec?: { finalizers?: string[] } };
  defaultObject(ns, { forCreate: true });
  assert.deepEqual(ns.spec?.finalizers, ['kubernetes']);
});
