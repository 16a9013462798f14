// The `kubeloop/hello` image (alias `gasbugs/http-go`): an HTTP server on $POD_IP:8080 that
// answers every request with the pod's hostname and a newline. Flags: --port (default 8080,
// or $PORT). Exits 0 on SIGTERM/SIGINT after closing the listener.
import { createServer } from 'node:http';
import { bindAddress, logLine, onTermination, podHostname } from './_pod.js';
import { FlagError, parseFlags } from './_flags.js';

function main(argv: readonly string[]): void {
  let port: number;
  try {
    const envPort = Number(process.env['PORT'] ?? '8080');
    const flags = parseFlags(argv, { port: { kind: 'int', default: Number.isInteger(envPort) ? envPort : 8080 } });
    port = Number(flags.values['port']);
  } catch (err) {
    process.stderr.write(`hello: ${err instanceof FlagError ? err.message : String(err)}\n`);
    process.exit(2);
  }
  const name = podHostname();
  const host = bindAddress();
  const server = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(`${name}\n`);
    req.resume();
  });
  server.on('error', (err) => {
    process.stderr.write(`hello: cannot listen on ${host}:${port}: ${err.message}\n`);
    process.exit(1);
  });
  server.listen(port, host, () => logLine(`hello: serving hostname ${name} on http://${host}:${port}/`));
  onTermination((sig) => {
    logLine(`hello: shutting down after ${sig}`);
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}

main(process.argv.slice(2));
