import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../testing/index.js';
import { AffinityTable } from './affinity.js';

describe('AffinityTable', () => {
  it('binds a client to the endpoint recorded for it until timeout after its last new connection', () => {
    const clock = new FakeClock(0);
    const t = new AffinityTable(10_000, () => clock.now());
    t.record('127.244.0.7', 'e1');
    clock.advance(9_999);
    assert.equal(t.lookup('127.244.0.7'), 'e1');
    t.record('127.244.0.7', 'e1');
    clock.advance(9_999);
    assert.equal(t.lookup('127.244.0.7'), 'e1', 'the second connection restarted the timer');
    clock.advance(1);
    assert.equal(t.lookup('127.244.0.7'), undefined);
    assert.equal(t.size, 0, 'an expired entry is dropped on lookup');
  });

  it('reports each live entry with its remaining time', () => {
    const clock = new FakeClock(0);
    const t = new AffinityTable(5_000, () => clock.now());
    t.record('127.0.0.2', 'e2');
    clock.advance(1_000);
    t.record('127.0.0.1', 'e1');
    clock.advance(500);
    assert.deepEqual(t.list(), [
      { clientIP: '127.0.0.1', endpoint: 'e1', remainingMs: 4_500 },
      { clientIP: '127.0.0.2', endpoint: 'e2', remainingMs: 3_500 },
    ]);
    clock.advance(3_500);
    assert.deepEqual(t.list().map((e) => e.clientIP), ['127.0.0.1']);
  });

  it('forgets the clients of endpoints that left, and keeps the rest', () => {
    const clock = new FakeClock(0);
    const t = new AffinityTable(5_000, () => clock.now());
    t.record('c1', 'e1');
    t.record('c2', 'e2');
    t.retainEndpoints(new Set(['e2']));
    assert.equal(t.lookup('c1'), undefined);
    assert.equal(t.lookup('c2'), 'e2');
  });

  it('keys on the client address only: a later connection from the same address moves the binding', () => {
    const clock = new FakeClock(0);
    const t = new AffinityTable(5_000, () => clock.now());
    t.record('c1', 'e1');
    t.record('c1', 'e2');
    assert.equal(t.lookup('c1'), 'e2');
    assert.equal(t.size, 1);
  });
});
