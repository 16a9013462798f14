// agnhost serve-hostname: serves the hostname over HTTP (default), raw TCP or UDP on --port 9376.
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { parseFlags } from './_flags.js';
import { bindAddress, logLine, onTermination, podHostname } from './_pod.js';

function fatal(message: string): never {
  logLine(message);
  process.exit(1);
}

export function runServeHostname(args: readonly string[]): void {
  const { values, positional } = parseFlags(args, {
    tcp: { kind: 'bool', default: false },
    udp: { kind: 'bool', default: false },
    http: { kind: 'bool', default: true },
    close: { kind: 'bool', default: false },
    port: { kind: 'int', default: 9376 },
  });
  if (positional.length > 0) fatal(`accepts at most 0 arg(s), received ${positional.length}`);
  const doTCP = values['tcp'] === true;
  const doUDP = values['udp'] === true;
  const doHTTP = values['http'] === true;
  const doClose = values['close'] === true;
  const port = Number(values['port']);
  // Upstream refuses this combination; so do we (tests pass --http=false with --udp/--tcp).
  if (doHTTP && (doTCP || doUDP)) fatal("Can't server TCP/UDP mode and HTTP mode at the same time");
  const name = podHostname();
  const host = bindAddress();
  // "Serving on port N." is printed once every listener is bound, so it means ready.
  let pending = Number(doTCP) + Number(doUDP) + Number(doHTTP);
  const bound = (): void => {
    pending -= 1;
    if (pending === 0) logLine(`Serving on port ${port}.`);
  };
  if (pending === 0) logLine(`Serving on port ${port}.`);

  if (doTCP) {
    const server = createTcpServer((conn) => {
      logLine(`TCP request from ${conn.remoteAddress ?? ''}:${conn.remotePort ?? ''}`);
      conn.end(name);
    });
    server.on('error', (err) => fatal(`Error from net.Listen(): ${err.message}`));
    server.listen(port, host, bound);
  }
  if (doUDP) {
    const sock = createSocket('udp4');
    sock.on('error', (err) => fatal(`Error from ListenUDP(): ${err.message}`));
    sock.on('message', (_msg, rinfo) => {
      logLine(`UDP request from ${rinfo.address}:${rinfo.port}`);
      sock.send(name, rinfo.port, rinfo.address);
    });
    sock.bind(port, host, bound);
  }
  if (doHTTP) {
    const server = createHttpServer((req, res) => {
      logLine(`HTTP request from ${req.socket.remoteAddress ?? ''}:${req.socket.remotePort ?? ''}`);
      if (doClose) res.setHeader('Connection', 'close');
      res.end(name);
      req.resume();
    });
    server.on('error', (err) => fatal(`${err.message}`));
    server.listen(port, host, bound);
  }
  onTermination((sig) => {
    // Upstream keeps serving for 60 s after SIGTERM ("Awaiting pod deletion") and then exits 0.
    logLine(`Shutting down after receiving signal: ${sig === 'SIGTERM' ? 'terminated' : 'interrupt'}.`);
    logLine('Awaiting pod deletion.');
    setTimeout(() => process.exit(0), 60_000);
  });
}
