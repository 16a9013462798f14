import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IPAllocationError, PodIPAllocator, gatewayOf, parseCIDR } from './ipam.js';

test('node i gets 127.244.i.1 and its pods 127.244.i.2 and up, each a distinct address', () => {
  assert.equal(gatewayOf('127.244.7.0/24'), '127.244.7.1');
  const a = new PodIPAllocator('127.244.7.0/24', { reserved: ['127.244.7.1'] });
  const ips = ['p1', 'p2', 'p3'].map((p) => a.allocate(p));
  assert.deepEqual(ips, ['127.244.7.2', '127.244.7.3', '127.244.7.4']);
  assert.equal(a.allocate('p2'), '127.244.7.3', 'asking again returns the same address');
  assert.equal(a.ownerOf('127.244.7.4'), 'p3');
});

test('a pod that asks for the address in its status gets it back, unless another pod holds it', () => {
  const a = new PodIPAllocator('127.244.7.0/24');
  assert.equal(a.allocate('old', '127.244.7.77'), '127.244.7.77');
  assert.equal(a.allocate('new', '127.244.7.77'), '127.244.7.2');
  assert.equal(a.reserve('x', '127.244.8.5'), false, 'out of range');
  assert.equal(a.reserve('x', '127.244.7.255'), false, 'broadcast');
  assert.equal(a.reserve('x', '127.244.7.1'), false, 'the node address');
});

test('freed addresses are not reused at once (round robin), and a full range is an error', () => {
  const a = new PodIPAllocator('127.244.9.0/29');
  assert.equal(a.capacity, 5);
  const got = ['a', 'b', 'c', 'd', 'e'].map((p) => a.allocate(p));
  assert.deepEqual(got, ['127.244.9.2', '127.244.9.3', '127.244.9.4', '127.244.9.5', '127.244.9.6']);
  assert.throws(() => a.allocate('f'), IPAllocationError);
  a.release('b');
  a.release('d');
  assert.equal(a.allocate('f'), '127.244.9.3');
  assert.equal(a.allocate('g'), '127.244.9.5');
});

test('only IPv4 CIDRs with room for pods are accepted', () => {
  assert.throws(() => parseCIDR('127.244.0.0'), IPAllocationError);
  assert.throws(() => parseCIDR('fd00::/64'), IPAllocationError);
  assert.throws(() => parseCIDR('127.244.0.0/31'), IPAllocationError);
  assert.deepEqual(parseCIDR('127.244.3.9/24'), { base: (127 * 256 ** 3) + 244 * 65536 + 3 * 256, size: 256 });
});
