import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff } from './backoff.js';
import { goDuration } from './_ids.js';

test('the first failure restarts at once, then the wait doubles from 10 s up to 5 min', () => {
  let now = 1_000_000;
  const b = new Backoff(() => now);
  const waits: number[] = [];
  for (let i = 0; i < 8; i++) {
    const finished = now;
    if (b.isInBackOffSince('c', finished)) {
      waits.push(b.remaining('c', finished));
      now += b.remaining('c', finished);
      assert.equal(b.isInBackOffSince('c', finished), false, 'the wait is over after remaining()');
    } else waits.push(0);
    b.next('c', finished);
    now += 1; // the container runs 1 ms and fails again
  }
  assert.deepEqual(waits, [0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
});

test('a container that ran longer than twice the maximum starts again from the initial delay', () => {
  let now = 0;
  const b = new Backoff(() => now, { initialMs: 100, maxMs: 1000 });
  b.next('c', now);
  b.next('c', now);
  b.next('c', now);
  assert.equal(b.get('c'), 400);
  now += 2001;
  assert.equal(b.isInBackOffSince('c', now), false);
  b.next('c', now);
  assert.equal(b.get('c'), 100);
});

test('resetPrefix forgets every container of a pod', () => {
  const b = new Backoff(() => 0);
  b.next('uid1/a', 0);
  b.next('uid1/init/b', 0);
  b.next('uid2/a', 0);
  b.resetPrefix('uid1/');
  assert.deepEqual([b.get('uid1/a'), b.get('uid1/init/b'), b.get('uid2/a')], [0, 0, 10_000]);
});

test('durations print as Go does', () => {
  assert.deepEqual([goDuration(10_000), goDuration(80_000), goDuration(300_000), goDuration(250), goDuration(3_661_000)], ['10s', '1m20s', '5m0s', '250ms', '1h1m1s']);
});
