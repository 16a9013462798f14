import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatIPv4, ipv4ToNumber, parseCIDR, parseIP } from './ip.js';

describe('parseIP', () => {
  it('parses IPv4 sloppily, leading zeros as decimal', () => {
    const p = parseIP('127.096.0.010');
    assert.equal(p?.family, 'IPv4');
    assert.equal(formatIPv4(ipv4ToNumber(p!.bytes)), '127.96.0.10');
  });

  it('rejects malformed addresses', () => {
    for (const bad of ['', '1.2.3', '1.2.3.4.5', '256.0.0.1', '1..2.3', 'a.b.c.d', '1:2', ':::1', '1::2::3', 'fe80::1%eth0', '12345::']) {
      assert.equal(parseIP(bad), undefined, bad);
    }
  });

  it('parses IPv6, and counts IPv4-mapped addresses as IPv4', () => {
    assert.equal(parseIP('2001:db8::ffff')?.family, 'IPv6');
    assert.equal(parseIP('::')?.family, 'IPv6');
    assert.equal(parseIP('::1.2.3.4')?.family, 'IPv6');
    assert.deepEqual(parseIP('::ffff:10.1.2.3'), { family: 'IPv4', bytes: Uint8Array.from([10, 1, 2, 3]) });
    assert.deepEqual([...parseIP('1:2:3:4:5:6:7:8')!.bytes], [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]);
  });
});

describe('parseCIDR', () => {
  it('masks to the network address', () => {
    const c = parseCIDR('127.96.3.4/12');
    assert.equal(formatIPv4(ipv4ToNumber(c!.network.bytes)), '127.96.0.0');
    assert.equal(c?.prefix, 12);
  });

  it('rejects bad prefixes', () => {
    for (const bad of ['10.0.0.0', '10.0.0.0/33', '10.0.0.0/-1', '10.0.0.0/a', 'fd00::/129']) assert.equal(parseCIDR(bad), undefined, bad);
    assert.equal(parseCIDR('fd00::/64')?.network.family, 'IPv6');
  });
});
