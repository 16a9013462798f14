import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../testing/index.js';
import { BoundedFrequencyRunner } from './runner.js';

const tick = () => new Promise((r) => setImmediate(r));

function setup(o: { minIntervalMs: number; maxIntervalMs?: number; burst?: number; fail?: () => boolean }) {
  const clock = new FakeClock(0);
  const starts: number[] = [];
  const errors: unknown[] = [];
  const runner = new BoundedFrequencyRunner(
    async () => {
      starts.push(clock.now());
      if (o.fail?.()) throw new Error('boom');
    },
    { name: 't', minIntervalMs: o.minIntervalMs, maxIntervalMs: o.maxIntervalMs ?? 0, burst: o.burst ?? 1, retryIntervalMs: 500, clock, onError: (e) => errors.push(e) },
  );
  const advance = async (ms: number) => {
    clock.advance(ms);
    await tick();
    await runner.idle();
    await tick();
  };
  return { clock, starts, errors, runner, advance };
}

describe('BoundedFrequencyRunner', () => {
  it('coalesces requests made before a run starts into one run', async () => {
    const t = setup({ minIntervalMs: 1000 });
    t.runner.run();
    t.runner.run();
    t.runner.run();
    await t.advance(0);
    assert.deepEqual(t.starts, [0]);
  });

  it('starts no more than burst runs within minInterval, and runs a deferred request at the earliest allowed time', async () => {
    const t = setup({ minIntervalMs: 1000, burst: 2 });
    t.runner.run();
    await t.advance(0);
    t.runner.run();
    await t.advance(0);
    t.runner.run();
    await t.advance(0);
    assert.deepEqual(t.starts, [0, 0], 'the third run waits for a token');
    await t.advance(999);
    assert.deepEqual(t.starts, [0, 0]);
    await t.advance(1);
    assert.deepEqual(t.starts, [0, 0, 1000]);
  });

  it('runs by itself every maxInterval', async () => {
    const t = setup({ minIntervalMs: 0, maxIntervalMs: 5000 });
    t.runner.loop();
    await t.advance(0);
    await t.advance(5000);
    await t.advance(5000);
    assert.deepEqual(t.starts, [0, 5000, 10000]);
    await t.runner.stop();
    await t.advance(20000);
    assert.equal(t.starts.length, 3, 'nothing runs after stop');
  });

  it('retries a failed run after the retry interval', async () => {
    let failures = 1;
    const t = setup({ minIntervalMs: 0, fail: () => failures-- > 0 });
    t.runner.run();
    await t.advance(0);
    assert.equal(t.errors.length, 1);
    await t.advance(499);
    assert.deepEqual(t.starts, [0]);
    await t.advance(1);
    assert.deepEqual(t.starts, [0, 500]);
  });

  it('never runs concurrently: a request during a run is served right after it', async () => {
    const clock = new FakeClock(0);
    let active = 0;
    let maxActive = 0;
    let release: (() => void) | undefined;
    let runs = 0;
    const runner = new BoundedFrequencyRunner(
      async () => {
        runs++;
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise<void>((r) => (release = r));
        active--;
      },
      { name: 't', minIntervalMs: 0, maxIntervalMs: 0, clock },
    );
    runner.run();
    clock.advance(0);
    await tick();
    runner.run();
    clock.advance(0);
    await tick();
    assert.equal(runs, 1);
    release?.();
    await tick();
    clock.advance(0);
    await tick();
    assert.equal(runs, 2);
    release?.();
    await runner.stop();
    assert.equal(maxActive, 1);
  });
});
