// TCP frontends of the userspace data plane: one net.Server per address:port, forwarding each
// accepted connection to an endpoint picked by its ServicePortRuntime. In a forwarding worker the
// server shares its listening socket with the other workers (cluster, SCHED_NONE), and a sticky
// (ClientIP affinity) service port asks the main process, which holds the affinity table, for
// each pick.
import net, { type Socket } from 'node:net';
import type { Clock } from '../../../client/index.js';
import { plainIPv4 } from '../../_ip.js';
import type { Frontend, FrontendKind } from '../types.js';
import type { EndpointRuntime, ServicePortRuntime, TcpConn } from './_serviceport.js';

/** A pick asked of the process holding a sticky service port's affinity table. */
export interface RemotePick {
  servicePortId: string;
  kind: FrontendKind;
  node: string | undefined;
  clientIP: string;
  /** Endpoint keys already tried for this connection. */
  exclude: string[];
}

/** `drop`: no candidate for this client (Local policy); else the endpoint key, or undefined when none is left. */
export type RemotePickResult = { drop: true } | { drop: false; endpoint: string | undefined };

export interface TcpContext {
  /** 'copy': data → write with pause/drain (default); 'pipe': stream.pipe (kept for benchmarks). */
  forwarding: 'copy' | 'pipe';
  /** Upstream connects in flight, failed once dialTimeoutMs passes. */
  dials: DialDeadlines;
  maxDialAttempts: number;
  dropHoldMs: number;
  bindClientSource: boolean;
  /** Sockets held for DROP, so stop() can close them. */
  held: Set<Socket>;
  /** Every spliced connection, so stop() can close them (also those of deleted service ports). */
  conns: Set<TcpConn>;
  /** Counts upstream dials that could not bind the client's address and went without it. */
  onSourceFallback(): void;
  /** Counts accepted connections. */
  onAccept(): void;
  /** Set in a forwarding worker: picks for sticky service ports, made where the affinity table is. */
  remotePick?: (p: RemotePick) => Promise<RemotePickResult>;
}

const noop = () => {};

/** A connecting socket, as far as its deadline is concerned. */
export interface PendingDial {
  destroy(error?: Error): unknown;
}

/** Real time; the timer does not keep the process alive (a pending dial's socket does). */
const realTime: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref();
    return { cancel: () => clearTimeout(t) };
  },
};

/**
 * Upstream connects in flight, each destroyed with ETIMEDOUT once `timeoutMs` has passed, on one
 * timer for all of them: a timer per connection cost about 5% of the CPU of a new connection.
 * Every dial has the same timeout, so insertion order is deadline order and a sweep stops at the
 * first dial still in time.
 */
export class DialDeadlines {
  private readonly pending = new Map<PendingDial, number>();
  private timer: { cancel(): void } | undefined;

  constructor(
    readonly timeoutMs: number,
    private readonly clock: Clock = realTime,
  ) {}

  add(s: PendingDial): void {
    this.pending.set(s, this.clock.now() + this.timeoutMs);
    if (!this.timer) this.arm(this.timeoutMs);
  }

  delete(s: PendingDial): void {
    this.pending.delete(s);
  }

  get size(): number {
    return this.pending.size;
  }

  private arm(ms: number): void {
    this.timer = this.clock.setTimeout(() => this.sweep(), Math.max(1, Math.ceil(ms)));
  }

  private sweep(): void {
    this.timer = undefined;
    const now = this.clock.now();
    for (const [s, deadline] of this.pending) {
      if (deadline > now) return this.arm(deadline - now);
      this.pending.delete(s);
      s.destroy(Object.assign(new Error('dial timed out'), { code: 'ETIMEDOUT' }));
    }
  }
}

/** Copies src → dst chunk by chunk, with backpressure, and forwards a half-close. */
function forward(src: Socket, dst: Socket): void {
  src.on('data', (chunk: Buffer) => {
    if (!dst.write(chunk)) src.pause();
  });
  dst.on('drain', () => src.resume());
  src.on('end', () => dst.end());
}

function reset(s: Socket): void {
  if (s.destroyed) return;
  try {
    s.resetAndDestroy();
  } catch {
    s.destroy();
  }
}

/** One accepted connection on its way to an endpoint. */
interface Attempt {
  sp: ServicePortRuntime;
  client: Socket;
  clientIP: string;
  /** Picks are made by the process holding the affinity table (see TcpContext.remotePick). */
  remote: boolean;
  /** Candidates of a local pick. */
  cands: readonly EndpointRuntime[];
  tried: Set<EndpointRuntime> | undefined;
  n: number;
}

export class TcpFrontend {
  private server: net.Server | undefined;
  private closed = false;

  constructor(
    readonly frontend: Frontend,
    /** Retargeted in place by syncs. */
    public target: ServicePortRuntime,
    private readonly ctx: TcpContext,
  ) {}

  /** Starts listening; resolves with the listen error, if any. */
  listen(): Promise<NodeJS.ErrnoException | undefined> {
    return new Promise((resolve) => {
      const server = net.createServer({ pauseOnConnect: true, allowHalfOpen: true, noDelay: true }, (s) => this.onConnection(s));
      const onError = (e: NodeJS.ErrnoException) => resolve(e);
      server.once('error', onError);
      server.listen({ host: this.frontend.address, port: this.frontend.port, backlog: 4096 }, () => {
        server.off('error', onError);
        server.on('error', noop);
        // Closed while the listen was in flight (a later sync removed it): do not start serving.
        if (this.closed) server.close();
        else this.server = server;
        resolve(undefined);
      });
    });
  }

  /** Stops accepting at once (the kernel then refuses new connections); live connections stay. */
  close(): void {
    this.closed = true;
    this.server?.close();
    this.server = undefined;
  }

  private onConnection(client: Socket): void {
    this.ctx.onAccept();
    client.on('error', noop);
    const sp = this.target;
    const clientIP = plainIPv4(client.remoteAddress);
    if (!clientIP) return void client.destroy();
    if (sp.sticky && !sp.affinity && this.ctx.remotePick) {
      this.pickRemote({ sp, client, clientIP, remote: true, cands: [], tried: undefined, n: 1 }, true);
      return;
    }
    const cands = sp.candidates(this.frontend.kind, this.frontend.node, clientIP);
    const ep = cands.length > 0 ? sp.pick(cands, clientIP) : undefined;
    if (!ep) {
      sp.dropped++;
      this.hold(client);
      return;
    }
    this.dial({ sp, client, clientIP, remote: false, cands, tried: undefined, n: 1 }, ep, this.ctx.bindClientSource);
  }

  /** Asks the affinity table's process for the next endpoint of `a`; a first ask may answer DROP. */
  private pickRemote(a: Attempt, first: boolean): void {
    const remotePick = this.ctx.remotePick;
    if (!remotePick) return void reset(a.client);
    const exclude = a.tried ? [...a.tried].map((e) => e.key) : [];
    remotePick({ servicePortId: a.sp.state.id, kind: this.frontend.kind, node: this.frontend.node, clientIP: a.clientIP, exclude }).then(
      (r) => {
        if (a.client.destroyed) return;
        if (r.drop) {
          if (!first) return this.refuse(a);
          a.sp.dropped++;
          return this.hold(a.client);
        }
        // The answer was computed on a state this process has already applied (one ordered channel).
        const ep = r.endpoint === undefined ? undefined : a.sp.endpoints.get(r.endpoint);
        if (!ep) return this.refuse(a);
        this.dial(a, ep, this.ctx.bindClientSource);
      },
      () => this.refuse(a),
    );
  }

  /** DROP: the connection is accepted and never answered; input is discarded until the client gives up. */
  private hold(client: Socket): void {
    const held = this.ctx.held;
    held.add(client);
    client.on('data', noop);
    client.on('end', () => client.destroy());
    const t = setTimeout(() => client.destroy(), this.ctx.dropHoldMs);
    t.unref();
    client.on('close', () => {
      clearTimeout(t);
      held.delete(client);
    });
    client.resume();
  }

  private refuse(a: Attempt): void {
    a.sp.refused++;
    reset(a.client);
  }

  private dial(a: Attempt, ep: EndpointRuntime, bindSource: boolean): void {
    const up = net.connect(
      bindSource
        ? { host: ep.ip, port: ep.port, noDelay: true, allowHalfOpen: true, localAddress: a.clientIP }
        : { host: ep.ip, port: ep.port, noDelay: true, allowHalfOpen: true },
    );
    const dials = this.ctx.dials;
    dials.add(up);
    let connected = false;
    up.once('connect', () => {
      connected = true;
      dials.delete(up);
      if (a.client.destroyed) return void up.destroy();
      this.splice(a.sp, ep, a.client, up);
    });
    up.on('error', (err: NodeJS.ErrnoException) => {
      if (connected) return;
      dials.delete(up);
      if (a.client.destroyed) return;
      if (bindSource && (err.code === 'EADDRNOTAVAIL' || err.code === 'EADDRINUSE')) {
        // The client's address cannot be bound (not local, or its ports are used up): still serve it.
        this.ctx.onSourceFallback();
        return this.dial(a, ep, false);
      }
      ep.dialFailures++;
      a.tried ??= new Set<EndpointRuntime>();
      a.tried.add(ep);
      if (a.n >= this.ctx.maxDialAttempts) return this.refuse(a);
      a.n++;
      if (a.remote) return this.pickRemote(a, false);
      const next = a.sp.pick(a.cands, a.clientIP, a.tried);
      if (next) this.dial(a, next, bindSource);
      else this.refuse(a);
    });
  }

  private splice(sp: ServicePortRuntime, ep: EndpointRuntime, client: Socket, up: Socket): void {
    const conn: TcpConn = { client, upstream: up };
    const conns = this.ctx.conns;
    ep.active++;
    ep.total++;
    ep.conns.add(conn);
    conns.add(conn);
    let open = 2;
    const closed = () => {
      if (--open > 0) return;
      ep.active--;
      ep.conns.delete(conn);
      conns.delete(conn);
      ep.bytesIn += client.bytesRead;
      ep.bytesOut += up.bytesRead;
      sp.released(ep);
    };
    // An abortive close on one side is passed on as an abortive close on the other.
    client.on('error', () => reset(up));
    up.on('error', () => reset(client));
    client.on('close', () => {
      up.destroy();
      closed();
    });
    up.on('close', () => {
      client.destroy();
      closed();
    });
    if (this.ctx.forwarding === 'pipe') {
      client.pipe(up);
      up.pipe(client);
    } else {
      forward(client, up);
      forward(up, client);
    }
    client.resume();
  }
}
