// The forwarding workers of the userspace data plane, seen from the main process: forks them with
// `cluster` (SCHED_NONE: the main process binds each listening socket once and every worker
// accepts on it; the main process never accepts), sends them every state and waits for their
// acks, answers their picks for sticky service ports, pulls their counters, restarts a worker that
// dies (with back-off), and stops them. The protocol is in _protocol.ts, the worker in _worker.ts.
import cluster, { type ClusterSettings, type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import type { DataPlaneWorker, ServicePortState } from '../types.js';
import { isFromWorker, type FromWorker, type ListenerSpec, type ListenFailureReport, type PortCounters, type ToWorker, type WorkerConfig, type WorkerStats } from './_protocol.js';
import type { RemotePick, RemotePickResult } from './_tcp.js';

const WORKER_SCRIPT = fileURLToPath(new URL('./_worker.js', import.meta.url));

export interface WorkerPoolOptions {
  size: number;
  config: WorkerConfig;
  log: (line: Record<string, unknown>) => void;
  /** Answers a worker's pick for a sticky service port (the main process holds the affinity tables). */
  pick(p: RemotePick): RemotePickResult;
  /** A worker not ready this long after its fork is killed (and restarted); default 10 s. */
  readyTimeoutMs?: number;
  /** A ready worker that does not ack a state this long is killed (and restarted); default 15 s. */
  ackTimeoutMs?: number;
  /** Counters of a worker not answering within this are left out of a snapshot; default 2 s. */
  statsTimeoutMs?: number;
  /** Restart delay after a crash: initial, doubled per consecutive crash (a worker ready for 30 s resets the count), capped; default 100 ms … 10 s. */
  restartDelayMs?: { initial: number; max: number };
}

export type WorkerStatus = DataPlaneWorker;

interface Slot {
  index: number;
  worker: Worker | undefined;
  state: WorkerStatus['state'];
  restarts: number;
  /** Consecutive crashes, for the back-off; reset once a worker has been ready for a while. */
  crashes: number;
  readyAt: number;
  /** Ready timeout or restart delay. */
  timer: NodeJS.Timeout | undefined;
  /** Settled once the slot's first process became ready or ended (what the first sync waits for). */
  settled: boolean;
  acks: Map<number, (failed: ListenFailureReport[] | undefined) => void>;
  /** The full state sent when the current process became ready, applied (or not: undefined). */
  joined: Promise<ListenFailureReport[] | undefined> | undefined;
  statsWaiters: Map<number, (s: WorkerStats | undefined) => void>;
  last: WorkerStats | undefined;
}

/** The result of handing a state to the workers. */
export interface PoolSyncResult {
  /** Workers that applied the state. */
  applied: number;
  /** Listeners that failed in every worker that applied the state, by key. */
  failed: Map<string, ListenFailureReport>;
}

let primed = false;

/** Deep equality of JSON-like data (what a state message carries), without serialising it. */
function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

/**
 * Forks one worker. `cluster` is process-wide: the scheduling policy is set to SCHED_NONE only if
 * nothing set cluster up before, and `cluster.settings` is restored after the fork, so other
 * users of `cluster` in this process (none in kubeloop) keep their settings.
 */
function forkWorker(log: WorkerPoolOptions['log']): Worker {
  if (!cluster.isPrimary) throw new Error('Cannot start proxy workers: this process is itself a cluster worker');
  if (!primed) {
    primed = true;
    if (Object.keys(cluster.settings).length === 0) cluster.schedulingPolicy = cluster.SCHED_NONE;
    else if (cluster.schedulingPolicy !== cluster.SCHED_NONE) {
      log({ level: 'warn', msg: 'cluster was set up before the proxy with round-robin scheduling: the main process will accept every proxied connection' });
    }
  }
  const before = cluster.settings;
  // stdout is ignored: it may be a test runner's report stream. Workers log through the channel.
  cluster.setupPrimary({ exec: WORKER_SCRIPT, args: [], execArgv: [], silent: false, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  try {
    return cluster.fork();
  } finally {
    (cluster as { settings: ClusterSettings }).settings = before;
  }
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private seq = 0;
  private statsSeq = 0;
  /** What the workers hold: each TCP service port (change sets are computed against it), and the listeners. */
  private sent = new Map<string, ServicePortState>();
  private ports: ServicePortState[] = [];
  private listeners: ListenerSpec[] = [];
  private stopping = false;
  private readonly initial: Promise<void>;
  private settleInitial: () => void = () => {};
  /** Counters of processes that ended, from their last stats, so totals do not go backwards. */
  private readonly retiredPorts = new Map<string, PortCounters>();

  constructor(private readonly o: WorkerPoolOptions) {
    this.initial = new Promise((resolve) => (this.settleInitial = resolve));
    for (let i = 0; i < o.size; i++) {
      const slot: Slot = { index: i, worker: undefined, state: 'starting', restarts: 0, crashes: 0, readyAt: 0, timer: undefined, settled: false, acks: new Map(), joined: undefined, statsWaiters: new Map(), last: undefined };
      this.slots.push(slot);
      this.start(slot);
    }
  }

  /**
   * Hands the TCP service ports and their listeners to every ready worker and resolves when each
   * has applied them (listeners removed are closed in every process, so their connections are
   * refused). A worker still starting gets the latest state when it is ready; the first workers
   * are waited for (bounded by the ready timeout).
   *
   * The state is sent before this returns its promise, in the same turn as the caller updated its
   * own runtimes: no pick is answered in between from state a worker has not been sent.
   */
  async sync(ports: ServicePortState[], listeners: ListenerSpec[]): Promise<PoolSyncResult> {
    const next = new Map<string, ServicePortState>();
    const upsert: ServicePortState[] = [];
    for (const sp of ports) {
      next.set(sp.id, sp);
      const before = this.sent.get(sp.id);
      if (!before || !sameData(before, sp)) upsert.push(sp);
    }
    const remove = [...this.sent.keys()].filter((id) => !next.has(id));
    for (const id of remove) this.retiredPorts.delete(id);
    this.sent = next;
    this.ports = ports;
    this.listeners = listeners;
    const msg: ToWorker = { t: 'state', seq: ++this.seq, full: false, upsert, remove, listeners };
    const sentTo = this.slots.filter((s) => s.state === 'ready');
    const waits = sentTo.map((s) => this.apply(s, msg));
    await this.initial;
    // Workers that became ready meanwhile got the whole state (this one included) when they did.
    for (const s of this.slots) if (s.state === 'ready' && !sentTo.includes(s) && s.joined) waits.push(s.joined);
    const results = await Promise.all(waits);
    const answers = results.filter((r): r is ListenFailureReport[] => r !== undefined);
    const counts = new Map<string, { n: number; report: ListenFailureReport }>();
    for (const failed of answers) for (const f of failed) counts.set(f.key, { n: (counts.get(f.key)?.n ?? 0) + 1, report: f });
    const failed = new Map<string, ListenFailureReport>();
    for (const [key, { n, report }] of counts) {
      if (n === answers.length) failed.set(key, report);
      else this.o.log({ level: 'warn', msg: 'a proxy worker cannot listen; the others serve the address', key, code: report.code });
    }
    return { applied: answers.length, failed };
  }

  /** Whether some worker is ready to serve. */
  get serving(): boolean {
    return this.slots.some((s) => s.state === 'ready');
  }

  /** The counters of every ready worker (those answering in time). */
  async stats(): Promise<WorkerStats[]> {
    const timeoutMs = this.o.statsTimeoutMs ?? 2000;
    const answers = await Promise.all(
      this.slots.map((s) => {
        const w = s.worker;
        if (s.state !== 'ready' || !w) return undefined;
        return new Promise<WorkerStats | undefined>((resolve) => {
          const id = ++this.statsSeq;
          const timer = setTimeout(() => {
            s.statsWaiters.delete(id);
            resolve(undefined);
          }, timeoutMs);
          s.statsWaiters.set(id, (st) => {
            clearTimeout(timer);
            if (st) s.last = st;
            resolve(st);
          });
          this.send(w, { t: 'stats', id });
        });
      }),
    );
    return answers.filter((a): a is WorkerStats => a !== undefined);
  }

  /** Counters of worker processes that ended (as last pulled), per service port. */
  retired(): ReadonlyMap<string, PortCounters> {
    return this.retiredPorts;
  }

  status(): WorkerStatus[] {
    return this.slots.map((s) => ({ pid: s.worker?.process.pid, state: s.state, restarts: s.restarts, accepted: s.last?.accepted ?? 0 }));
  }

  /** Ends every worker (SIGKILL if one does not exit within 2 s) and resolves once all are gone. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.settleInitial();
    await Promise.all(
      this.slots.map((s) => {
        clearTimeout(s.timer);
        s.timer = undefined;
        const w = s.worker;
        if (!w) {
          s.state = 'stopped';
          return undefined;
        }
        return new Promise<void>((resolve) => {
          const kill = setTimeout(() => w.process.kill('SIGKILL'), 2000);
          w.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          // A worker not ready yet may not listen to its channel: it is killed.
          if (s.state === 'ready' && w.isConnected()) this.send(w, { t: 'stop' });
          else w.process.kill('SIGKILL');
        });
      }),
    );
  }

  private start(slot: Slot): void {
    slot.state = slot.restarts > 0 ? 'restarting' : 'starting';
    let w: Worker;
    try {
      w = forkWorker(this.o.log);
    } catch (e) {
      this.o.log({ level: 'error', msg: 'cannot start a proxy worker', error: e instanceof Error ? e.message : String(e) });
      return this.ended(slot, undefined);
    }
    slot.worker = w;
    slot.timer = setTimeout(() => {
      this.o.log({ level: 'error', msg: 'proxy worker not ready in time; killing it', pid: w.process.pid });
      w.process.kill('SIGKILL');
    }, this.o.readyTimeoutMs ?? 10_000);
    let ended = false;
    const onEnd = (code: number | null, signal: string | null) => {
      if (ended) return;
      ended = true;
      this.ended(slot, w, code, signal);
    };
    w.on('message', (m: unknown) => {
      if (isFromWorker(m)) this.onMessage(slot, w, m);
    });
    w.on('exit', onEnd);
    // A fork that failed to spawn reports only 'error'.
    w.on('error', (e: unknown) => {
      if (w.process.pid === undefined) onEnd(null, null);
      else this.o.log({ level: 'warn', msg: 'proxy worker channel error', pid: w.process.pid, error: e instanceof Error ? e.message : String(e) });
    });
  }

  private onMessage(slot: Slot, w: Worker, m: FromWorker): void {
    switch (m.t) {
      case 'ready': {
        clearTimeout(slot.timer);
        slot.timer = undefined;
        slot.state = 'ready';
        slot.readyAt = Date.now();
        slot.last = undefined;
        this.send(w, { t: 'init', config: this.o.config });
        // The latest state in full; later syncs send change sets relative to it.
        slot.joined = this.apply(slot, { t: 'state', seq: ++this.seq, full: true, upsert: this.ports, remove: [], listeners: this.listeners });
        this.settle(slot);
        return;
      }
      case 'synced': {
        const ack = slot.acks.get(m.seq);
        slot.acks.delete(m.seq);
        ack?.(m.failed);
        return;
      }
      case 'pick': {
        let r: RemotePickResult;
        try {
          r = this.o.pick({ servicePortId: m.servicePortId, kind: m.kind, node: m.node ?? undefined, clientIP: m.clientIP, exclude: m.exclude });
        } catch {
          r = { drop: false, endpoint: undefined };
        }
        this.send(w, { t: 'picked', id: m.id, drop: r.drop, endpoint: r.drop ? null : (r.endpoint ?? null) });
        return;
      }
      case 'stats': {
        const waiter = slot.statsWaiters.get(m.id);
        slot.statsWaiters.delete(m.id);
        waiter?.(m.stats);
        return;
      }
      case 'log':
        this.o.log({ ...m.line, worker: w.process.pid });
        return;
    }
  }

  /** Sends a state and resolves with the worker's listen failures, or undefined if it ended first. */
  private apply(slot: Slot, msg: Extract<ToWorker, { t: 'state' }>): Promise<ListenFailureReport[] | undefined> {
    const w = slot.worker;
    if (!w) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.o.log({ level: 'error', msg: 'proxy worker did not apply a state in time; killing it', pid: w.process.pid, ms: this.o.ackTimeoutMs ?? 15_000 });
        w.process.kill('SIGKILL');
      }, this.o.ackTimeoutMs ?? 15_000);
      slot.acks.set(msg.seq, (failed) => {
        clearTimeout(timer);
        resolve(failed);
      });
      this.send(w, msg);
    });
  }

  private send(w: Worker, m: ToWorker): void {
    if (!w.isConnected()) return;
    // A send racing the worker's exit fails; the exit handler settles whatever waited for it.
    w.send(m, () => {});
  }

  private settle(slot: Slot): void {
    slot.settled = true;
    if (this.slots.every((s) => s.settled)) this.settleInitial();
  }

  /** A worker process ended (or could not be forked): settle what waited for it, restart it. */
  private ended(slot: Slot, w: Worker | undefined, code?: number | null, signal?: string | null): void {
    if (slot.worker !== w) return;
    clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.worker = undefined;
    slot.joined = undefined;
    for (const ack of slot.acks.values()) ack(undefined);
    slot.acks.clear();
    for (const waiter of slot.statsWaiters.values()) waiter(undefined);
    slot.statsWaiters.clear();
    if (slot.last) this.retire(slot.last);
    slot.last = undefined;
    this.settle(slot);
    if (this.stopping) {
      slot.state = 'stopped';
      return;
    }
    const delays = this.o.restartDelayMs ?? { initial: 100, max: 10_000 };
    if (slot.state === 'ready' && Date.now() - slot.readyAt > 30_000) slot.crashes = 0;
    const delay = Math.min(delays.max, delays.initial * 2 ** slot.crashes);
    slot.crashes++;
    slot.restarts++;
    slot.state = 'restarting';
    this.o.log({ level: 'error', msg: 'proxy worker ended; restarting it', pid: w?.process.pid, code, signal, restartInMs: delay });
    slot.timer = setTimeout(() => {
      slot.timer = undefined;
      if (!this.stopping) this.start(slot);
    }, delay);
  }

  private retire(st: WorkerStats): void {
    for (const p of st.ports) {
      if (!this.sent.has(p.servicePortId)) continue;
      const r = this.retiredPorts.get(p.servicePortId) ?? { servicePortId: p.servicePortId, refused: 0, dropped: 0, endpoints: [] };
      r.refused += p.refused;
      r.dropped += p.dropped;
      for (const e of p.endpoints) {
        const cur = r.endpoints.find((x) => x.endpoint === e.endpoint);
        if (!cur) r.endpoints.push({ ...e, activeConnections: 0 });
        else {
          cur.totalConnections += e.totalConnections;
          cur.bytesIn += e.bytesIn;
          cur.bytesOut += e.bytesOut;
          cur.dialFailures += e.dialFailures;
        }
      }
      this.retiredPorts.set(p.servicePortId, r);
    }
  }
}
