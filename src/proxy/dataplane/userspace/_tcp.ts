// TCP frontends of the userspace data plane: one net.Server per address:port, forwarding each
// accepted connection to an endpoint picked by its ServicePortRuntime.
import net, { type Socket } from 'node:net';
import { plainIPv4 } from '../../_ip.js';
import type { Frontend } from '../types.js';
import type { EndpointRuntime, ServicePortRuntime, TcpConn } from './_serviceport.js';

export interface TcpContext {
  /** 'copy': data → write with pause/drain (default); 'pipe': stream.pipe (kept for benchmarks). */
  forwarding: 'copy' | 'pipe';
  dialTimeoutMs: number;
  maxDialAttempts: number;
  dropHoldMs: number;
  bindClientSource: boolean;
  /** Sockets held for DROP, so stop() can close them. */
  held: Set<Socket>;
  /** Counts upstream dials that could not bind the client's address and went without it. */
  onSourceFallback(): void;
}

const noop = () => {};

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

export class TcpFrontend {
  private server: net.Server | undefined;

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
        this.server = server;
        resolve(undefined);
      });
    });
  }

  /** Stops accepting at once (the kernel then refuses new connections); live connections stay. */
  close(): void {
    this.server?.close();
    this.server = undefined;
  }

  private onConnection(client: Socket): void {
    client.on('error', noop);
    const sp = this.target;
    const clientIP = plainIPv4(client.remoteAddress);
    if (!clientIP) return void client.destroy();
    const cands = sp.candidates(this.frontend.kind, this.frontend.node, clientIP);
    const ep = cands.length > 0 ? sp.pick(cands, clientIP) : undefined;
    if (!ep) {
      sp.dropped++;
      this.hold(client);
      return;
    }
    this.dial(sp, cands, client, clientIP, ep, undefined, 1, this.ctx.bindClientSource);
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

  private dial(
    sp: ServicePortRuntime,
    cands: readonly EndpointRuntime[],
    client: Socket,
    clientIP: string,
    ep: EndpointRuntime,
    tried: Set<EndpointRuntime> | undefined,
    attempt: number,
    bindSource: boolean,
  ): void {
    const up = net.connect({
      host: ep.ip,
      port: ep.port,
      noDelay: true,
      allowHalfOpen: true,
      ...(bindSource ? { localAddress: clientIP } : {}),
    });
    let connected = false;
    const timer = setTimeout(() => up.destroy(Object.assign(new Error('dial timed out'), { code: 'ETIMEDOUT' })), this.ctx.dialTimeoutMs);
    up.once('connect', () => {
      connected = true;
      clearTimeout(timer);
      if (client.destroyed) return void up.destroy();
      this.splice(sp, ep, client, up);
    });
    up.on('error', (err: NodeJS.ErrnoException) => {
      if (connected) return;
      clearTimeout(timer);
      if (client.destroyed) return;
      if (bindSource && (err.code === 'EADDRNOTAVAIL' || err.code === 'EADDRINUSE')) {
        // The client's address cannot be bound (not local, or its ports are used up): still serve it.
        this.ctx.onSourceFallback();
        return this.dial(sp, cands, client, clientIP, ep, tried, attempt, false);
      }
      ep.dialFailures++;
      const failed = tried ?? new Set<EndpointRuntime>();
      failed.add(ep);
      const next = attempt < this.ctx.maxDialAttempts ? sp.pick(cands, clientIP, failed) : undefined;
      if (next) return this.dial(sp, cands, client, clientIP, next, failed, attempt + 1, bindSource);
      sp.refused++;
      reset(client);
    });
  }

  private splice(sp: ServicePortRuntime, ep: EndpointRuntime, client: Socket, up: Socket): void {
    const conn: TcpConn = { client, upstream: up };
    ep.active++;
    ep.total++;
    ep.conns.add(conn);
    let open = 2;
    const closed = () => {
      if (--open > 0) return;
      ep.active--;
      ep.conns.delete(conn);
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
