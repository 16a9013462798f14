// Test helpers shared by the proxy's tests and the data-plane conformance suite: real backends on
// 127.x addresses, bounded clients, and Service/EndpointSlice fixtures. Every socket is closed by
// the `close` functions returned; every wait is bounded.
import dgram from 'node:dgram';
import net from 'node:net';
import type { EndpointSlice, Service, ServicePort } from '../api/index.js';
import { realClock, type Clock } from '../client/index.js';

/** A backend answering each connection with `<name> <peer address>\n` and closing. */
export async function nameServer(ip: string, port: number, name: string): Promise<{ close(): Promise<void>; peers: string[] }> {
  const peers: string[] = [];
  const srv = net.createServer((s) => {
    peers.push(s.remoteAddress ?? '');
    s.on('error', () => {});
    s.end(`${name} ${s.remoteAddress ?? ''}\n`);
  });
  await listen(srv, ip, port);
  return { peers, close: () => closeServer(srv) };
}

/** A backend echoing every byte back, prefixed once with `<name>:`. */
export async function echoServer(ip: string, port: number, name: string): Promise<{ close(): Promise<void>; sockets: Set<net.Socket> }> {
  const sockets = new Set<net.Socket>();
  const srv = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    s.write(`${name}:`);
    s.pipe(s);
  });
  await listen(srv, ip, port);
  return {
    sockets,
    close: async () => {
      for (const s of sockets) s.destroy();
      await closeServer(srv);
    },
  };
}

/** A UDP backend answering each datagram with `<name> <peer address> <payload>`. */
export async function udpNameServer(ip: string, port: number, name: string): Promise<{ close(): Promise<void> }> {
  const sock = dgram.createSocket('udp4');
  sock.on('message', (m, r) => sock.send(`${name} ${r.address} ${m.toString()}`, r.port, r.address));
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(port, ip, () => resolve());
  });
  return { close: () => new Promise<void>((r) => sock.close(() => r())) };
}

function listen(srv: net.Server, ip: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(port, ip, () => resolve());
  });
}

function closeServer(srv: net.Server): Promise<void> {
  return new Promise((r) => srv.close(() => r()));
}

export type Outcome =
  | { kind: 'data'; data: string; ms: number }
  | { kind: 'refused'; ms: number }
  | { kind: 'reset'; ms: number }
  | { kind: 'silent'; connected: boolean; ms: number }
  | { kind: 'error'; code: string; ms: number };

/**
 * Connects and reads until the peer closes or `timeoutMs` passes. `silent` = no byte and no close
 * within the bound (what a DROP looks like).
 */
export function tcpRequest(ip: string, port: number, o: { localAddress?: string; timeoutMs?: number; send?: string } = {}): Promise<Outcome> {
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  return new Promise((resolve) => {
    const s = net.connect({ host: ip, port, ...(o.localAddress ? { localAddress: o.localAddress } : {}) });
    let data = '';
    let connected = false;
    let done = false;
    const finish = (r: Outcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      s.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => finish(data ? { kind: 'data', data, ms: ms() } : { kind: 'silent', connected, ms: ms() }), o.timeoutMs ?? 2000);
    s.on('connect', () => {
      connected = true;
      if (o.send) s.write(o.send);
    });
    s.on('data', (d) => (data += d.toString()));
    s.on('end', () => finish({ kind: 'data', data, ms: ms() }));
    s.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNREFUSED') finish({ kind: 'refused', ms: ms() });
      else if (e.code === 'ECONNRESET') finish(data ? { kind: 'data', data, ms: ms() } : { kind: 'reset', ms: ms() });
      else finish({ kind: 'error', code: e.code ?? String(e), ms: ms() });
    });
  });
}

/** The backend name answering `tcpRequest` via a nameServer, or throws with the outcome. */
export async function whoAnswers(ip: string, port: number, o: { localAddress?: string; timeoutMs?: number } = {}): Promise<{ name: string; peer: string }> {
  const r = await tcpRequest(ip, port, o);
  if (r.kind !== 'data' || !r.data) throw new Error(`expected an answer from ${ip}:${port}, got ${JSON.stringify(r)}`);
  const [name = '', peer = ''] = r.data.trim().split(' ');
  return { name, peer };
}

/** Sends one datagram and waits for one answer; `undefined` on timeout, 'refused' on ICMP port unreachable. */
export function udpRequest(ip: string, port: number, payload: string, o: { localAddress?: string; timeoutMs?: number; socket?: dgram.Socket } = {}): Promise<string | 'refused' | undefined> {
  return new Promise((resolve) => {
    const own = !o.socket;
    const sock = o.socket ?? dgram.createSocket('udp4');
    let done = false;
    const finish = (v: string | 'refused' | undefined) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.off('message', onMsg);
      sock.off('error', onErr);
      if (own) sock.close();
      resolve(v);
    };
    const onMsg = (m: Buffer) => finish(m.toString());
    const onErr = (e: NodeJS.ErrnoException) => finish(e.code === 'ECONNREFUSED' ? 'refused' : undefined);
    const timer = setTimeout(() => finish(undefined), o.timeoutMs ?? 1000);
    sock.on('message', onMsg);
    sock.on('error', onErr);
    const send = () => sock.connect(port, ip, () => sock.send(payload));
    if (own) sock.bind({ port: 0, ...(o.localAddress ? { address: o.localAddress } : {}) }, send);
    else sock.send(payload, port, ip);
  });
}

export interface ServiceFixture {
  name: string;
  clusterIP: string;
  ports: ServicePort[];
  type?: Service['spec']['type'];
  labels?: Record<string, string>;
  affinitySeconds?: number;
  internalTrafficPolicy?: 'Cluster' | 'Local';
  externalTrafficPolicy?: 'Cluster' | 'Local';
  externalIPs?: string[];
  healthCheckNodePort?: number;
  namespace?: string;
}

export function service(f: ServiceFixture): Service {
  const type = f.type ?? 'ClusterIP';
  const external = type === 'NodePort' || type === 'LoadBalancer' || (f.externalIPs?.length ?? 0) > 0;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: f.name, namespace: f.namespace ?? 'default', ...(f.labels ? { labels: f.labels } : {}) },
    spec: {
      type,
      clusterIP: f.clusterIP,
      clusterIPs: f.clusterIP === 'None' ? ['None'] : [f.clusterIP],
      ports: f.ports,
      selector: { app: f.name },
      sessionAffinity: f.affinitySeconds ? 'ClientIP' : 'None',
      ...(f.affinitySeconds ? { sessionAffinityConfig: { clientIP: { timeoutSeconds: f.affinitySeconds } } } : {}),
      internalTrafficPolicy: f.internalTrafficPolicy ?? 'Cluster',
      ...(external ? { externalTrafficPolicy: f.externalTrafficPolicy ?? 'Cluster' } : {}),
      ...(f.externalIPs ? { externalIPs: f.externalIPs } : {}),
      ...(f.healthCheckNodePort ? { healthCheckNodePort: f.healthCheckNodePort } : {}),
    },
  };
}

export interface EndpointFixture {
  ip: string;
  node: string;
  ready?: boolean;
  serving?: boolean;
  terminating?: boolean;
}

/** An EndpointSlice for `service` with one port (`portName`, `port`). */
export function slice(o: { service: string; name?: string; namespace?: string; portName?: string; port: number; protocol?: 'TCP' | 'UDP'; endpoints: EndpointFixture[]; ports?: { name: string; port: number; protocol?: 'TCP' | 'UDP' }[] }): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: o.name ?? `${o.service}-abcde`,
      namespace: o.namespace ?? 'default',
      labels: { 'kubernetes.io/service-name': o.service, 'endpointslice.kubernetes.io/managed-by': 'test' },
    },
    addressType: 'IPv4',
    endpoints: o.endpoints.map((e) => {
      const ready = e.ready ?? true;
      return { addresses: [e.ip], nodeName: e.node, conditions: { ready, serving: e.serving ?? ready, terminating: e.terminating ?? false } };
    }),
    ports: o.ports?.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol ?? 'TCP' })) ?? [{ name: o.portName ?? '', port: o.port, protocol: o.protocol ?? 'TCP' }],
  };
}

/** A clock whose `now` can be moved forward while its timers run on real time (for integration tests of timeouts). */
export class SkewClock implements Clock {
  offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    return realClock.setTimeout(fn, ms);
  }
  advance(ms: number): void {
    this.offset += ms;
  }
}

/** Counts answers by backend name over `n` connections (in parallel batches), bounded in time. */
export async function distribution(ip: string, port: number, n: number, o: { localAddress?: string | ((i: number) => string); batch?: number } = {}): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const batch = o.batch ?? 10;
  const deadline = Date.now() + 20_000;
  for (let i = 0; i < n && Date.now() < deadline; i += batch) {
    const rs = await Promise.all(
      Array.from({ length: Math.min(batch, n - i) }, (_, j) => {
        const la = typeof o.localAddress === 'function' ? o.localAddress(i + j) : o.localAddress;
        return whoAnswers(ip, port, la ? { localAddress: la } : {});
      }),
    );
    for (const r of rs) counts.set(r.name, (counts.get(r.name) ?? 0) + 1);
  }
  return counts;
}
