// A bounded-frequency runner (upstream runner/bounded_frequency_runner.go): runs one async
// function on request, never concurrently, with three guarantees:
//   1. Minimum interval: at most `burst` runs start within any `minIntervalMs` window (a token
//      bucket of `burst` tokens refilled one per minIntervalMs); requests in between coalesce
//      into one run at the earliest allowed time.
//   2. Maximum interval: a run starts at least every `maxIntervalMs` (0 = never by itself).
//   3. Retry: a run that throws, or a `retryAfter(ms)` call, schedules a run within that delay
//      (still subject to 1).
// Time is injected (STYLE.md 12); `idle()` lets tests wait for the current run.
import type { Clock } from '../client/index.js';

/**
 * Real time with timers that keep the process alive (a pending sync must happen before exit). A
 * zero delay runs on setImmediate, not setTimeout's 1 ms minimum: changes delivered in the same
 * event-loop turn still coalesce, and nothing waits for a timer tick.
 */
const refClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    if (ms <= 0) {
      const i = setImmediate(fn);
      return { cancel: () => clearImmediate(i) };
    }
    const t = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(t) };
  },
};

export interface BoundedFrequencyRunnerOptions {
  name: string;
  minIntervalMs: number;
  maxIntervalMs: number;
  /** Runs allowed back to back before minIntervalMs applies; default 2. */
  burst?: number;
  /** Delay before re-running after a failed run; default 1000 ms. */
  retryIntervalMs?: number;
  clock?: Clock;
  onError?: (err: unknown) => void;
}

export class BoundedFrequencyRunner {
  private readonly clock: Clock;
  private readonly burst: number;
  private tokens: number;
  private lastRefill: number;
  private timer: { at: number; cancel(): void } | undefined;
  private periodic: { cancel(): void } | undefined;
  private running: Promise<void> | undefined;
  private pending = false;
  private stopped = false;
  /** Completed runs, for tests and metrics. */
  runs = 0;

  constructor(
    private readonly fn: () => Promise<void>,
    private readonly o: BoundedFrequencyRunnerOptions,
  ) {
    this.clock = o.clock ?? refClock;
    this.burst = Math.max(1, o.burst ?? 2);
    this.tokens = this.burst;
    this.lastRefill = this.clock.now();
  }

  /** Requests a run as soon as the minimum interval allows. */
  run(): void {
    if (this.stopped) return;
    this.pending = true;
    this.schedule(0);
  }

  /** Requests a run no later than `ms` from now (subject to the minimum interval). */
  retryAfter(ms: number): void {
    if (this.stopped) return;
    this.pending = true;
    this.schedule(ms);
  }

  /** Starts the maximum-interval loop (and runs once now). */
  loop(): void {
    this.run();
  }

  /** Resolves once no run is in progress. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops scheduling and waits for a run in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    this.periodic?.cancel();
    await this.idle();
  }

  private refill(): void {
    const now = this.clock.now();
    if (this.o.minIntervalMs <= 0) this.tokens = this.burst;
    else this.tokens = Math.min(this.burst, this.tokens + (now - this.lastRefill) / this.o.minIntervalMs);
    this.lastRefill = now;
  }

  private schedule(delayMs: number): void {
    if (this.running) return; // the run in progress reschedules when it ends
    this.refill();
    const tokenWait = this.tokens >= 1 ? 0 : Math.ceil((1 - this.tokens) * this.o.minIntervalMs);
    const wait = Math.max(delayMs, tokenWait);
    const at = this.clock.now() + wait;
    if (this.timer && this.timer.at <= at) return;
    this.timer?.cancel();
    const t = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.tryRun();
    }, wait);
    this.timer = { at, cancel: t.cancel };
  }

  private tryRun(): void {
    if (this.stopped || this.running || !this.pending) return;
    this.refill();
    if (this.tokens < 1) return this.schedule(0);
    this.tokens -= 1;
    this.pending = false;
    let failed = false;
    this.running = (async () => {
      try {
        await this.fn();
      } catch (e) {
        failed = true;
        this.o.onError?.(e);
      }
    })().finally(() => {
      this.running = undefined;
      this.runs++;
      if (this.stopped) return;
      const requested = this.pending;
      if (failed) {
        this.pending = true;
        this.schedule(requested ? 0 : (this.o.retryIntervalMs ?? 1000));
      } else if (requested) this.schedule(0);
      if (this.o.maxIntervalMs > 0) {
        this.periodic?.cancel();
        this.periodic = this.clock.setTimeout(() => this.run(), this.o.maxIntervalMs);
      }
    });
  }
}
