// The userspace data plane: Service traffic forwarded by this Node.js process. See README.md for
// the theory and what others may rely on.
import type { Socket } from 'node:net';
import type {
  DataPlane,
  DataPlaneFactory,
  DataPlaneOptions,
  DataPlaneSnapshot,
  DesiredState,
  Frontend,
  FrontendStatus,
  ServicePortStats,
  SyncReport,
  UnservedPort,
} from '../types.js';
import { frontendsOf } from '../types.js';
import { ServicePortRuntime } from './_serviceport.js';
import { TcpFrontend } from './_tcp.js';
import { UdpFrontend } from './_udp.js';

export { AffinityTable } from './affinity.js';

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
}

type Listener = TcpFrontend | UdpFrontend;

const listenerKey = (f: Frontend) => `${f.protocol}:${f.address}:${f.port}`;

const describeError = (e: NodeJS.ErrnoException, f: Frontend): string => {
  const where = `${f.address}:${f.port}/${f.protocol}`;
  switch (e.code) {
    case 'EACCES':
      return `Cannot listen on ${where}: permission denied; ports below 1024 need root, CAP_NET_BIND_SERVICE, or a lower net.ipv4.ip_unprivileged_port_start`;
    case 'EADDRINUSE':
      return `Cannot listen on ${where}: address already in use by another program`;
    case 'EADDRNOTAVAIL':
      return `Cannot listen on ${where}: the address is not assigned to this machine`;
    default:
      return `Cannot listen on ${where}: ${e.message}`;
  }
};

class UserspaceDataPlane implements DataPlane {
  readonly name = 'userspace';
  private readonly ports = new Map<string, ServicePortRuntime>();
  private readonly listeners = new Map<string, Listener>();
  private readonly unserved = new Map<string, UnservedPort>();
  private readonly held = new Set<Socket>();
  sourceFallbacks = 0;
  private stopped = false;

  constructor(
    private readonly o: DataPlaneOptions,
    private readonly u: UserspaceOptions,
  ) {}

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

    // 2. Which listener serves which service port. A port without usable endpoints gets none:
    //    the kernel then refuses its connections at once.
    const desired = new Map<string, { frontend: Frontend; rt: ServicePortRuntime }>();
    const unserved = new Map<string, UnservedPort>();
    const sorted = [...this.ports.values()].sort((a, b) => (a.state.id < b.state.id ? -1 : 1));
    for (const rt of sorted) {
      if (!rt.hasAnyEndpoints) continue;
      for (const f of frontendsOf(rt.state, this.o.nodes)) {
        const key = listenerKey(f);
        const base = { servicePortId: rt.state.id, service: rt.state.service, frontend: f };
        if (f.protocol === 'SCTP') {
          unserved.set(`${key}|${rt.state.id}`, { ...base, code: 'UNSUPPORTED', message: `Cannot serve ${f.address}:${f.port}/SCTP: the userspace data plane forwards only TCP and UDP` });
          continue;
        }
        const other = desired.get(key);
        if (other) {
          unserved.set(`${key}|${rt.state.id}`, { ...base, code: 'CONFLICT', message: `Cannot serve ${f.address}:${f.port}/${f.protocol}: already used by ${other.rt.state.id}` });
          continue;
        }
        desired.set(key, { frontend: f, rt });
      }
    }

    // 3. Close what is no longer wanted, retarget what stays, open what is new.
    for (const [key, l] of this.listeners) {
      const d = desired.get(key);
      if (!d) {
        l.close();
        this.listeners.delete(key);
      } else l.target = d.rt;
    }
    const opening: Promise<void>[] = [];
    for (const [key, d] of desired) {
      if (this.listeners.has(key)) continue;
      const l: Listener =
        d.frontend.protocol === 'UDP'
          ? new UdpFrontend(d.frontend, d.rt, {
              clock: this.o.clock,
              idleTimeoutMs: this.u.udpIdleTimeoutMs ?? 30_000,
              bindClientSource: this.u.bindClientSource ?? true,
              onSourceFallback: () => this.sourceFallbacks++,
            })
          : new TcpFrontend(d.frontend, d.rt, {
              forwarding: this.u.forwarding ?? 'copy',
              dialTimeoutMs: this.u.dialTimeoutMs ?? 2000,
              maxDialAttempts: this.u.maxDialAttempts ?? 3,
              dropHoldMs: this.u.dropHoldMs ?? 120_000,
              bindClientSource: this.u.bindClientSource ?? true,
              held: this.held,
              onSourceFallback: () => this.sourceFallbacks++,
            });
      this.listeners.set(key, l);
      opening.push(
        l.listen().then((err) => {
          if (!err) return;
          if (this.listeners.get(key) === l) this.listeners.delete(key);
          unserved.set(key, { servicePortId: d.rt.state.id, service: d.rt.state.service, frontend: d.frontend, code: err.code ?? 'ERROR', message: describeError(err, d.frontend) });
          this.o.log({ level: 'warn', msg: 'cannot serve service port', servicePort: d.rt.state.id, address: `${d.frontend.address}:${d.frontend.port}/${d.frontend.protocol}`, code: err.code });
        }),
      );
    }
    await Promise.all(opening);
    if (this.stopped) for (const l of this.listeners.values()) l.close();
    for (const l of this.listeners.values()) if (l instanceof UdpFrontend) l.dropStaleFlows();

    this.unserved.clear();
    for (const [k, u] of unserved) this.unserved.set(k, u);
    return { unserved: [...unserved.values()] };
  }

  snapshot(): DataPlaneSnapshot {
    const servicePorts: ServicePortStats[] = [];
    const unservedByPort = new Map<string, UnservedPort[]>();
    for (const u of this.unserved.values()) {
      const l = unservedByPort.get(u.servicePortId) ?? [];
      l.push(u);
      unservedByPort.set(u.servicePortId, l);
    }
    for (const rt of [...this.ports.values()].sort((a, b) => (a.state.id < b.state.id ? -1 : 1))) {
      const s = rt.state;
      const frontends: FrontendStatus[] = frontendsOf(s, this.o.nodes).map((f) => {
        const bad = unservedByPort.get(s.id)?.find((u) => listenerKey(u.frontend) === listenerKey(f));
        if (bad) return { ...f, state: 'unserved', error: bad.message };
        const l = this.listeners.get(listenerKey(f));
        if (l && l.target === rt) return { ...f, state: 'listening' };
        return { ...f, state: 'rejecting' };
      });
      servicePorts.push({
        servicePortId: s.id,
        namespace: s.service.namespace,
        name: s.service.name,
        portName: s.portName,
        protocol: s.protocol,
        frontends,
        endpoints: rt.allEndpoints().map((e) => e.stats(rt.inUse(e))),
        affinity: rt.affinity?.list() ?? [],
        refused: rt.refused,
        dropped: rt.dropped,
      });
    }
    return { servicePorts, unserved: [...this.unserved.values()] };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const l of this.listeners.values()) l.close();
    this.listeners.clear();
    for (const rt of this.ports.values()) {
      for (const ep of rt.allEndpoints()) {
        for (const c of ep.conns) {
          c.client.destroy();
          c.upstream.destroy();
        }
      }
    }
    for (const s of this.held) s.destroy();
    this.held.clear();
  }
}

/** A factory for the userspace data plane with these options. */
export function userspaceDataPlane(u: UserspaceOptions = {}): DataPlaneFactory {
  return (o) => new UserspaceDataPlane(o, u);
}
