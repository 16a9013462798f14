import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Taint } from '../core.js';
import { errorString, type FieldError } from '../field.js';
import { validateNode, validateNodeUpdate } from './node.js';

const msgs = (errs: FieldError[]) => errs.map(errorString);

test('nodes: subdomain names, unique taints, podCIDR set once', () => {
  const node = (taints: Taint[] | undefined, podCIDRs?: string[]): Node => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node-1', resourceVersion: '1' },
    spec: { taints, podCIDRs },
  });
  assert.deepEqual(validateNode(node([{ key: 'a', effect: 'NoSchedule' }], ['10.244.1.0/24'])), []);
  assert.deepEqual(msgs(validateNode(node([{ key: 'a', effect: 'Sometimes' as never }]))), [
    'metadata.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
  ]);
  assert.deepEqual(msgs(validateNode(node(undefined, ['10.244.1.0/33']))), ['spec.podCIDRs[0]: Invalid value: "10.244.1.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)']);
  assert.deepEqual(msgs(validateNodeUpdate(node(undefined, ['10.244.2.0/24']), node(undefined, ['10.244.1.0/24']))), [
    'spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid',
  ]);
  assert.deepEqual(validateNodeUpdate(node(undefined, ['10.244.1.0/24']), node(undefined, [])), [], 'a first podCIDR may be assigned');
});
