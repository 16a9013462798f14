import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePortRange, PortAllocator } from './port.js';
import { seededRandom } from './range.js';

function errorOf(r: { ok: boolean; error?: Error }): string {
  assert.equal(r.ok, false);
  return r.error!.message;
}

describe('parsePortRange', () => {
  it('reads base-end, base+offset and single ports', () => {
    assert.deepEqual(parsePortRange('30000-32767'), { base: 30000, size: 2768 });
    assert.deepEqual(parsePortRange(' 30000+2767 '), { base: 30000, size: 2768 });
    assert.deepEqual(parsePortRange('30000'), { base: 30000, size: 1 });
  });

  it('rejects malformed ranges with apimachinery messages', () => {
    assert.throws(() => parsePortRange('32767-30000'), /^Error: end port cannot be less than start port: 32767-30000$/);
    assert.throws(() => parsePortRange('30000-70000'), /^Error: the port range cannot be greater than 65535: 30000-70000$/);
    assert.throws(() => parsePortRange('1-2+3'), /^Error: unable to parse port range: 1-2\+3$/);
    assert.throws(() => parsePortRange('a-b'), /invalid syntax/);
  });
});

describe('PortAllocator', () => {
  it('defaults to 30000-32767 with a static band of 86 ports', () => {
    const a = new PortAllocator();
    assert.equal(a.rangeSpec, '30000-32767');
    assert.equal(a.free(), 2768);
    assert.equal(a.staticBand, 86);
  });

  it('(18) a taken port answers "provided port is already allocated"; released, it is free again', () => {
    const a = new PortAllocator();
    assert.deepEqual(a.allocate(30080), { ok: true, value: 30080 });
    assert.equal(errorOf(a.allocate(30080)), 'provided port is already allocated');
    a.release(30080);
    assert.deepEqual(a.allocate(30080), { ok: true, value: 30080 });
  });

  it('(19) a port outside the range names the valid range', () => {
    const a = new PortAllocator();
    assert.equal(errorOf(a.allocate(40000)), 'provided port is not in the valid range. The range of valid ports is 30000-32767');
    assert.equal(errorOf(a.allocate(29999)), 'provided port is not in the valid range. The range of valid ports is 30000-32767');
    assert.equal(errorOf(new PortAllocator('31000-31999').allocate(30080)), 'provided port is not in the valid range. The range of valid ports is 31000-31999');
  });

  it('dynamic ports come from 30086-32767 until those are gone, then from 30000-30085, then the range is full', () => {
    const a = new PortAllocator('30000-32767', { random: seededRandom(11) });
    for (let i = 0; i < 2768 - 86; i++) {
      const r = a.allocateNext();
      assert.ok(r.ok && r.value >= 30086 && r.value <= 32767, JSON.stringify(r));
    }
    const low = Array.from({ length: 86 }, () => a.allocateNext()).map((r) => (r.ok ? r.value : -1));
    assert.deepEqual([...low].sort((x, y) => x - y), Array.from({ length: 86 }, (_, i) => 30000 + i));
    assert.equal(errorOf(a.allocateNext()), 'range is full');
  });

  it('explicit requests may use the static band', () => {
    const a = new PortAllocator();
    assert.deepEqual(a.allocate(30000), { ok: true, value: 30000 });
    assert.equal(a.has(30000), true);
  });

  it('snapshots round-trip and refuse another range', () => {
    const a = new PortAllocator();
    a.allocate(30001);
    a.allocate(32767);
    const b = new PortAllocator();
    b.restore(a.snapshot());
    const ports: number[] = [];
    b.forEach((p) => ports.push(p));
    assert.deepEqual(ports, [30001, 32767]);
    assert.throws(() => new PortAllocator('30000-32766').restore(a.snapshot()));
  });
});
