// The DNS wire protocol around resolve(): UDP and TCP listeners, dns-packet decode/encode, EDNS0,
// truncation, and the hand-off of non-cluster names to the forwarder.
//
// Guarantees:
// - Every well-formed query gets exactly one response with its id and question: an answer,
//   NXDOMAIN/NODATA with the SOA, SERVFAIL (index not synced yet, or no upstream answered),
//   FORMERR (malformed, or not exactly one question), NOTIMP (opcode other than QUERY), REFUSED
//   (class other than IN/ANY, zone transfers) or BADVERS (EDNS version above 0). Bytes that are
//   not a DNS query header are dropped.
// - A UDP response fits the client's limit: 512 bytes, or its EDNS0 payload size. What does not
//   fit is cut in this order: additional records (no TC, RFC 2181 §9), then authority and trailing
//   answers with TC set, so the client retries over TCP (where the limit is 65535).
// - TCP follows RFC 7766: 2-byte length framing, several queries per connection (answered as they
//   complete), idle connections closed after `tcpIdleTimeoutMs`.
// - Responses are not name-compressed (dns-packet does not compress), so they are larger than
//   CoreDNS's and truncate sooner for 512-byte clients.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIPv6, type Server as TcpServer, type Socket as TcpSocket } from 'node:net';
import dnsPacket, { type Answer, type DecodedPacket, type OptAnswer, type Packet } from 'dns-packet';
import type { ClusterIndex } from './cluster_index.js';
import type { Forwarder } from './forward.js';
import { resolve, type ResolveOptions } from './resolve.js';

export interface ListenAddress {
  host: string;
  /** 0 picks a free port; UDP and TCP then share it. */
  port: number;
}

export interface ServerOptions extends ResolveOptions {
  index: ClusterIndex;
  listen: readonly ListenAddress[];
  /** Where names outside the cluster go; without one they get SERVFAIL. */
  forwarder?: Forwarder;
  tcpIdleTimeoutMs?: number;
  maxTcpConnections?: number;
  log?: (line: Record<string, unknown>) => void;
}

export interface DnsServer {
  /** The addresses actually bound (UDP and TCP on the same port). */
  addresses: ListenAddress[];
  close(): Promise<void>;
}

/** The UDP payload size this server advertises in its OPT record (the DNS Flag Day 2020 value). */
export const ADVERTISED_UDP_PAYLOAD = 1232;
const MAX_TCP_MESSAGE = 65535;

const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
const BADVERS = 16;
const TC = 1 << 9;
const AA = 1 << 10;
const RD = 1 << 8;
const RA = 1 << 7;
const CD = 1 << 4;

export type Transport = 'udp' | 'tcp';

export interface QueryContext extends ResolveOptions {
  index: ClusterIndex;
  forwarder?: Forwarder;
}

function isOpt(a: Answer): a is OptAnswer {
  return a.type === 'OPT';
}

/** Encodes `p`, cutting it to `limit` bytes as described in the module header. */
export function encodeWithin(p: Packet, limit: number): Buffer {
  const full = dnsPacket.encode(p);
  if (full.length <= limit) return full;
  const opt = (p.additionals ?? []).filter(isOpt);
  const noExtra = { ...p, additionals: opt };
  const lean = dnsPacket.encode(noExtra);
  if (lean.length <= limit) return lean;
  const answers = p.answers ?? [];
  const cut = (n: number) => dnsPacket.encode({ ...noExtra, flags: (p.flags ?? 0) | TC, answers: answers.slice(0, n), authorities: [] });
  // The largest answer prefix that fits, by bisection over the count.
  let lo = 0;
  let hi = answers.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (cut(mid).length <= limit) lo = mid;
    else hi = mid - 1;
  }
  return cut(lo);
}

function headerOnly(id: number, flags: number, rcode: number): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt16BE(id, 0);
  b.writeUInt16BE(0x8000 | (flags & 0x7800) | (flags & RD) | RA | rcode, 2);
  return b;
}

/**
 * Answers one query in wire form. Resolves to the response, or undefined when the bytes must be
 * dropped (too short to carry an id, or a response rather than a query).
 */
export async function answerQuery(raw: Buffer, transport: Transport, ctx: QueryContext): Promise<Buffer | undefined> {
  if (raw.length < 12 || (raw[2]! & 0x80) !== 0) return undefined;
  const id = raw.readUInt16BE(0);
  const reqFlags = raw.readUInt16BE(2);
  let req: DecodedPacket;
  try {
    req = dnsPacket.decode(raw);
  } catch {
    return headerOnly(id, reqFlags, RCODE.FORMERR);
  }
  const opcode = (reqFlags >> 11) & 0xf;
  const opts = (req.additionals ?? []).filter(isOpt);
  const edns = opts[0];
  const questions = req.questions ?? [];
  const limit = transport === 'tcp' ? MAX_TCP_MESSAGE : edns ? Math.max(512, edns.udpPayloadSize) : 512;

  const reply = (rcode: number, r: { aa?: boolean; answers?: Answer[]; authorities?: Answer[]; additionals?: Answer[] } = {}): Buffer => {
    const flags = (opcode << 11) | (r.aa ? AA : 0) | (reqFlags & RD) | RA | (reqFlags & CD) | (rcode & 0xf);
    const additionals = [...(r.additionals ?? [])];
    if (edns) {
      additionals.push({
        name: '.',
        type: 'OPT',
        udpPayloadSize: ADVERTISED_UDP_PAYLOAD,
        extendedRcode: rcode >> 4,
        ednsVersion: 0,
        // RFC 3225: the DO bit is copied into the response.
        flags: edns.flag_do ? dnsPacket.DNSSEC_OK : 0,
        flag_do: edns.flag_do,
        options: [],
      });
    }
    return encodeWithin({ type: 'response', id, flags, questions, answers: r.answers ?? [], authorities: r.authorities ?? [], additionals }, limit);
  };

  if (opcode !== 0) return reply(RCODE.NOTIMP);
  if (questions.length !== 1 || opts.length > 1) return reply(RCODE.FORMERR);
  if (edns && edns.ednsVersion > 0) return reply(BADVERS);
  const q = questions[0]!;
  const qclass = q.class ?? 'IN';
  if (qclass !== 'IN' && qclass !== 'ANY') return reply(RCODE.REFUSED);
  if (q.type === 'AXFR' || q.type === 'IXFR') return reply(RCODE.REFUSED);

  const res = resolve(ctx.index, { name: q.name, type: q.type }, ctx);
  switch (res.kind) {
    case 'not-synced':
      return reply(RCODE.SERVFAIL);
    case 'not-ours': {
      const resp = await ctx.forwarder?.exchange(raw, { tcp: transport === 'tcp' });
      if (!resp) return reply(RCODE.SERVFAIL);
      if (resp.length <= limit) return resp;
      try {
        return encodeWithin(dnsPacket.decode(resp), limit);
      } catch {
        return reply(RCODE.SERVFAIL);
      }
    }
    case 'answer': {
      let answers = res.answers;
      let rcode: number = RCODE[res.rcode];
      if (res.chase && ctx.forwarder) {
        const more = await ctx.forwarder.lookup(res.chase);
        if (more) {
          answers = [...answers, ...more.answers];
          if (more.rcode === RCODE.NXDOMAIN) rcode = RCODE.NXDOMAIN;
        }
      }
      return reply(rcode, { aa: true, answers, authorities: res.authorities, additionals: res.additionals });
    }
    default: {
      const never: never = res;
      throw new Error(`Cannot answer: unexpected resolution ${JSON.stringify(never)}`);
    }
  }
}

function bindUdp(host: string, port: number): Promise<UdpSocket> {
  return new Promise((resolvePromise, reject) => {
    const sock = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4' });
    const onError = (e: Error) => {
      sock.close();
      reject(e);
    };
    sock.once('error', onError);
    sock.bind({ address: host, port, exclusive: true }, () => {
      sock.off('error', onError);
      resolvePromise(sock);
    });
  });
}

function listenTcp(server: TcpServer, host: string, port: number): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const onError = (e: Error) => reject(e);
    server.once('error', onError);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', onError);
      resolvePromise();
    });
  });
}

const describeError = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Starts UDP and TCP listeners on every address; rejects (closing what was opened) if any fails. */
export async function startServer(o: ServerOptions): Promise<DnsServer> {
  const ctx: QueryContext = { index: o.index, zone: o.zone, ttl: o.ttl, ...(o.podRecords ? { podRecords: o.podRecords } : {}), ...(o.forwarder ? { forwarder: o.forwarder } : {}) };
  const idleMs = o.tcpIdleTimeoutMs ?? 10_000;
  const udpSockets: UdpSocket[] = [];
  const tcpServers: TcpServer[] = [];
  const connections = new Set<TcpSocket>();
  const addresses: ListenAddress[] = [];
  const logError = (e: unknown, transport: Transport) => o.log?.({ level: 'error', msg: 'dns query failed', transport, error: describeError(e) });

  const onTcpConnection = (conn: TcpSocket) => {
    connections.add(conn);
    conn.setNoDelay(true);
    conn.setTimeout(idleMs, () => conn.destroy());
    conn.on('close', () => connections.delete(conn));
    conn.on('error', () => conn.destroy());
    let buf: Buffer = Buffer.alloc(0);
    conn.on('data', (d: Buffer) => {
      buf = buf.length ? Buffer.concat([buf, d]) : d;
      while (buf.length >= 2) {
        const len = buf.readUInt16BE(0);
        if (buf.length < 2 + len) break;
        const msg = Buffer.from(buf.subarray(2, 2 + len));
        buf = buf.subarray(2 + len);
        answerQuery(msg, 'tcp', ctx).then(
          (resp) => {
            if (!resp || conn.destroyed) return;
            const frame = Buffer.alloc(2 + resp.length);
            frame.writeUInt16BE(resp.length, 0);
            resp.copy(frame, 2);
            conn.write(frame);
          },
          (e) => logError(e, 'tcp'),
        );
      }
    });
  };

  const close = async () => {
    for (const c of connections) c.destroy();
    await Promise.all([
      ...udpSockets.map((s) => new Promise<void>((r) => s.close(() => r()))),
      ...tcpServers.map((s) => new Promise<void>((r) => s.close(() => r()))),
    ]);
  };

  try {
    for (const l of o.listen) {
      // Port 0: take the port the UDP socket got for TCP too; retry if TCP finds it taken.
      for (let attempt = 0; ; attempt++) {
        let udp: UdpSocket;
        try {
          udp = await bindUdp(l.host, l.port);
        } catch (e) {
          throw new Error(`Cannot listen on ${l.host}:${l.port}/udp: ${describeError(e)}`);
        }
        const port = udp.address().port;
        const tcp = createServer(onTcpConnection);
        tcp.maxConnections = o.maxTcpConnections ?? 1024;
        try {
          await listenTcp(tcp, l.host, port);
        } catch (e) {
          await new Promise<void>((r) => udp.close(() => r()));
          if (l.port === 0 && attempt < 5 && (e as NodeJS.ErrnoException).code === 'EADDRINUSE') continue;
          throw new Error(`Cannot listen on ${l.host}:${port}/tcp: ${describeError(e)}`);
        }
        udp.on('message', (msg, rinfo) => {
          answerQuery(msg, 'udp', ctx).then(
            (resp) => {
              if (resp) udp.send(resp, rinfo.port, rinfo.address);
            },
            (e) => logError(e, 'udp'),
          );
        });
        udp.on('error', (e) => o.log?.({ level: 'error', msg: 'dns udp socket error', address: `${l.host}:${port}`, error: e.message }));
        udpSockets.push(udp);
        tcpServers.push(tcp);
        addresses.push({ host: l.host, port });
        break;
      }
    }
  } catch (e) {
    await close();
    throw e;
  }
  o.log?.({ level: 'info', msg: 'dns listening', addresses: addresses.map((a) => `${a.host}:${a.port}`), zone: o.zone });
  return { addresses, close };
}
