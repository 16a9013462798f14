// The dial deadlines of the TCP frontends (one timer for every upstream connect in flight).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../testing/index.js';
import { DialDeadlines } from './_tcp.js';

/** Stands for a connecting socket: records the codes it was destroyed with. */
const dial = () => {
  const errors: (string | undefined)[] = [];
  return { errors, destroy: (e?: NodeJS.ErrnoException) => errors.push(e?.code) };
};

describe('DialDeadlines', () => {
  it('fails a dial still pending after the timeout with ETIMEDOUT, and only that one', () => {
    const clock = new FakeClock(0);
    const dials = new DialDeadlines(2000, clock);
    const slow = dial();
    const fast = dial();
    dials.add(slow);
    clock.advance(500);
    dials.add(fast);
    clock.advance(1499);
    assert.deepEqual(slow.errors, [], 'not before its deadline');
    clock.advance(1);
    assert.deepEqual(slow.errors, ['ETIMEDOUT']);
    dials.delete(fast); // connected
    clock.advance(10_000);
    assert.deepEqual(fast.errors, []);
    assert.equal(dials.size, 0);
  });

  it('keeps one timer for all dials and re-arms it for the next deadline', () => {
    const clock = new FakeClock(0);
    const dials = new DialDeadlines(1000, clock);
    // Dial i starts at 10·i ms: 0 … 490.
    const all = Array.from({ length: 50 }, (_, i) => {
      if (i > 0) clock.advance(10);
      const d = dial();
      dials.add(d);
      return d;
    });
    assert.equal(clock.pending, 1, 'one timer for 50 dials');
    for (const d of all.slice(0, 10)) dials.delete(d); // connected
    clock.advance(1200 - 490); // t = 1200: dials started at ≤ 200 ms are late
    assert.deepEqual(
      all.map((d, i) => [i, d.errors.length]),
      all.map((_, i) => [i, i >= 10 && i <= 20 ? 1 : 0]),
    );
    clock.advance(1000);
    assert.ok(all.slice(10).every((d) => d.errors.length === 1));
    assert.equal(clock.pending, 0, 'no timer once nothing is pending');
  });
});
