import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { categorizeEndpoints, localReadyCount } from './topology.js';
import type { EndpointInfo } from './types.js';

const ep = (ip: string, nodeName: string, c: Partial<Pick<EndpointInfo, 'ready' | 'serving' | 'terminating'>> = {}): EndpointInfo => {
  const ready = c.ready ?? true;
  return { ip, port: 80, nodeName, ready, serving: c.serving ?? ready, terminating: c.terminating ?? false };
};
const ips = (l: readonly EndpointInfo[] | undefined) => (l ?? []).map((e) => e.ip);

describe('categorizeEndpoints', () => {
  it('uses only ready endpoints while any exists', () => {
    const c = categorizeEndpoints([ep('a', 'n0'), ep('b', 'n1', { ready: false, serving: true, terminating: true }), ep('c', 'n1', { ready: false })]);
    assert.deepEqual(ips(c.cluster), ['a']);
    assert.ok(c.hasAnyEndpoints);
  });

  it('falls back to serving terminating endpoints when none is ready, never to unready non-terminating ones', () => {
    const c = categorizeEndpoints([ep('b', 'n1', { ready: false, serving: true, terminating: true }), ep('c', 'n1', { ready: false }), ep('d', 'n0', { ready: false, serving: false, terminating: true })]);
    assert.deepEqual(ips(c.cluster), ['b']);
    assert.deepEqual(ips(c.localByNode.get('n1')), ['b']);
    assert.equal(c.localByNode.get('n0'), undefined);
  });

  it('decides the local fallback per node, independently of the cluster set', () => {
    const c = categorizeEndpoints([ep('a', 'n0'), ep('b', 'n1', { ready: false, serving: true, terminating: true })]);
    assert.deepEqual(ips(c.cluster), ['a']);
    assert.deepEqual(ips(c.localByNode.get('n0')), ['a']);
    assert.deepEqual(ips(c.localByNode.get('n1')), ['b'], 'node n1 has no ready endpoint, so it uses its terminating one');
  });

  it('has no endpoints when nothing is ready or serving-terminating', () => {
    const c = categorizeEndpoints([ep('c', 'n1', { ready: false })]);
    assert.equal(c.hasAnyEndpoints, false);
    assert.deepEqual(c.cluster, []);
  });

  it('counts only ready endpoints for health checks', () => {
    const l = [ep('a', 'n0'), ep('b', 'n0', { ready: false, serving: true, terminating: true })];
    assert.equal(localReadyCount(l, 'n0'), 1);
    assert.equal(localReadyCount(l, 'n1'), 0);
  });
});
