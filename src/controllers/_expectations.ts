// Expectations (pkg/controller/controller_utils.go): what a controller has asked the API for and
// not yet seen in its cache. While a key's expectations are unmet, its reconcile must not act on
// counts read from the cache, or a slow cache makes it create (or delete) the same pods twice.
// Expectations expire after a timeout so a lost watch event cannot wedge a controller forever.
import { realClock, type Clock } from '../client/index.js';

export const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;

interface Expectation {
  add: number;
  del: number;
  /** Keys of objects whose deletion is expected (UIDTrackingControllerExpectations). */
  deleteKeys: Set<string>;
  at: number;
}

export class ControllerExpectations {
  private readonly m = new Map<string, Expectation>();
  private readonly clock: Clock;
  private readonly timeoutMs: number;

  constructor(o: { clock?: Clock; timeoutMs?: number } = {}) {
    this.clock = o.clock ?? realClock;
    this.timeoutMs = o.timeoutMs ?? EXPECTATIONS_TIMEOUT_MS;
  }

  /** True when the controller may trust its cache for `key`: nothing pending, expired, or never set. */
  satisfied(key: string): boolean {
    const e = this.m.get(key);
    if (!e) return true;
    if (e.add <= 0 && e.del <= 0) return true;
    return this.clock.now() - e.at > this.timeoutMs;
  }

  expectCreations(key: string, n: number): void {
    this.m.set(key, { add: n, del: 0, deleteKeys: new Set(), at: this.clock.now() });
  }

  expectDeletions(key: string, objectKeys: readonly string[]): void {
    this.m.set(key, { add: 0, del: objectKeys.length, deleteKeys: new Set(objectKeys), at: this.clock.now() });
  }

  creationObserved(key: string): void {
    const e = this.m.get(key);
    if (e) e.add--;
  }

  /** Counts a deletion once per object key, whether seen as a deletionTimestamp or as a delete. */
  deletionObserved(key: string, objectKey: string): void {
    const e = this.m.get(key);
    if (!e || !e.deleteKeys.delete(objectKey)) return;
    e.del--;
  }

  /** Pending counts, for tests and logs. */
  pending(key: string): { add: number; del: number } | undefined {
    const e = this.m.get(key);
    return e ? { add: e.add, del: e.del } : undefined;
  }

  delete(key: string): void {
    this.m.delete(key);
  }
}
