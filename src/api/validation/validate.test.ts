import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../objects.js';
import { validateObject, validateObjectUpdate } from './validate.js';

test('validateObject dispatches by apiVersion/kind and declines kinds it does not own', () => {
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad', namespace: 'default' } } as KubeObject;
  assert.equal(validateObject(cm)?.length, 1);
  assert.equal(validateObject({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } }), undefined, 'Service belongs to api/service');
  assert.equal(validateObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }), undefined);
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a', resourceVersion: '1' } } as KubeObject;
  assert.deepEqual(validateObjectUpdate(ns, ns), []);
});
