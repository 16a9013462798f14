// healthCheckNodePort servers (upstream pkg/proxy/healthcheck service_health.go): for each
// LoadBalancer Service with externalTrafficPolicy Local, an HTTP server on every node address at
// spec.healthCheckNodePort answers 200 when that node has at least one local *ready* endpoint
// and 503 otherwise (terminating endpoints do not count), so a load balancer only sends traffic
// to nodes that can serve it locally.
import http from 'node:http';
import type { NodeIndex } from './nodes.js';
import type { ServiceRef } from './types.js';

export interface HealthCheckService {
  service: ServiceRef;
  port: number;
  /** Local ready endpoints per node name. */
  localReady: Map<string, number>;
}

export interface HealthCheckProblem {
  service: ServiceRef;
  address: string;
  port: number;
  code: string;
  message: string;
}

interface Served {
  server: http.Server;
  node: string;
}

export class HealthCheckServer {
  /** port → the Service it reports on; replaced on every sync, read per request. */
  private readonly byPort = new Map<number, HealthCheckService>();
  private readonly servers = new Map<string, Served>();

  constructor(private readonly nodes: NodeIndex) {}

  /** Serves exactly `services`; returns the ports that could not be opened. */
  async sync(services: readonly HealthCheckService[]): Promise<HealthCheckProblem[]> {
    this.byPort.clear();
    for (const s of services) if (s.port > 0 && !this.byPort.has(s.port)) this.byPort.set(s.port, s);
    const wanted = new Map<string, { node: string; ip: string; port: number }>();
    for (const port of this.byPort.keys()) {
      for (const { node, ip } of this.nodes.nodeAddresses()) wanted.set(`${ip}:${port}`, { node, ip, port });
    }
    for (const [k, s] of this.servers) {
      if (!wanted.has(k)) {
        s.server.close();
        this.servers.delete(k);
      }
    }
    const problems: HealthCheckProblem[] = [];
    await Promise.all(
      [...wanted].filter(([k]) => !this.servers.has(k)).map(async ([k, w]) => {
        const server = http.createServer((req, res) => this.answer(w.node, w.port, res));
        server.keepAliveTimeout = 1000;
        const err = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
          server.once('error', resolve);
          server.listen({ host: w.ip, port: w.port }, () => resolve(undefined));
        });
        if (err) {
          const svc = this.byPort.get(w.port);
          if (svc) problems.push({ service: svc.service, address: w.ip, port: w.port, code: err.code ?? 'ERROR', message: `Cannot serve health check on ${w.ip}:${w.port}: ${err.message}` });
          return;
        }
        server.on('error', () => {});
        this.servers.set(k, { server, node: w.node });
      }),
    );
    return problems;
  }

  private answer(node: string, port: number, res: http.ServerResponse): void {
    const svc = this.byPort.get(port);
    const local = svc?.localReady.get(node) ?? 0;
    const body = JSON.stringify({
      service: { namespace: svc?.service.namespace ?? '', name: svc?.service.name ?? '' },
      localEndpoints: local,
      serviceProxyHealthy: true,
    });
    res.writeHead(local > 0 ? 200 : 503, { 'Content-Type': 'application/json', 'X-Content-Type-Options': 'nosniff', 'X-Load-Balancing-Endpoint-Weight': String(local) });
    res.end(body);
  }

  async stop(): Promise<void> {
    for (const s of this.servers.values()) {
      s.server.closeAllConnections();
      s.server.close();
    }
    this.servers.clear();
  }
}
