import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Namespace } from '../core.js';
import type { KubeObject } from '../objects.js';
import { namespacePrinter } from './namespace.js';
import { configMapPrinter, secretPrinter, serviceAccountPrinter } from './config.js';
import { leasePrinter } from './lease.js';

const now = new Date('2024-05-01T12:00:00Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000).toISOString().replace('.000Z', 'Z');
const as = (o: unknown) => o as KubeObject;

test('namespaces, configmaps, secrets, service accounts and leases print their counts and fields', () => {
  const ns: Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', creationTimestamp: ago(86400 * 3) }, status: { phase: 'Active' } };
  assert.deepEqual(namespacePrinter.cells(as(ns), now), ['default', 'Active', '3d']);
  assert.deepEqual(configMapPrinter.cells(as({ metadata: { name: 'c', creationTimestamp: ago(5) }, data: { a: '1', b: '2' }, binaryData: { c: 'eA==' } }), now), ['c', 3, '5s']);
  assert.deepEqual(secretPrinter.cells(as({ metadata: { name: 's', creationTimestamp: ago(5) }, type: 'Opaque', data: { a: 'eA==' } }), now), ['s', 'Opaque', 1, '5s']);
  assert.deepEqual(serviceAccountPrinter.cells(as({ metadata: { name: 'default', creationTimestamp: ago(5) } }), now), ['default', 0, '5s']);
  assert.deepEqual(leasePrinter.cells(as({ metadata: { name: 'node-1', creationTimestamp: ago(5) }, spec: { holderIdentity: 'node-1' } }), now), ['node-1', 'node-1', '5s']);
  assert.deepEqual(leasePrinter.cells(as({ metadata: { name: 'x', creationTimestamp: ago(5) }, spec: {} }), now)[1], '');
});
