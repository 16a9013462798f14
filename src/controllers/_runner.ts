// The runtime shared by every controller: a rate-limited work queue of keys, workers that call
// `reconcile(key)`, and the one place failures are logged and retried (runWorkers backs off per
// key). Handlers only ever call `enqueue`.
import { WorkQueue, runWorkers, realClock, type Clock, type ReconcileResult } from '../client/index.js';
import type { Log } from './_informers.js';

export interface RunningController {
  readonly name: string;
  /** Stops taking keys and waits for in-flight reconciles to finish. */
  stop(): Promise<void>;
}

export interface QueueRunnerOptions {
  clock?: Clock;
  log?: Log;
  workers?: number;
  /** First retry delay after a failed reconcile; doubles per failure of the same key. */
  retryBaseMs?: number;
  retryMaxMs?: number;
}

export class QueueRunner implements RunningController {
  readonly queue: WorkQueue<string>;
  private running: Promise<void> | undefined;
  private readonly log: Log | undefined;

  constructor(
    readonly name: string,
    private readonly reconcile: (key: string) => Promise<ReconcileResult | void>,
    private readonly o: QueueRunnerOptions = {},
  ) {
    this.queue = new WorkQueue<string>({ clock: o.clock ?? realClock, baseMs: o.retryBaseMs ?? 5, maxMs: o.retryMaxMs ?? 5 * 60_000 });
    this.log = o.log;
  }

  enqueue(key: string): void {
    this.queue.add(key);
  }

  enqueueAfter(key: string, ms: number): void {
    this.queue.addAfter(key, ms);
  }

  /** Starts the workers (call once, after the caches have synced). */
  run(): void {
    if (this.running) return;
    this.running = runWorkers({
      queue: this.queue,
      workers: this.o.workers ?? 1,
      reconcile: (key) => this.reconcile(key),
      onError: (key, err, attempt) => {
        this.log?.({
          level: attempt >= 5 ? 'warn' : 'info',
          msg: 'reconcile failed, will retry',
          controller: this.name,
          key,
          attempt,
          error: err instanceof Error ? err.message : String(err),
        });
      },
    });
  }

  async stop(): Promise<void> {
    this.queue.shutDown();
    await this.running;
  }
}
