// Which sockets serve which service port, and the set of open listeners that makes it so. Used by
// the main process (every listener with `workers: 1`, UDP only with more) and by each forwarding
// worker (its TCP listeners).
import type { NodeIndex } from '../../nodes.js';
import { frontendsOf, type Frontend, type UnservedPort } from '../types.js';
import type { ServicePortRuntime } from './_serviceport.js';
import { TcpFrontend } from './_tcp.js';
import { UdpFrontend } from './_udp.js';

export type Listener = TcpFrontend | UdpFrontend;

/** A frontend and the service port it serves. */
export interface ListenerTarget {
  frontend: Frontend;
  rt: ServicePortRuntime;
}

export interface ListenFailure {
  key: string;
  target: ListenerTarget;
  error: NodeJS.ErrnoException;
}

export const listenerKey = (f: Frontend): string => `${f.protocol}:${f.address}:${f.port}`;

export function describeListenError(e: NodeJS.ErrnoException, f: Frontend): string {
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
}

/**
 * The listeners `runtimes` want: every frontend of each service port with usable endpoints (a
 * port without any gets none, so the kernel refuses its connections at once). The first service
 * port by id wins an address claimed twice; the other is reported CONFLICT; SCTP is UNSUPPORTED.
 */
export function planListeners(runtimes: Iterable<ServicePortRuntime>, nodes: NodeIndex): { desired: Map<string, ListenerTarget>; unserved: Map<string, UnservedPort> } {
  const desired = new Map<string, ListenerTarget>();
  const unserved = new Map<string, UnservedPort>();
  const sorted = [...runtimes].sort((a, b) => (a.state.id < b.state.id ? -1 : 1));
  for (const rt of sorted) {
    if (!rt.hasAnyEndpoints) continue;
    for (const f of frontendsOf(rt.state, nodes)) {
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
  return { desired, unserved };
}

/** Open listeners by key; `apply` makes them match a desired set. */
export class ListenerSet {
  readonly listeners = new Map<string, Listener>();

  constructor(private readonly open: (t: ListenerTarget) => Listener) {}

  /**
   * Closes what is not desired and retargets what stays, synchronously (so no connection is
   * accepted in between with a stale target), then opens what is new; resolves with the failures.
   * A failed listener is forgotten, so the next apply tries again.
   */
  async apply(desired: ReadonlyMap<string, ListenerTarget>): Promise<ListenFailure[]> {
    for (const [key, l] of this.listeners) {
      const d = desired.get(key);
      if (!d) {
        l.close();
        this.listeners.delete(key);
      } else l.target = d.rt;
    }
    const failures: ListenFailure[] = [];
    const opening: Promise<void>[] = [];
    for (const [key, d] of desired) {
      if (this.listeners.has(key)) continue;
      const l = this.open(d);
      this.listeners.set(key, l);
      opening.push(
        l.listen().then((error) => {
          if (!error) return;
          if (this.listeners.get(key) === l) this.listeners.delete(key);
          failures.push({ key, target: d, error });
        }),
      );
    }
    await Promise.all(opening);
    for (const l of this.listeners.values()) if (l instanceof UdpFrontend) l.dropStaleFlows();
    return failures;
  }

  /** Whether `key` is being served for `rt`. */
  serves(key: string, rt: ServicePortRuntime): boolean {
    return this.listeners.get(key)?.target === rt;
  }

  closeAll(): void {
    for (const l of this.listeners.values()) l.close();
    this.listeners.clear();
  }
}
