import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ipRangeOffset, portRangeOffset, RangeAllocator, seededRandom } from './range.js';

const first = () => 0;
const last = () => 0.999999;

describe('RangeAllocator', () => {
  it('allocates an offset once, reports it, and frees it again', () => {
    const r = new RangeAllocator(10);
    assert.equal(r.allocate(3), true);
    assert.equal(r.allocate(3), false);
    assert.equal(r.has(3), true);
    assert.equal(r.used(), 1);
    assert.equal(r.free(), 9);
    r.release(3);
    assert.equal(r.has(3), false);
    assert.equal(r.free(), 10);
    r.release(3);
    r.release(99);
    assert.equal(r.free(), 10, 'releasing a free or foreign offset changes nothing');
  });

  it('rejects offsets outside the range as a caller bug', () => {
    const r = new RangeAllocator(10);
    assert.throws(() => r.allocate(10), RangeError);
    assert.throws(() => r.allocate(-1), RangeError);
    assert.equal(r.has(10), false);
  });

  it('dynamic allocation lands in the upper band until it is full, then uses the lower band, then reports full', () => {
    const r = new RangeAllocator(40, { offset: 16, random: seededRandom(7) });
    const taken: number[] = [];
    for (let i = 0; i < 24; i++) taken.push(r.allocateNext()!);
    assert.ok(taken.every((o) => o >= 16), `upper band first: ${taken}`);
    assert.deepEqual([...taken].sort((a, b) => a - b), Array.from({ length: 24 }, (_, i) => 16 + i));
    const lower: number[] = [];
    for (let i = 0; i < 16; i++) lower.push(r.allocateNext()!);
    assert.deepEqual([...lower].sort((a, b) => a - b), Array.from({ length: 16 }, (_, i) => i));
    assert.equal(r.allocateNext(), undefined);
    assert.equal(r.free(), 0);
  });

  it('explicit requests may take any offset, static band included', () => {
    const r = new RangeAllocator(40, { offset: 16, random: first });
    assert.equal(r.allocate(0), true);
    assert.equal(r.allocate(15), true);
    assert.equal(r.allocateNext(), 16);
  });

  it('starts at a random point of the band and scans forward, wrapping inside the band', () => {
    const r = new RangeAllocator(40, { offset: 16, random: last });
    assert.equal(r.allocateNext(), 39, 'the random start is the last offset');
    assert.equal(r.allocateNext(), 16, 'then wraps to the band start, not into the static band');
    const lowStart = new RangeAllocator(40, { offset: 16, random: first });
    assert.equal(lowStart.allocateNext(), 16);
    assert.equal(lowStart.allocateNext(), 17);
  });

  it('without a band scans the whole range', () => {
    const r = new RangeAllocator(4, { random: last });
    assert.deepEqual([r.allocateNext(), r.allocateNext(), r.allocateNext(), r.allocateNext(), r.allocateNext()], [3, 0, 1, 2, undefined]);
  });

  it('ignores a band that would leave no dynamic band', () => {
    assert.equal(new RangeAllocator(10, { offset: 10 }).offset, 0);
    assert.equal(new RangeAllocator(10, { offset: 9 }).offset, 9);
  });

  it('reuses a released offset', () => {
    const r = new RangeAllocator(2, { random: first });
    r.allocateNext();
    r.allocateNext();
    assert.equal(r.allocateNext(), undefined);
    r.release(1);
    assert.equal(r.allocateNext(), 1);
  });

  it('lists taken offsets in ascending order', () => {
    const r = new RangeAllocator(20);
    for (const o of [17, 3, 8, 0]) r.allocate(o);
    const seen: number[] = [];
    r.forEach((o) => seen.push(o));
    assert.deepEqual(seen, [0, 3, 8, 17]);
  });

  it('snapshot and restore round-trip, and refuse a different range', () => {
    const a = new RangeAllocator(20, { rangeSpec: '30000-30019' });
    for (const o of [1, 9, 19]) a.allocate(o);
    const snap = a.snapshot();
    const b = new RangeAllocator(20, { rangeSpec: '30000-30019' });
    b.restore(snap);
    assert.equal(b.used(), 3);
    assert.deepEqual([1, 9, 19].map((o) => b.has(o)), [true, true, true]);
    a.release(9);
    assert.equal(b.has(9), true, 'a snapshot is a copy');
    const c = new RangeAllocator(20, { rangeSpec: '30000-30020' });
    assert.throws(() => c.restore(snap), /the provided range does not match the current range/);
  });

  it('reset frees everything', () => {
    const r = new RangeAllocator(8);
    r.allocate(1);
    r.reset();
    assert.equal(r.used(), 0);
  });
});

describe('band offsets', () => {
  it('IP ranges: min(max(16, size/16), 256), 0 for 16 addresses or fewer', () => {
    assert.equal(ipRangeOffset(2 ** 20), 256, '/12');
    assert.equal(ipRangeOffset(2 ** 16), 256, '/16');
    assert.equal(ipRangeOffset(2048), 128, '/21');
    assert.equal(ipRangeOffset(256), 16, '/24');
    assert.equal(ipRangeOffset(32), 16, '/27');
    assert.equal(ipRangeOffset(16), 0, '/28');
  });

  it('port ranges: min(max(16, size/32), 128), 0 for 16 ports or fewer', () => {
    assert.equal(portRangeOffset(2768), 86, 'the default 30000-32767');
    assert.equal(portRangeOffset(100), 16);
    assert.equal(portRangeOffset(10000), 128);
    assert.equal(portRangeOffset(16), 0);
  });
});

describe('seededRandom', () => {
  it('is repeatable and stays in [0, 1)', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    for (let i = 0; i < 1000; i++) {
      const x = a();
      assert.equal(x, b());
      assert.ok(x >= 0 && x < 1);
    }
  });
});
