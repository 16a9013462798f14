// A rate-limited work queue as client-go's: fair (FIFO), stingy (a key queued many times is
// processed once), and never two workers on one key (a key added while processing is re-queued
// when done). Per-item exponential backoff decides retries; time is injected (STYLE.md 12).

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): { cancel(): void };
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return { cancel: () => clearTimeout(t) };
  },
};

export interface BackoffOptions {
  baseMs?: number;
  maxMs?: number;
}

export class WorkQueue<K = string> {
  private readonly queue: K[] = [];
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  private readonly waiters: ((k: K | undefined) => void)[] = [];
  private readonly failures = new Map<K, number>();
  private readonly delayed = new Map<K, { at: number; cancel(): void }>();
  private shuttingDown = false;
  private readonly clock: Clock;
  private readonly baseMs: number;
  private readonly maxMs: number;

  constructor(opts: BackoffOptions & { clock?: Clock } = {}) {
    this.clock = opts.clock ?? realClock;
    this.baseMs = opts.baseMs ?? 5;
    this.maxMs = opts.maxMs ?? 1000 * 1000;
  }

  get length(): number {
    return this.queue.length;
  }

  add(key: K): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    const w = this.waiters.shift();
    if (w) {
      this.dirty.delete(key);
      this.processing.add(key);
      w(key);
    } else this.queue.push(key);
  }

  /** Adds the key after `ms`; an earlier pending delayed add wins. */
  addAfter(key: K, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) return this.add(key);
    const at = this.clock.now() + ms;
    const existing = this.delayed.get(key);
    if (existing && existing.at <= at) return;
    existing?.cancel();
    const t = this.clock.setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, { at, cancel: t.cancel });
  }

  /** Re-adds with per-key exponential backoff (base × 2^failures, capped). */
  addRateLimited(key: K): void {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    this.addAfter(key, Math.min(this.baseMs * 2 ** n, this.maxMs));
  }

  numRequeues(key: K): number {
    return this.failures.get(key) ?? 0;
  }

  /** Clears the key's backoff (after a success). */
  forget(key: K): void {
    this.failures.delete(key);
  }

  /** The next key, or undefined once shut down. */
  get(): Promise<K | undefined> {
    const k = this.queue.shift();
    if (k !== undefined) {
      this.dirty.delete(k);
      this.processing.add(k);
      return Promise.resolve(k);
    }
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  done(key: K): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) {
      this.dirty.delete(key);
      this.add(key);
    }
  }

  shutDown(): void {
    this.shuttingDown = true;
    for (const d of this.delayed.values()) d.cancel();
    this.delayed.clear();
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }
}

export interface ReconcileResult {
  requeueAfterMs?: number;
}

export interface RunOptions<K> {
  queue: WorkQueue<K>;
  workers?: number;
  reconcile(key: K): Promise<ReconcileResult | void>;
  onError?(key: K, err: unknown, attempt: number): void;
}

/**
 * Runs workers until the queue shuts down. The one place retries are decided (STYLE.md 10): an
 * error re-queues with backoff; success forgets the key's failures.
 */
export async function runWorkers<K>(o: RunOptions<K>): Promise<void> {
  const worker = async () => {
    for (;;) {
      const key = await o.queue.get();
      if (key === undefined) return;
      try {
        const r = await o.reconcile(key);
        o.queue.forget(key);
        if (r && r.requeueAfterMs !== undefined) o.queue.addAfter(key, r.requeueAfterMs);
      } catch (e) {
        o.onError?.(key, e, o.queue.numRequeues(key));
        o.queue.addRateLimited(key);
      } finally {
        o.queue.done(key);
      }
    }
  };
  await Promise.all(Array.from({ length: o.workers ?? 1 }, worker));
}
