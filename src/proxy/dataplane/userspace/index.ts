// The userspace data plane: Service traffic forwarded by this Node.js process, or by forwarding
// workers it forks (`workers`). See README.md for the theory and what others may rely on.
import type { Socket } from 'node:net';
import type { DataPlane, DataPlaneFactory, DataPlaneOptions, DataPlaneSnapshot, DesiredState, EndpointStats, FrontendStatus, ServicePortStats, SyncReport, UnservedPort } from '../types.js';
import { frontendsOf } from '../types.js';
import { ListenerSet, describeListenError, listenerKey, planListeners, type ListenerTarget } from './_listeners.js';
import { WorkerPool } from './_pool.js';
import type { ListenerSpec, PortCounters } from './_protocol.js';
import { ServicePortRuntime, type TcpConn } from './_serviceport.js';
import { DialDeadlines, TcpFrontend, type RemotePick, type RemotePickResult, type TcpContext } from './_tcp.js';
import { UdpFrontend } from './_udp.js';

export { AffinityTable } from './affinity.js';
export type { WorkerStatus } from './_pool.js';

/** Forwarding processes when `workers` is not given: the best measured on 2 vCPUs (bench/dataplane). */
export const DEFAULT_WORKERS = 2;

export interface UserspaceOptions {
  /** Time allowed for an upstream connect before trying another endpoint; default 2000 ms. */
  dialTimeoutMs?: number;
  /** Endpoints tried for one connection before the client is reset; default 3. */
  maxDialAttempts?: number;
  /** How long a dropped (Local policy, no local endpoint) TCP connection is held unanswered; default 120 s. */
  dropHoldMs?: number;
  /** A UDP flow with no datagram either way for this long is forgotten; default 30 s. */
  udpIdleTimeoutMs?: number;
  /** Bind the client's address as the source of upstream connections (backends see the real client); default true. */
  bindClientSource?: boolean;
  /** How TCP bytes are copied: 'copy' (data/write with backpressure, default) or 'pipe' (stream.pipe); a benchmark knob. */
  forwarding?: 'copy' | 'pipe';
  /**
   * Processes forwarding TCP: 1 forwards in this process; N > 1 forks N workers sharing each
   * listening socket (UDP and the affinity tables stay in this process). Default DEFAULT_WORKERS.
   */
  workers?: number;
}

class UserspaceDataPlane implements DataPlane {
  readonly name = 'userspace';
  private readonly ports = new Map<string, ServicePortRuntime>();
  /** Listeners of this process: all of them, or only UDP ones when workers forward TCP. */
  private readonly local: ListenerSet;
  private readonly pool: WorkerPool | undefined;
  /** TCP listeners the workers serve (failed in none of them or not in all), by key. */
  private remote = new Map<string, ServicePortRuntime>();
  private unserved = new Map<string, UnservedPort>();
  private readonly held = new Set<Socket>();
  private readonly conns = new Set<TcpConn>();
  sourceFallbacks = 0;
  private stopped = false;

  constructor(
    private readonly o: DataPlaneOptions,
    u: UserspaceOptions,
  ) {
    const workers = u.workers ?? DEFAULT_WORKERS;
    if (!Number.isInteger(workers) || workers < 1) throw new Error(`Cannot start the userspace data plane: workers must be a positive integer, got ${workers}`);
    const tcp = {
      forwarding: u.forwarding ?? 'copy',
      dialTimeoutMs: u.dialTimeoutMs ?? 2000,
      maxDialAttempts: u.maxDialAttempts ?? 3,
      dropHoldMs: u.dropHoldMs ?? 120_000,
      bindClientSource: u.bindClientSource ?? true,
    } as const;
    const ctx: TcpContext = {
      forwarding: tcp.forwarding,
      dials: new DialDeadlines(tcp.dialTimeoutMs),
      maxDialAttempts: tcp.maxDialAttempts,
      dropHoldMs: tcp.dropHoldMs,
      bindClientSource: tcp.bindClientSource,
      held: this.held,
      conns: this.conns,
      onSourceFallback: () => this.sourceFallbacks++,
      onAccept: () => {},
    };
    this.local = new ListenerSet((t: ListenerTarget) =>
      t.frontend.protocol === 'UDP'
        ? new UdpFrontend(t.frontend, t.rt, {
            clock: o.clock,
            idleTimeoutMs: u.udpIdleTimeoutMs ?? 30_000,
            bindClientSource: tcp.bindClientSource,
            onSourceFallback: () => this.sourceFallbacks++,
          })
        : new TcpFrontend(t.frontend, t.rt, ctx),
    );
    if (workers > 1) {
      this.pool = new WorkerPool({ size: workers, config: { nodes: [...o.nodes.nodes], ...tcp }, log: o.log, pick: (p) => this.pickFor(p) });
    }
  }

  async sync(state: DesiredState): Promise<SyncReport> {
    if (this.stopped) return { unserved: [] };
    const now = () => this.o.clock.now();
    // 1. Service port runtimes, updated in place so live listeners see the change at once.
    const wanted = new Set<string>();
    for (const sp of state.servicePorts) {
      wanted.add(sp.id);
      const rt = this.ports.get(sp.id);
      if (rt) rt.update(sp);
      else this.ports.set(sp.id, new ServicePortRuntime(sp, this.o.nodes, now, this.o.random));
    }
    for (const id of [...this.ports.keys()]) if (!wanted.has(id)) this.ports.delete(id);

    // 2. Which listener serves which service port (none for a port without usable endpoints).
    const { desired, unserved } = planListeners(this.ports.values(), this.o.nodes);

    // 3. TCP listeners go to the workers, if any; the rest are opened and closed here.
    const local = new Map<string, ListenerTarget>();
    const remote = new Map<string, ListenerTarget>();
    for (const [key, d] of desired) (this.pool && d.frontend.protocol === 'TCP' ? remote : local).set(key, d);
    const specs: ListenerSpec[] = [...remote].map(([key, d]) => ({ key, frontend: d.frontend, servicePortId: d.rt.state.id }));
    const [localFailures, pooled] = await Promise.all([
      this.local.apply(local),
      this.pool?.sync(
        state.servicePorts.filter((sp) => sp.protocol === 'TCP'),
        specs,
      ),
    ]);
    if (this.stopped) this.local.closeAll();

    const warn = (key: string, code: string | undefined, t: ListenerTarget) =>
      this.o.log({ level: 'warn', msg: 'cannot serve service port', servicePort: t.rt.state.id, address: `${t.frontend.address}:${t.frontend.port}/${t.frontend.protocol}`, code, key });
    for (const f of localFailures) {
      unserved.set(f.key, { servicePortId: f.target.rt.state.id, service: f.target.rt.state.service, frontend: f.target.frontend, code: f.error.code ?? 'ERROR', message: describeListenError(f.error, f.target.frontend) });
      warn(f.key, f.error.code, f.target);
    }
    this.remote = new Map();
    for (const [key, d] of remote) {
      const failed = pooled?.failed.get(key);
      if (!failed) {
        this.remote.set(key, d.rt);
        continue;
      }
      unserved.set(key, { servicePortId: d.rt.state.id, service: d.rt.state.service, frontend: d.frontend, code: failed.code, message: failed.message });
      warn(key, failed.code, d);
    }
    this.unserved = unserved;
    return { unserved: [...unserved.values()] };
  }

  /** A worker's pick for a sticky service port, made here where its affinity table is. */
  private pickFor(p: RemotePick): RemotePickResult {
    const rt = this.ports.get(p.servicePortId);
    if (!rt) return { drop: false, endpoint: undefined };
    const cands = rt.candidates(p.kind, p.node, p.clientIP);
    if (cands.length === 0) return { drop: true };
    const exclude = p.exclude.length > 0 ? new Set(cands.filter((c) => p.exclude.includes(c.key))) : undefined;
    return { drop: false, endpoint: rt.pick(cands, p.clientIP, exclude)?.key };
  }

  async snapshot(): Promise<DataPlaneSnapshot> {
    const workers = this.pool ? await this.pool.stats() : [];
    const counters = new Map<string, PortCounters[]>();
    const add = (p: PortCounters) => {
      const l = counters.get(p.servicePortId);
      if (l) l.push(p);
      else counters.set(p.servicePortId, [p]);
    };
    for (const w of workers) for (const p of w.ports) add(p);
    const retired = this.pool?.retired();

    const unservedByPort = new Map<string, UnservedPort[]>();
    for (const u of this.unserved.values()) {
      const l = unservedByPort.get(u.servicePortId) ?? [];
      l.push(u);
      unservedByPort.set(u.servicePortId, l);
    }
    const poolDown = this.pool !== undefined && !this.pool.serving;
    const servicePorts: ServicePortStats[] = [];
    for (const rt of [...this.ports.values()].sort((a, b) => (a.state.id < b.state.id ? -1 : 1))) {
      const s = rt.state;
      const frontends: FrontendStatus[] = frontendsOf(s, this.o.nodes).map((f) => {
        const key = listenerKey(f);
        const bad = unservedByPort.get(s.id)?.find((u) => listenerKey(u.frontend) === key);
        if (bad) return { ...f, state: 'unserved', error: bad.message };
        if (this.local.serves(key, rt)) return { ...f, state: 'listening' };
        if (this.remote.get(key) === rt) return poolDown ? { ...f, state: 'unserved', error: 'no proxy worker is running (restarting after a crash; see the log)' } : { ...f, state: 'listening' };
        return { ...f, state: 'rejecting' };
      });
      const theirs = counters.get(s.id) ?? [];
      const gone = retired?.get(s.id);
      servicePorts.push({
        servicePortId: s.id,
        namespace: s.service.namespace,
        name: s.service.name,
        portName: s.portName,
        protocol: s.protocol,
        frontends,
        endpoints: mergeEndpoints(
          rt.allEndpoints().map((e) => e.stats(rt.inUse(e))),
          theirs.flatMap((p) => p.endpoints),
          gone?.endpoints ?? [],
        ),
        affinity: rt.affinity?.list() ?? [],
        refused: theirs.reduce((n, p) => n + p.refused, rt.refused + (gone?.refused ?? 0)),
        dropped: theirs.reduce((n, p) => n + p.dropped, rt.dropped + (gone?.dropped ?? 0)),
      });
    }
    return { servicePorts, unserved: [...this.unserved.values()], ...(this.pool ? { workers: this.pool.status() } : {}) };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.local.closeAll();
    for (const c of this.conns) {
      c.client.destroy();
      c.upstream.destroy();
    }
    this.conns.clear();
    for (const s of this.held) s.destroy();
    this.held.clear();
    await this.pool?.stop();
  }
}

/**
 * This process's endpoint counters plus the workers' and those of ended workers, summed per
 * endpoint. An endpoint only a worker still has is a removed one draining its connections there;
 * ended workers only add to endpoints listed anyway.
 */
function mergeEndpoints(own: EndpointStats[], theirs: EndpointStats[], gone: EndpointStats[]): EndpointStats[] {
  const byKey = new Map(own.map((e) => [e.endpoint, { ...e }]));
  const out = [...byKey.values()];
  for (const e of [...theirs, ...gone]) {
    const cur = byKey.get(e.endpoint);
    if (!cur) {
      if (gone.includes(e)) continue;
      const draining = { ...e, removed: true, inUse: false };
      byKey.set(e.endpoint, draining);
      out.push(draining);
      continue;
    }
    cur.activeConnections += e.activeConnections;
    cur.totalConnections += e.totalConnections;
    cur.bytesIn += e.bytesIn;
    cur.bytesOut += e.bytesOut;
    cur.dialFailures += e.dialFailures;
  }
  return out;
}

/** A factory for the userspace data plane with these options. */
export function userspaceDataPlane(u: UserspaceOptions = {}): DataPlaneFactory {
  return (o) => new UserspaceDataPlane(o, u);
}
