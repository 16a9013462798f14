import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../testing/index.js';
import { WorkQueue, runWorkers } from './workqueue.js';

describe('WorkQueue', () => {
  it('hands keys out first in, first out', async () => {
    const q = new WorkQueue<string>();
    q.add('a');
    q.add('b');
    q.add('c');
    assert.equal(await q.get(), 'a');
    assert.equal(await q.get(), 'b');
    assert.equal(await q.get(), 'c');
  });

  it('processes a key added many times while queued only once', async () => {
    const q = new WorkQueue<string>();
    q.add('a');
    q.add('a');
    q.add('a');
    assert.equal(q.length, 1);
  });

  it('never hands one key to two workers: a key added while processing is re-queued on done', async () => {
    const q = new WorkQueue<string>();
    q.add('a');
    const k = await q.get();
    q.add('a');
    assert.equal(q.length, 0, 'must not be queued while in progress');
    q.done(k!);
    assert.equal(q.length, 1);
    assert.equal(await q.get(), 'a');
  });

  it('backs off exponentially per key and forgets after success', () => {
    const clock = new FakeClock();
    const q = new WorkQueue<string>({ clock, baseMs: 10 });
    q.addRateLimited('a');
    clock.advance(9);
    assert.equal(q.length, 0);
    clock.advance(1);
    assert.equal(q.length, 1);
    void q.get();
    q.done('a');
    q.addRateLimited('a');
    clock.advance(19);
    assert.equal(q.length, 0);
    clock.advance(1);
    assert.equal(q.length, 1);
    assert.equal(q.numRequeues('a'), 2);
    q.forget('a');
    assert.equal(q.numRequeues('a'), 0);
  });

  it('keeps the earlier of two delayed adds', () => {
    const clock = new FakeClock();
    const q = new WorkQueue<string>({ clock });
    q.addAfter('a', 100);
    q.addAfter('a', 50);
    q.addAfter('a', 500);
    clock.advance(50);
    assert.equal(q.length, 1);
  });

  it('releases waiting workers with undefined on shutdown', async () => {
    const q = new WorkQueue<string>();
    const p = q.get();
    q.shutDown();
    assert.equal(await p, undefined);
  });
});

describe('runWorkers', () => {
  it('retries a failing reconcile with backoff until it succeeds, then stops on shutdown', async () => {
    const q = new WorkQueue<string>({ baseMs: 1 });
    let calls = 0;
    const errors: number[] = [];
    const run = runWorkers({
      queue: q,
      workers: 2,
      reconcile: async () => {
        calls++;
        if (calls < 3) throw new Error('not yet');
      },
      onError: (_k, _e, attempt) => errors.push(attempt),
    });
    q.add('x');
    const deadline = Date.now() + 2000;
    while (calls < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    q.shutDown();
    await run;
    assert.equal(calls, 3);
    assert.deepEqual(errors, [0, 1]);
    assert.equal(q.numRequeues('x'), 0);
  });
});
