import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from '../core.js';
import type { KubeObject } from '../objects.js';
import { nodePrinter } from './node.js';

const now = new Date('2024-05-01T12:00:00Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000).toISOString().replace('.000Z', 'Z');
const as = (o: unknown) => o as KubeObject;

test('node STATUS and ROLES follow printNode', () => {
  const node = (ready: 'True' | 'False' | undefined, labels: Record<string, string>, unschedulable = false): KubeObject =>
    as({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node-1', labels, creationTimestamp: ago(12 * 86400) },
      spec: { unschedulable },
      status: {
        conditions: ready ? [{ type: 'Ready', status: ready }] : [],
        addresses: [{ type: 'InternalIP', address: '172.18.0.2' }],
        nodeInfo: { kubeletVersion: 'v1.32.0', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0', containerRuntimeVersion: 'kubeloop://0.1.0' },
      },
    } as unknown as Node);
  const cells = (n: KubeObject) => nodePrinter.cells(n, now);
  assert.deepEqual(cells(node('True', { 'node-role.kubernetes.io/control-plane': '' })).slice(0, 5), ['node-1', 'Ready', 'control-plane', '12d', 'v1.32.0']);
  assert.deepEqual(cells(node('False', {}, true)).slice(1, 3), ['NotReady,SchedulingDisabled', '<none>']);
  assert.equal(cells(node(undefined, {}))[1], 'Unknown');
  assert.equal(cells(node('True', { 'node-role.kubernetes.io/worker': '', 'kubernetes.io/role': 'infra', 'node-role.kubernetes.io/': '' }))[2], 'infra,worker');
  assert.deepEqual(cells(node('True', {})).slice(5), ['172.18.0.2', '<none>', 'Debian GNU/Linux 12 (bookworm)', '6.1.0', 'kubeloop://0.1.0']);
});
