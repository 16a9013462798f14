// Private to dns/ tests: a bounded DNS client over real UDP/TCP sockets (127.0.0.0/8 only), and a
// runner for Debian's `dig` that fails loudly when dig is missing.
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import dnsPacket, { type DecodedPacket, type Packet } from 'dns-packet';

export interface Addr {
  host: string;
  port: number;
}

function assertLoopback(a: Addr): void {
  if (!a.host.startsWith('127.')) throw new Error(`Cannot send test DNS traffic to ${a.host}: tests talk to 127.0.0.0/8 only`);
}

export function query(name: string, type: string, o: { id?: number; edns?: number; flags?: number } = {}): Buffer {
  const p: Packet = {
    type: 'query',
    id: o.id ?? 4242,
    flags: o.flags ?? dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type: type as dnsPacket.RecordType, class: 'IN' }],
  };
  if (o.edns !== undefined) p.additionals = [{ name: '.', type: 'OPT', udpPayloadSize: o.edns, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }];
  return dnsPacket.encode(p);
}

/** Sends raw bytes over UDP; resolves to the raw reply, or undefined after `timeoutMs` without one. */
export function udpRaw(to: Addr, msg: Buffer, timeoutMs = 2000): Promise<Buffer | undefined> {
  assertLoopback(to);
  return new Promise((resolve, reject) => {
    const sock = createSocket('udp4');
    const timer = setTimeout(() => {
      sock.close();
      resolve(undefined);
    }, timeoutMs);
    sock.on('error', (e) => {
      clearTimeout(timer);
      sock.close();
      reject(e);
    });
    sock.on('message', (m) => {
      clearTimeout(timer);
      sock.close();
      resolve(m);
    });
    sock.send(msg, to.port, to.host);
  });
}

export async function udp(to: Addr, msg: Buffer, timeoutMs = 2000): Promise<DecodedPacket & { raw: Buffer }> {
  const raw = await udpRaw(to, msg, timeoutMs);
  if (!raw) throw new Error(`No UDP answer from ${to.host}:${to.port} within ${timeoutMs} ms`);
  return { ...dnsPacket.decode(raw), raw };
}

/** Sends several framed queries on one TCP connection; resolves to the decoded replies in arrival order. */
export function tcp(to: Addr, msgs: Buffer[], timeoutMs = 2000): Promise<(DecodedPacket & { raw: Buffer })[]> {
  assertLoopback(to);
  return new Promise((resolve, reject) => {
    const sock = connect({ host: to.host, port: to.port });
    const out: (DecodedPacket & { raw: Buffer })[] = [];
    let buf: Buffer = Buffer.alloc(0);
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`Only ${out.length}/${msgs.length} TCP answers from ${to.host}:${to.port} within ${timeoutMs} ms`));
    }, timeoutMs);
    sock.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    sock.on('connect', () => {
      for (const m of msgs) {
        const len = Buffer.alloc(2);
        len.writeUInt16BE(m.length);
        sock.write(Buffer.concat([len, m]));
      }
    });
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const raw = Buffer.from(buf.subarray(2, 2 + buf.readUInt16BE(0)));
        buf = buf.subarray(2 + raw.length);
        out.push({ ...dnsPacket.decode(raw), raw });
      }
      if (out.length === msgs.length) {
        clearTimeout(timer);
        sock.destroy();
        resolve(out);
      }
    });
  });
}

export const rcodeOf = (p: { flags?: number }) => ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'][(p.flags ?? 0) & 0xf] ?? `RCODE_${(p.flags ?? 0) & 0xf}`;
export const hasFlag = (p: { flags?: number }, f: number) => ((p.flags ?? 0) & f) !== 0;

export interface DigResult {
  status: string;
  flags: string[];
  /** Answer section lines with whitespace collapsed: "web.default.svc.cluster.local. 5 IN A 127.96.0.20". */
  answers: string[];
  additionals: string[];
  authority: string[];
  output: string;
}

function section(output: string, title: string): string[] {
  const i = output.indexOf(`;; ${title} SECTION:\n`);
  if (i < 0) return [];
  const rest = output.slice(i).split('\n').slice(1);
  const end = rest.findIndex((l) => l.trim() === '');
  return rest.slice(0, end < 0 ? rest.length : end).map((l) => l.trim().split(/\s+/).join(' '));
}

/** Runs `dig @host -p port <args>`; fails with an install hint when dig is missing. */
export function dig(to: Addr, args: string[]): Promise<DigResult> {
  assertLoopback(to);
  return new Promise((resolve, reject) => {
    execFile('dig', [`@${to.host}`, '-p', String(to.port), '+time=2', '+tries=1', ...args], { timeout: 15_000 }, (err, stdout) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new Error('Cannot run dig: it is not installed. Install dnsutils (apt-get install dnsutils); the DNS tests need it'));
        return;
      }
      if (err && !stdout) {
        reject(new Error(`dig ${args.join(' ')} failed: ${err.message}`));
        return;
      }
      const status = /status: ([A-Z0-9_]+)/.exec(stdout)?.[1] ?? 'NO-ANSWER';
      const flags = (/;; flags: ([a-z ]+);/.exec(stdout)?.[1] ?? '').trim().split(/\s+/);
      resolve({ status, flags, answers: section(stdout, 'ANSWER'), additionals: section(stdout, 'ADDITIONAL'), authority: section(stdout, 'AUTHORITY'), output: stdout });
    });
  });
}
