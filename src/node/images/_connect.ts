// agnhost connect: tries one TCP or UDP connection and reports failures with the fixed prefixes
// e2e tests match (UNKNOWN, TIMEOUT, DNS, REFUSED, OTHER), on stderr, exit code 1; success is
// silent with exit code 0. `--timeout` 0 means no limit of our own, as upstream.
import { connect as tcpConnect } from 'node:net';
import { createSocket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { parseFlags } from './_flags.js';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** Go's net.SplitHostPort, enough for `host:port` and `[v6]:port`. */
export function splitHostPort(dest: string): { host: string; port: string } {
  if (dest.startsWith('[')) {
    const end = dest.indexOf(']');
    if (end < 0) throw new Error(`address ${dest}: missing ']' in address`);
    if (dest[end + 1] !== ':') throw new Error(`address ${dest}: missing port in address`);
    return { host: dest.slice(1, end), port: dest.slice(end + 2) };
  }
  const i = dest.lastIndexOf(':');
  if (i < 0) throw new Error(`address ${dest}: missing port in address`);
  const host = dest.slice(0, i);
  if (host.includes(':')) throw new Error(`address ${dest}: too many colons in address`);
  return { host, port: dest.slice(i + 1) };
}

async function resolve(network: string, dest: string): Promise<{ address: string; port: number; family: 4 | 6 }> {
  const { host, port } = splitHostPort(dest);
  const portNum = Number(port);
  if (!/^\d+$/.test(port) || portNum > 65535) throw new Error(`lookup ${network}/${port}: unknown port`);
  if (isIP(host)) return { address: host, port: portNum, family: isIP(host) === 6 ? 6 : 4 };
  const r = await lookup(host === '' ? 'localhost' : host).catch(() => {
    throw new Error(`lookup ${host}: no such host`);
  });
  return { address: r.address, port: portNum, family: r.family === 6 ? 6 : 4 };
}

function connectTCP(dest: string, timeoutMs: number): Promise<never> {
  return new Promise<never>((_, reject) => {
    resolve('tcp', dest).then((target) => {
      const sock = tcpConnect({ host: target.address, port: target.port });
      const timer = timeoutMs > 0 ? setTimeout(() => fail('TIMEOUT'), timeoutMs) : undefined;
      sock.once('connect', () => {
        if (timer) clearTimeout(timer);
        sock.destroy();
        process.exit(0);
      });
      sock.once('error', (err: NodeJS.ErrnoException) => {
        if (timer) clearTimeout(timer);
        if (err.code === 'ECONNREFUSED') fail('REFUSED');
        if (err.code === 'ETIMEDOUT') fail('TIMEOUT');
        fail(`OTHER: dial tcp ${dest}: ${err.message}`);
      });
    }, (err: unknown) => reject(err));
  });
}

function connectUDP(dest: string, timeoutMs: number, data: string): Promise<never> {
  return new Promise<never>((_, reject) => {
    resolve('udp', dest).then((target) => {
      const sock = createSocket(target.family === 6 ? 'udp6' : 'udp4');
      const timer =
        timeoutMs > 0 ? setTimeout(() => fail(`TIMEOUT: read udp ${dest}: i/o timeout`), timeoutMs) : undefined;
      sock.once('message', (msg) => {
        if (timer) clearTimeout(timer);
        if (msg.length === 0) {
          fail('OTHER: No data received from the server. Cannot guarantee the server received the request.');
        }
        process.exit(0);
      });
      sock.once('error', (err: NodeJS.ErrnoException) => {
        if (timer) clearTimeout(timer);
        if (err.code === 'ECONNREFUSED') fail(`REFUSED: read udp ${dest}: connection refused`);
        fail(`UNKNOWN: ${err.message}`);
      });
      sock.connect(target.port, target.address, () => sock.send(`${data}\n`));
    }, (err: unknown) => reject(err));
  });
}

export async function runConnect(args: readonly string[]): Promise<void> {
  const { values, positional } = parseFlags(args, {
    timeout: { kind: 'duration', default: 0 },
    protocol: { kind: 'string', default: 'tcp' },
    'udp-data': { kind: 'string', default: 'hostname' },
    'sctp-data': { kind: 'string', default: 'hostname' },
  });
  if (positional.length !== 1) fail(`Error: accepts 1 arg(s), received ${positional.length}`);
  const dest = positional[0] ?? '';
  const timeoutMs = Number(values['timeout']);
  const protocol = String(values['protocol']);
  try {
    splitHostPort(dest);
  } catch (err) {
    fail(`UNKNOWN: ${(err as Error).message}`);
  }
  try {
    switch (protocol) {
      case '':
      case 'tcp':
        await connectTCP(dest, timeoutMs);
        break;
      case 'udp':
        await connectUDP(dest, timeoutMs, String(values['udp-data']));
        break;
      default:
        fail(`Unsupported protocol\n${protocol}`);
    }
  } catch (err) {
    fail(`DNS: ${(err as Error).message}`);
  }
}
