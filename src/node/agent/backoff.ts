// Per-key exponential back-off as client-go's flowcontrol.Backoff, the way the kubelet uses it for
// CrashLoopBackOff and ImagePullBackOff: 10 s doubling to 5 min, forgotten after twice the
// maximum without a new event (so a container that ran 10 minutes starts again at 10 s).

export interface BackoffOptions {
  /** First delay; default 10 s. */
  initialMs?: number;
  /** Largest delay; default 300 s. */
  maxMs?: number;
}

interface Entry {
  backoffMs: number;
  lastUpdate: number;
}

export class Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly now: () => number,
    o: BackoffOptions = {},
  ) {
    this.initialMs = o.initialMs ?? 10_000;
    this.maxMs = o.maxMs ?? 300_000;
  }

  private expired(eventTime: number, e: Entry): boolean {
    return eventTime - e.lastUpdate > 2 * this.maxMs;
  }

  /** The current delay of `key` (0 when it has none). */
  get(key: string): number {
    return this.entries.get(key)?.backoffMs ?? 0;
  }

  /**
   * Whether something that happened at `eventTime` (a container's finish) is still inside the
   * back-off window of `key`.
   */
  isInBackOffSince(key: string, eventTime: number): boolean {
    const e = this.entries.get(key);
    if (!e || this.expired(eventTime, e)) return false;
    return this.now() - eventTime < e.backoffMs;
  }

  /** Milliseconds until `isInBackOffSince(key, eventTime)` turns false (0 if it is). */
  remaining(key: string, eventTime: number): number {
    const e = this.entries.get(key);
    if (!e || this.expired(eventTime, e)) return 0;
    return Math.max(0, e.backoffMs - (this.now() - eventTime));
  }

  /** Records an attempt for an event at `eventTime`: the first (or after expiry) gets the initial delay, then it doubles. */
  next(key: string, eventTime: number): void {
    const e = this.entries.get(key);
    if (!e || this.expired(eventTime, e)) {
      this.entries.set(key, { backoffMs: this.initialMs, lastUpdate: eventTime });
      return;
    }
    e.backoffMs = Math.min(e.backoffMs * 2, this.maxMs);
    e.lastUpdate = eventTime;
  }

  reset(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets every key with the prefix (a pod's containers when the pod goes away). */
  resetPrefix(prefix: string): void {
    for (const k of [...this.entries.keys()]) if (k.startsWith(prefix)) this.entries.delete(k);
  }
}
