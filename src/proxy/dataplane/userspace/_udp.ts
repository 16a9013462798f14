// UDP frontends of the userspace data plane: one socket per address:port; each client
// address:port is a flow with its own upstream socket (bound to the client's address, connected
// to the chosen endpoint), expiring after an idle period. Replies leave from the frontend
// address, so clients see the service address answer.
import dgram from 'node:dgram';
import type { Clock } from '../../../client/index.js';
import type { Frontend } from '../types.js';
import type { EndpointRuntime, ServicePortRuntime } from './_serviceport.js';

export interface UdpContext {
  clock: Clock;
  idleTimeoutMs: number;
  bindClientSource: boolean;
  onSourceFallback(): void;
}

interface Flow {
  up: dgram.Socket;
  ep: EndpointRuntime;
  sp: ServicePortRuntime;
  lastSeen: number;
  /** Datagrams waiting for the upstream socket to connect. */
  queue: Buffer[] | undefined;
  closed: boolean;
}

export class UdpFrontend {
  private sock: dgram.Socket | undefined;
  private readonly flows = new Map<string, Flow>();
  private sweepTimer: { cancel(): void } | undefined;
  private closed = false;

  constructor(
    readonly frontend: Frontend,
    public target: ServicePortRuntime,
    private readonly ctx: UdpContext,
  ) {}

  listen(): Promise<NodeJS.ErrnoException | undefined> {
    return new Promise((resolve) => {
      const sock = dgram.createSocket({ type: 'udp4' });
      const onError = (e: NodeJS.ErrnoException) => {
        sock.close();
        resolve(e);
      };
      sock.once('error', onError);
      sock.bind({ address: this.frontend.address, port: this.frontend.port, exclusive: true }, () => {
        sock.off('error', onError);
        // Closed while the bind was in flight (a later sync removed it): do not start serving.
        if (this.closed) {
          sock.close();
          return resolve(undefined);
        }
        sock.on('error', () => {});
        sock.on('message', (msg, rinfo) => this.onMessage(msg, rinfo));
        this.sock = sock;
        this.scheduleSweep();
        resolve(undefined);
      });
    });
  }

  /** Closes the socket (clients then get ICMP port unreachable) and every flow. */
  close(): void {
    this.closed = true;
    this.sweepTimer?.cancel();
    this.sweepTimer = undefined;
    try {
      this.sock?.close();
    } catch {
      // already closed
    }
    this.sock = undefined;
    for (const k of [...this.flows.keys()]) this.closeFlow(k);
  }

  /** Drops flows whose endpoint left the service (as conntrack entries are flushed upstream). */
  dropStaleFlows(): void {
    for (const [k, f] of this.flows) if (f.ep.removed || f.sp !== this.target || !this.target.inUse(f.ep)) this.closeFlow(k);
  }

  get flowCount(): number {
    return this.flows.size;
  }

  private scheduleSweep(): void {
    const every = Math.max(50, Math.floor(this.ctx.idleTimeoutMs / 2));
    this.sweepTimer = this.ctx.clock.setTimeout(() => {
      const cutoff = this.ctx.clock.now() - this.ctx.idleTimeoutMs;
      for (const [k, f] of this.flows) if (f.lastSeen <= cutoff) this.closeFlow(k);
      if (this.sock) this.scheduleSweep();
    }, every);
  }

  private closeFlow(key: string): void {
    const f = this.flows.get(key);
    if (!f) return;
    this.flows.delete(key);
    f.closed = true;
    try {
      f.up.close();
    } catch {
      // already closed
    }
    f.ep.active--;
    f.sp.released(f.ep);
  }

  private onMessage(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    const key = `${rinfo.address}:${rinfo.port}`;
    const now = this.ctx.clock.now();
    const f = this.flows.get(key);
    if (f) {
      f.lastSeen = now;
      f.ep.bytesIn += msg.length;
      if (f.queue) f.queue.push(msg);
      else f.up.send(msg);
      return;
    }
    const sp = this.target;
    const cands = sp.candidates(this.frontend.kind, this.frontend.node, rinfo.address);
    const ep = cands.length > 0 ? sp.pick(cands, rinfo.address) : undefined;
    if (!ep) {
      sp.dropped++;
      return;
    }
    ep.bytesIn += msg.length;
    this.openFlow(key, sp, ep, rinfo, [msg], this.ctx.bindClientSource);
  }

  private openFlow(key: string, sp: ServicePortRuntime, ep: EndpointRuntime, rinfo: dgram.RemoteInfo, queue: Buffer[], bindSource: boolean): void {
    const up = dgram.createSocket({ type: 'udp4' });
    const flow: Flow = { up, ep, sp, lastSeen: this.ctx.clock.now(), queue, closed: false };
    this.flows.set(key, flow);
    ep.active++;
    ep.total++;
    up.on('message', (m) => {
      flow.lastSeen = this.ctx.clock.now();
      ep.bytesOut += m.length;
      this.sock?.send(m, rinfo.port, rinfo.address);
    });
    up.on('error', (e: NodeJS.ErrnoException) => {
      if (flow.closed) return;
      if (flow.queue && bindSource && (e.code === 'EADDRNOTAVAIL' || e.code === 'EADDRINUSE')) {
        this.closeFlow(key);
        ep.total--;
        this.ctx.onSourceFallback();
        return this.openFlow(key, sp, ep, rinfo, queue, false);
      }
      // ECONNREFUSED from an ICMP error: the next datagram starts a new flow and a new pick.
      ep.dialFailures++;
      this.closeFlow(key);
    });
    up.bind({ port: 0, ...(bindSource ? { address: rinfo.address } : {}) }, () => {
      if (flow.closed) return;
      up.connect(ep.port, ep.ip, () => {
        if (flow.closed) return;
        const q = flow.queue ?? [];
        flow.queue = undefined;
        for (const m of q) up.send(m);
      });
    });
  }
}
