// Prometheus metrics of the proxy (prom-client). Live data-plane counters are read from the data
// plane's snapshot at scrape time (collectors are async: the snapshot gathers the counters of every
// forwarding process), so the forwarding path only bumps plain numbers.
import client from 'prom-client';
import type { DataPlaneSnapshot } from './dataplane/types.js';

export interface ProxyMetrics {
  registry: client.Registry;
  syncDuration: client.Histogram;
  programmingLatency: client.Histogram;
  syncs: client.Counter;
  syncErrors: client.Counter;
  text(): Promise<string>;
}

const SP_LABELS = ['namespace', 'service', 'port', 'protocol'] as const;
const EP_LABELS = [...SP_LABELS, 'endpoint'] as const;

/** Registers the proxy's metrics on `registry` (a new one by default); `snapshot` is read per scrape. */
export function createProxyMetrics(snapshot: () => Promise<DataPlaneSnapshot>, registry = new client.Registry()): ProxyMetrics {
  const registers = [registry];
  const spLabels = (s: DataPlaneSnapshot['servicePorts'][number]) => ({ namespace: s.namespace, service: s.name, port: s.portName, protocol: s.protocol });
  // One snapshot per scrape, shared by every collector of that scrape; one being gathered is fresh.
  let cached: { at: number; snap: Promise<DataPlaneSnapshot> } | undefined;
  const snap = () => {
    if (!cached || Date.now() - cached.at > 50) {
      const entry = { at: Number.POSITIVE_INFINITY, snap: snapshot() };
      entry.snap.then(
        () => (entry.at = Date.now()),
        () => (entry.at = 0),
      );
      cached = entry;
    }
    return cached.snap;
  };
  const perEndpoint = (
    name: string,
    help: string,
    kind: 'gauge' | 'counter',
    value: (e: DataPlaneSnapshot['servicePorts'][number]['endpoints'][number]) => number,
  ) => {
    const collect = async function (this: client.Gauge<string> | client.Counter<string>) {
      const { servicePorts } = await snap();
      this.reset();
      for (const s of servicePorts) {
        for (const e of s.endpoints) {
          const v = value(e);
          const labels = { ...spLabels(s), endpoint: e.endpoint };
          if (this instanceof client.Gauge) this.set(labels, v);
          else this.inc(labels, v);
        }
      }
    };
    return kind === 'gauge'
      ? new client.Gauge({ name, help, labelNames: EP_LABELS, registers, collect })
      : new client.Counter({ name, help, labelNames: EP_LABELS, registers, collect });
  };
  perEndpoint('kubeloop_proxy_endpoint_active_connections', 'Connections (TCP) or flows (UDP) open to the endpoint now.', 'gauge', (e) => e.activeConnections);
  perEndpoint('kubeloop_proxy_endpoint_connections_total', 'Connections (TCP) or flows (UDP) routed to the endpoint.', 'counter', (e) => e.totalConnections);
  perEndpoint('kubeloop_proxy_endpoint_bytes_in_total', 'Bytes from clients to the endpoint.', 'counter', (e) => e.bytesIn);
  perEndpoint('kubeloop_proxy_endpoint_bytes_out_total', 'Bytes from the endpoint to clients.', 'counter', (e) => e.bytesOut);
  perEndpoint('kubeloop_proxy_endpoint_dial_failures_total', 'Upstream connects to the endpoint that failed.', 'counter', (e) => e.dialFailures);

  const perServicePort = (name: string, help: string, value: (s: DataPlaneSnapshot['servicePorts'][number]) => number) =>
    new client.Counter({
      name,
      help,
      labelNames: SP_LABELS,
      registers,
      async collect() {
        const { servicePorts } = await snap();
        this.reset();
        for (const s of servicePorts) this.inc(spLabels(s), value(s));
      },
    });
  perServicePort('kubeloop_proxy_service_refused_total', 'Connections reset by the proxy because every endpoint tried failed (connections refused by the kernel for a service without endpoints are not seen).', (s) => s.refused);
  perServicePort('kubeloop_proxy_service_dropped_total', 'Connections held unanswered because a Local traffic policy left no endpoint.', (s) => s.dropped);
  perServicePort('kubeloop_proxy_service_active_connections', 'Connections open through the service port now.', (s) => s.endpoints.reduce((n, e) => n + e.activeConnections, 0));
  perServicePort('kubeloop_proxy_service_connections_total', 'Connections routed through the service port.', (s) => s.endpoints.reduce((n, e) => n + e.totalConnections, 0));
  new client.Gauge({
    name: 'kubeloop_proxy_unserved_ports',
    help: 'Service addresses the data plane wants to serve but cannot (e.g. ports below 1024 without privileges).',
    registers,
    async collect() {
      this.set((await snap()).unserved.length);
    },
  });

  const syncDuration = new client.Histogram({
    name: 'kubeloop_proxy_sync_duration_seconds',
    help: 'Time to apply the proxy state to the data plane.',
    buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  const programmingLatency = new client.Histogram({
    name: 'kubeloop_proxy_change_to_programmed_seconds',
    help: 'Time from the proxy seeing a Service or EndpointSlice change to the data plane serving it.',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });
  const syncs = new client.Counter({ name: 'kubeloop_proxy_syncs_total', help: 'Data plane syncs.', registers });
  const syncErrors = new client.Counter({ name: 'kubeloop_proxy_sync_errors_total', help: 'Data plane syncs that failed.', registers });
  return { registry, syncDuration, programmingLatency, syncs, syncErrors, text: () => registry.metrics() };
}
