// The kubelet's status manager: pod workers hand it the status they computed; it writes the
// newest one per pod, only when it differs from what the API has, one write per pod at a time
// (later statuses replace earlier ones not yet written), and finally deletes pods whose
// termination is complete. Retries and their back-off are the queue runner's.
import { isConflict, isNotFound, type Pod, type PodStatus, type Stored } from '../../api/index.js';
import { WorkQueue, runWorkers, type Client, type Clock } from '../../client/index.js';
import { mergePodStatus, sameStatus } from './status.js';

const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

interface Desired {
  namespace: string;
  name: string;
  draft: PodStatus;
  /** Delete the pod (grace 0, UID precondition) once this terminal status is stored. */
  deleteWhenStored: boolean;
}

export interface StatusManagerOptions {
  client: Client;
  /** The informer's copy of a pod, by UID. */
  cached: (uid: string) => Stored<Pod> | undefined;
  clock: Clock;
  log: (line: Record<string, unknown>) => void;
  workers?: number;
}

export class StatusManager {
  private readonly desired = new Map<string, Desired>();
  /** What our last write returned: newer than the cache until the watch catches up. */
  private readonly written = new Map<string, Stored<Pod>>();
  private readonly queue: WorkQueue<string>;
  private running: Promise<void> | undefined;
  private writes = 0;

  constructor(private readonly o: StatusManagerOptions) {
    this.queue = new WorkQueue<string>({ clock: o.clock, baseMs: 20, maxMs: 10_000 });
  }

  /** Status writes done so far (for tests and the bench). */
  get writeCount(): number {
    return this.writes;
  }

  start(): void {
    this.running ??= runWorkers({
      queue: this.queue,
      workers: this.o.workers ?? 4,
      reconcile: (uid) => this.sync(uid),
      onError: (uid, err, attempt) =>
        this.o.log({ level: attempt >= 5 ? 'warn' : 'debug', msg: 'pod status write failed, will retry', uid, attempt, error: err instanceof Error ? err.message : String(err) }),
    });
  }

  async stop(): Promise<void> {
    this.queue.shutDown();
    await this.running;
  }

  /** The newest status for a pod; written soon unless it equals the stored one. */
  set(pod: Pick<Pod, 'metadata'>, draft: PodStatus, o: { deleteWhenStored?: boolean } = {}): void {
    const uid = pod.metadata.uid ?? '';
    this.desired.set(uid, { namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name ?? '', draft, deleteWhenStored: o.deleteWhenStored === true });
    this.queue.add(uid);
  }

  /** The status most recently handed in for a pod (what the node believes now). */
  current(uid: string): PodStatus | undefined {
    return this.desired.get(uid)?.draft;
  }

  forget(uid: string): void {
    this.desired.delete(uid);
    this.written.delete(uid);
  }

  private freshest(uid: string): Stored<Pod> | undefined {
    const cached = this.o.cached(uid);
    const mine = this.written.get(uid);
    if (!cached) return undefined;
    if (!mine) return cached;
    return Number(mine.metadata.resourceVersion) > Number(cached.metadata.resourceVersion) ? mine : cached;
  }

  private async sync(uid: string): Promise<void> {
    const d = this.desired.get(uid);
    if (!d) return;
    let base = this.freshest(uid);
    if (!base || base.metadata.uid !== uid) return;
    const pods = this.o.client.pods(d.namespace);
    const merged = mergePodStatus(base.status, d.draft, rfc3339(this.o.clock.now()));
    if (!sameStatus(base.status, merged)) {
      try {
        base = await pods.updateStatus({ ...base, status: merged });
        this.writes++;
        this.written.set(uid, base);
      } catch (e) {
        if (isNotFound(e)) return;
        if (isConflict(e)) {
          // Our copy is stale: read it again before the runner retries.
          const fresh = await pods.get(d.name).catch(() => undefined);
          if (fresh && fresh.metadata.uid === uid) this.written.set(uid, fresh);
        }
        throw e;
      }
    }
    const phase = base.status?.phase;
    if (d.deleteWhenStored && (phase === 'Succeeded' || phase === 'Failed') && this.desired.get(uid) === d) {
      try {
        await pods.delete(d.name, { gracePeriodSeconds: 0, preconditions: { uid } });
      } catch (e) {
        if (!isNotFound(e) && !isConflict(e)) throw e;
      }
      this.desired.delete(uid);
    }
  }
}
