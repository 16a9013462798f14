// Leader election on a coordination.k8s.io Lease, as client-go's leaderelection: one holder at a
// time; the holder renews before the lease expires; others take over only after it expired.
// Used when several control planes share one store; a single process simply wins at once.
import { isAlreadyExists, isConflict, isNotFound, type Lease, type Stored } from '../api/index.js';
import type { Client } from './client.js';
import { realClock, type Clock } from './workqueue.js';

export interface LeaderElectionOptions {
  client: Client;
  namespace: string;
  name: string;
  identity: string;
  leaseDurationSeconds?: number;
  /** How often the holder renews and candidates retry. */
  retryPeriodMs?: number;
  clock?: Clock;
  onStartedLeading(): void;
  onStoppedLeading(): void;
  log?: (line: Record<string, unknown>) => void;
}

const micro = (ms: number) => new Date(ms).toISOString().replace('Z', '000Z');

export class LeaderElector {
  private stopped = false;
  private leading = false;
  private timer: { cancel(): void } | undefined;
  private readonly clock: Clock;

  constructor(private readonly o: LeaderElectionOptions) {
    this.clock = o.clock ?? realClock;
  }

  get isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    void this.tick();
  }

  /** Stops; a leader releases the lease (holderIdentity cleared) so another can take over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    if (this.leading) {
      this.leading = false;
      this.o.onStoppedLeading();
      try {
        const l = await this.o.client.leases(this.o.namespace).get(this.o.name);
        if (l.spec.holderIdentity === this.o.identity) {
          await this.o.client.leases(this.o.namespace).update({ ...l, spec: { ...l.spec, holderIdentity: '', leaseDurationSeconds: 1 } });
        }
      } catch {
        // Best effort: the lease expires on its own.
      }
    }
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    let won = false;
    try {
      won = await this.tryAcquireOrRenew();
    } catch (e) {
      this.o.log?.({ level: 'warn', msg: 'leader election attempt failed', lease: this.o.name, error: String(e) });
    }
    if (this.stopped) return;
    if (won && !this.leading) {
      this.leading = true;
      this.o.onStartedLeading();
    } else if (!won && this.leading) {
      this.leading = false;
      this.o.onStoppedLeading();
    }
    this.timer = this.clock.setTimeout(() => void this.tick(), this.o.retryPeriodMs ?? 2000);
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const leases = this.o.client.leases(this.o.namespace);
    const now = this.clock.now();
    const duration = this.o.leaseDurationSeconds ?? 15;
    let cur: Stored<Lease> | undefined;
    try {
      cur = await leases.get(this.o.name);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    if (!cur) {
      try {
        await leases.create({
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name: this.o.name, namespace: this.o.namespace },
          spec: { holderIdentity: this.o.identity, leaseDurationSeconds: duration, acquireTime: micro(now), renewTime: micro(now), leaseTransitions: 0 },
        });
        return true;
      } catch (e) {
        if (isAlreadyExists(e)) return false;
        throw e;
      }
    }
    const holder = cur.spec.holderIdentity ?? '';
    const renewed = cur.spec.renewTime ? Date.parse(cur.spec.renewTime) : 0;
    const expired = renewed + (cur.spec.leaseDurationSeconds ?? duration) * 1000 < now;
    if (holder !== '' && holder !== this.o.identity && !expired) return false;
    const taking = holder !== this.o.identity;
    try {
      await leases.update({
        ...cur,
        spec: {
          holderIdentity: this.o.identity,
          leaseDurationSeconds: duration,
          acquireTime: taking ? micro(now) : (cur.spec.acquireTime ?? micro(now)),
          renewTime: micro(now),
          leaseTransitions: (cur.spec.leaseTransitions ?? 0) + (taking && holder !== '' ? 1 : 0),
        },
      });
      return true;
    } catch (e) {
      if (isConflict(e)) return false;
      throw e;
    }
  }
}
