import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NodeIndex } from './nodes.js';

describe('NodeIndex', () => {
  const idx = new NodeIndex([
    { name: 'node0', ips: ['127.0.0.1', '127.245.0.1'], podCIDR: '127.244.0.0/24' },
    { name: 'node1', ips: ['127.245.1.1', '127.0.0.1'], podCIDR: '127.244.1.0/24' },
  ]);

  it('finds a client by node address or pod CIDR, and knows no node for other addresses', () => {
    assert.equal(idx.nodeOf('127.245.1.1'), 'node1');
    assert.equal(idx.nodeOf('127.244.0.9'), 'node0');
    assert.equal(idx.nodeOf('127.244.1.255'), 'node1');
    assert.equal(idx.nodeOf('127.244.2.1'), undefined);
    assert.equal(idx.nodeOf('127.0.0.1'), 'node0', 'the first node to list an address owns it');
  });

  it('lists each node address once for per-node ports', () => {
    assert.deepEqual(idx.nodeAddresses(), [
      { node: 'node0', ip: '127.0.0.1' },
      { node: 'node0', ip: '127.245.0.1' },
      { node: 'node1', ip: '127.245.1.1' },
    ]);
  });

  it('rejects a pod CIDR that is not IPv4', () => {
    assert.throws(() => new NodeIndex([{ name: 'x', ips: [], podCIDR: 'fd00::/64' }]), /Cannot use pod CIDR/);
  });
});
