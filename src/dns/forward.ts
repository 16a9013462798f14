// Forwarding of non-cluster names to upstream resolvers (the host's, from /etc/resolv.conf).
//
// Guarantees:
// - A query is tried on each upstream in order, each attempt bounded by `attemptTimeoutMs` and the
//   whole exchange by `timeoutMs` (default 2 s, below the 5 s a stub resolver waits), so a dead
//   upstream costs the client a fast SERVFAIL, never a client timeout. A refused UDP port
//   (ICMP unreachable) moves on at once.
// - Every exchange uses a fresh socket (random source port) and a random query id, and accepts
//   only a response with that id and the same question.
// - A truncated UDP answer is fetched again over TCP when the client itself came over TCP; a UDP
//   client gets the truncated answer and retries over TCP, as it would with any resolver.
// - At most `maxInFlight` exchanges run at once; beyond that, queries fail (SERVFAIL) at once.
import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { connect, isIPv6 } from 'node:net';
import dnsPacket, { type Answer } from 'dns-packet';
import { parseResolvConf } from './resolvconf.js';
import type { Question } from './resolve.js';

export interface Upstream {
  host: string;
  port: number;
}

export interface ForwarderOptions {
  upstreams: readonly Upstream[];
  /** Per-upstream attempt; default 1000 ms. */
  attemptTimeoutMs?: number;
  /** Whole exchange across upstreams; default 2000 ms. */
  timeoutMs?: number;
  maxInFlight?: number;
  /** Upstreams to pass over at query time (e.g. the kube-dns ClusterIP, which would loop back). */
  skip?: (u: Upstream) => boolean;
  log?: (line: Record<string, unknown>) => void;
}

export interface LookupResult {
  rcode: number;
  answers: Answer[];
}

export interface Forwarder {
  /**
   * Sends a client's query (wire form) upstream. Resolves to the upstream's response carrying the
   * client's id, or undefined when no upstream answered in time (the caller answers SERVFAIL).
   */
  exchange(query: Buffer, o: { tcp: boolean }): Promise<Buffer | undefined>;
  /** Looks one name up upstream (to follow an ExternalName CNAME); undefined on failure. */
  lookup(q: Question): Promise<LookupResult | undefined>;
}

/**
 * The upstreams named by resolv.conf text, in order, on port 53, leaving out `exclude` (the DNS
 * server's own addresses, which would forward to itself).
 */
export function upstreamsFromResolvConf(text: string, exclude: readonly string[] = []): Upstream[] {
  const skip = new Set(exclude);
  return parseResolvConf(text)
    .nameservers.filter((h) => !skip.has(h))
    .map((host) => ({ host, port: 53 }));
}

const TC = 1 << 9;

class TimeoutError extends Error {}

function sameQuestion(resp: Buffer, query: Buffer): boolean {
  try {
    const a = dnsPacket.decode(resp).questions?.[0];
    const b = dnsPacket.decode(query).questions?.[0];
    if (!a || !b) return !a && !b;
    return a.type === b.type && a.name.toLowerCase() === b.name.toLowerCase();
  } catch {
    return false;
  }
}

function isResponseTo(msg: Buffer, query: Buffer): boolean {
  return msg.length >= 12 && msg.readUInt16BE(0) === query.readUInt16BE(0) && (msg[2]! & 0x80) !== 0 && sameQuestion(msg, query);
}

function udpExchange(up: Upstream, query: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = createSocket(isIPv6(up.host) ? 'udp6' : 'udp4');
    let done = false;
    const finish = (err: Error | undefined, msg?: Buffer) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.close();
      if (err) reject(err);
      else resolve(msg as Buffer);
    };
    const timer = setTimeout(() => finish(new TimeoutError(`no answer from ${up.host}:${up.port} within ${timeoutMs} ms`)), timeoutMs);
    sock.on('error', (e) => finish(e));
    sock.on('message', (msg) => {
      if (isResponseTo(msg, query)) finish(undefined, msg);
    });
    // A connected socket hears ICMP port-unreachable as ECONNREFUSED instead of waiting it out.
    sock.connect(up.port, up.host, () => sock.send(query, (e) => e && finish(e)));
  });
}

function tcpExchange(up: Upstream, query: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: up.host, port: up.port });
    let buf: Buffer = Buffer.alloc(0);
    let done = false;
    const finish = (err: Error | undefined, msg?: Buffer) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolve(msg as Buffer);
    };
    const timer = setTimeout(() => finish(new TimeoutError(`no answer from ${up.host}:${up.port}/tcp within ${timeoutMs} ms`)), timeoutMs);
    sock.on('error', (e) => finish(e));
    sock.on('close', () => finish(new Error(`${up.host}:${up.port}/tcp closed the connection without an answer`)));
    sock.on('connect', () => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(query.length);
      sock.write(Buffer.concat([len, query]));
    });
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const msg = buf.subarray(2, 2 + buf.readUInt16BE(0));
        buf = buf.subarray(2 + msg.length);
        if (isResponseTo(msg, query)) return finish(undefined, Buffer.from(msg));
      }
      if (buf.length > 2 + 65535) finish(new Error(`${up.host}:${up.port}/tcp sent an oversized frame`));
    });
  });
}

export function createForwarder(o: ForwarderOptions): Forwarder {
  const attemptTimeoutMs = o.attemptTimeoutMs ?? 1000;
  const timeoutMs = o.timeoutMs ?? 2000;
  const maxInFlight = o.maxInFlight ?? 512;
  let inFlight = 0;
  let lastFailureLog = 0;
  let suppressed = 0;

  const logFailure = (line: Record<string, unknown>) => {
    const now = Date.now();
    if (now - lastFailureLog < 5000) {
      suppressed++;
      return;
    }
    lastFailureLog = now;
    o.log?.({ level: 'warn', msg: 'dns forward failed', ...line, ...(suppressed ? { suppressedSinceLast: suppressed } : {}) });
    suppressed = 0;
  };

  async function exchange(clientQuery: Buffer, opts: { tcp: boolean }): Promise<Buffer | undefined> {
    const upstreams = o.upstreams.filter((u) => !o.skip?.(u));
    if (upstreams.length === 0 || clientQuery.length < 12) return undefined;
    if (inFlight >= maxInFlight) {
      logFailure({ reason: 'too many queries in flight', maxInFlight });
      return undefined;
    }
    inFlight++;
    try {
      const query = Buffer.from(clientQuery);
      query.writeUInt16BE(randomInt(0, 0x10000), 0);
      const deadline = Date.now() + timeoutMs;
      const errors: string[] = [];
      for (const up of upstreams) {
        const left = deadline - Date.now();
        if (left <= 0) break;
        try {
          let resp = await udpExchange(up, query, Math.min(attemptTimeoutMs, left));
          if (opts.tcp && (resp.readUInt16BE(2) & TC) !== 0) {
            resp = await tcpExchange(up, query, Math.max(1, deadline - Date.now()));
          }
          const out = Buffer.from(resp);
          out.writeUInt16BE(clientQuery.readUInt16BE(0), 0);
          return out;
        } catch (e) {
          errors.push(`${up.host}:${up.port}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      logFailure({ upstreams: errors });
      return undefined;
    } finally {
      inFlight--;
    }
  }

  async function lookup(q: Question): Promise<LookupResult | undefined> {
    const query = dnsPacket.encode({
      type: 'query',
      id: 0,
      flags: dnsPacket.RECURSION_DESIRED,
      questions: [{ name: q.name, type: q.type as dnsPacket.RecordType }],
      additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }],
    });
    const resp = await exchange(query, { tcp: true });
    if (!resp) return undefined;
    try {
      const d = dnsPacket.decode(resp);
      return { rcode: (d.flags ?? 0) & 0xf, answers: d.answers ?? [] };
    } catch {
      return undefined;
    }
  }

  return { exchange, lookup };
}
