// ClientIP session affinity for one service port (reference §4.3): client IP → endpoint, with a
// sliding timeout. Every new connection routed to an endpoint (by affinity or by a random pick)
// records it and restarts the timer; an entry expires `timeoutMs` after the client's last new
// connection; entries of endpoints that left the service are cleared. Established connections
// never touch the table. Time comes from the injected `now`.
import type { AffinityEntry } from '../types.js';

interface Entry {
  endpoint: string;
  expiresAt: number;
}

export class AffinityTable {
  private readonly entries = new Map<string, Entry>();

  constructor(
    public timeoutMs: number,
    private readonly now: () => number,
  ) {}

  /** The endpoint `clientIP` is bound to, if its entry has not expired. */
  lookup(clientIP: string): string | undefined {
    const e = this.entries.get(clientIP);
    if (!e) return undefined;
    if (e.expiresAt <= this.now()) {
      this.entries.delete(clientIP);
      return undefined;
    }
    return e.endpoint;
  }

  /** Binds `clientIP` to `endpoint` for timeoutMs from now. */
  record(clientIP: string, endpoint: string): void {
    this.entries.set(clientIP, { endpoint, expiresAt: this.now() + this.timeoutMs });
  }

  /** Forgets every client bound to an endpoint not in `keep`. */
  retainEndpoints(keep: ReadonlySet<string>): void {
    for (const [ip, e] of this.entries) if (!keep.has(e.endpoint)) this.entries.delete(ip);
  }

  /** Drops expired entries. */
  sweep(): void {
    const now = this.now();
    for (const [ip, e] of this.entries) if (e.expiresAt <= now) this.entries.delete(ip);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Live entries with their remaining time, sorted by client. */
  list(): AffinityEntry[] {
    const now = this.now();
    const out: AffinityEntry[] = [];
    for (const [clientIP, e] of this.entries) if (e.expiresAt > now) out.push({ clientIP, endpoint: e.endpoint, remainingMs: e.expiresAt - now });
    return out.sort((a, b) => (a.clientIP < b.clientIP ? -1 : a.clientIP > b.clientIP ? 1 : 0));
  }
}
