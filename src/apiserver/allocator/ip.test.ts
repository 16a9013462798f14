import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_SERVICE_CIDR, IPAllocator } from './ip.js';
import { seededRandom } from './range.js';

function errorOf(r: { ok: boolean; error?: Error }): string {
  assert.equal(r.ok, false);
  return r.error!.message;
}

describe('IPAllocator', () => {
  it('serves the usable addresses of 127.96.0.0/12: network and broadcast excluded', () => {
    const a = new IPAllocator(DEFAULT_SERVICE_CIDR);
    assert.equal(a.cidr, '127.96.0.0/12');
    assert.equal(a.free(), 2 ** 20 - 2);
    assert.equal(a.addressAt(1), '127.96.0.1');
    assert.equal(a.addressAt(10), '127.96.0.10');
    assert.equal(a.contains('127.96.0.0'), false);
    assert.equal(a.contains('127.111.255.255'), false);
    assert.equal(a.contains('127.111.255.254'), true);
  });

  it('canonicalizes the CIDR and refuses IPv6, garbage and ranges larger than /12', () => {
    assert.equal(new IPAllocator('10.96.3.4/16').cidr, '10.96.0.0/16');
    assert.throws(() => new IPAllocator('fd00::/112'), /only IPv4 is supported/);
    assert.throws(() => new IPAllocator('10.0.0.0'), /not a valid CIDR/);
    assert.throws(() => new IPAllocator('10.0.0.0/8'), /the mask must be >= 12/);
  });

  it('(50a) takes an explicit free IP, then answers "provided IP is already allocated"', () => {
    const a = new IPAllocator(DEFAULT_SERVICE_CIDR);
    assert.deepEqual(a.allocate('127.96.123.123'), { ok: true, value: '127.96.123.123' });
    assert.equal(errorOf(a.allocate('127.96.123.123')), 'provided IP is already allocated');
    assert.equal(a.has('127.96.123.123'), true);
  });

  it('(50a) names the valid range for an IP outside it, network and broadcast included', () => {
    const a = new IPAllocator(DEFAULT_SERVICE_CIDR);
    assert.equal(errorOf(a.allocate('10.0.0.5')), 'the provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 127.96.0.0/12');
    assert.equal(errorOf(a.allocate('127.96.0.0')), 'the provided IP (127.96.0.0) is not in the valid range. The range of valid IPs is 127.96.0.0/12');
    assert.equal(errorOf(a.allocate('127.111.255.255')), 'the provided IP (127.111.255.255) is not in the valid range. The range of valid IPs is 127.96.0.0/12');
  });

  it('reads leading zeros as decimal, as upstream does', () => {
    const a = new IPAllocator(DEFAULT_SERVICE_CIDR);
    assert.deepEqual(a.allocate('127.096.000.010'), { ok: true, value: '127.96.0.10' });
    assert.equal(a.has('127.96.0.10'), true);
  });

  it('dynamic allocation in a /12 starts above the static band 127.96.0.1–127.96.1.0', () => {
    const a = new IPAllocator(DEFAULT_SERVICE_CIDR, { random: () => 0 });
    assert.equal(a.staticBand, 256);
    assert.deepEqual(a.allocateNext(), { ok: true, value: '127.96.1.1' });
    const b = new IPAllocator(DEFAULT_SERVICE_CIDR, { random: seededRandom(1) });
    const toNumber = (ip: string) => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
    for (let i = 0; i < 200; i++) {
      const r = b.allocateNext();
      assert.ok(r.ok && toNumber(r.value) >= toNumber('127.96.1.1'), JSON.stringify(r));
    }
  });

  it('a /24 fills its dynamic band (.17–.254) before its static band (.1–.16), then is full', () => {
    const a = new IPAllocator('10.0.0.0/24', { random: seededRandom(3) });
    const host = (ip: string) => Number(ip.split('.')[3]);
    const dynamic = Array.from({ length: 238 }, () => a.allocateNext()).map((r) => (r.ok ? host(r.value) : -1));
    assert.ok(dynamic.every((h) => h >= 17 && h <= 254), 'upper band first');
    assert.equal(new Set(dynamic).size, 238);
    const staticBand = Array.from({ length: 16 }, () => a.allocateNext()).map((r) => (r.ok ? host(r.value) : -1));
    assert.deepEqual([...staticBand].sort((x, y) => x - y), Array.from({ length: 16 }, (_, i) => i + 1));
    assert.equal(errorOf(a.allocateNext()), 'range is full');
  });

  it('a released IP can be requested again at once', () => {
    const a = new IPAllocator(DEFAULT_SERVICE_CIDR);
    a.allocate('127.96.0.10');
    a.release('127.96.0.10');
    assert.equal(a.has('127.96.0.10'), false);
    assert.deepEqual(a.allocate('127.96.0.10'), { ok: true, value: '127.96.0.10' });
    a.release('10.0.0.1');
    assert.equal(a.used(), 1, 'releasing a foreign IP changes nothing');
  });

  it('lists and snapshots what it holds', () => {
    const a = new IPAllocator('10.0.0.0/24');
    a.allocate('10.0.0.200');
    a.allocate('10.0.0.1');
    const ips: string[] = [];
    a.forEach((ip) => ips.push(ip));
    assert.deepEqual(ips, ['10.0.0.1', '10.0.0.200']);
    const b = new IPAllocator('10.0.0.0/24');
    b.restore(a.snapshot());
    assert.equal(b.has('10.0.0.200'), true);
    assert.throws(() => new IPAllocator('10.0.1.0/24').restore(a.snapshot()));
  });

  it('a /31 or /32 has no usable address', () => {
    assert.equal(new IPAllocator('10.0.0.0/31').free(), 0);
    assert.equal(errorOf(new IPAllocator('10.0.0.0/32').allocateNext()), 'range is full');
  });
});
