import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Endpoints, Namespace, Node, Secret } from '../core.js';
import type { EndpointSlice } from '../discovery.js';
import { defaultEndpoints, defaultEndpointSlice, defaultNamespace, defaultNode, defaultSecret } from './core.js';

test('namespaces get the metadata.name label and phase Active; create adds the kubernetes finalizer', () => {
  const ns: Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', labels: { owner: 'me' } } };
  defaultNamespace(ns, { forCreate: true });
  assert.deepEqual(ns.metadata.labels, { owner: 'me', 'kubernetes.io/metadata.name': 'team-a' });
  assert.deepEqual(ns.spec, { finalizers: ['kubernetes'] });
  assert.deepEqual(ns.status, { phase: 'Active' });
});

test('namespace defaulting on update never re-adds a removed finalizer or resets Terminating', () => {
  const ns: Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'gone' }, spec: { finalizers: [] }, status: { phase: 'Terminating' } };
  defaultNamespace(ns);
  assert.deepEqual(ns.spec, { finalizers: [] });
  assert.equal(ns.status?.phase, 'Terminating');
});

test('secrets default to Opaque; endpoint ports to TCP; slice ports to name "" and TCP', () => {
  const s: Secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } };
  defaultSecret(s);
  assert.equal(s.type, 'Opaque');
  const ep: Endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'e' }, subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }] };
  defaultEndpoints(ep);
  assert.equal(ep.subsets![0]!.ports![0]!.protocol, 'TCP');
  const slice: EndpointSlice = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'e-x' }, addressType: 'IPv4', endpoints: [], ports: [{ port: 80 }] };
  defaultEndpointSlice(slice);
  assert.deepEqual(slice.ports, [{ port: 80, name: '', protocol: 'TCP' }]);
});

test('node allocatable defaults to capacity', () => {
  const n: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, status: { capacity: { cpu: '4', pods: '110' } } };
  defaultNode(n);
  assert.deepEqual(n.status?.allocatable, { cpu: '4', pods: '110' });
});
