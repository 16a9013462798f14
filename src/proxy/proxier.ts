// The proxy pipeline (upstream pkg/proxy: config → change trackers → runner → data plane):
// handlers record changes in the trackers and poke the bounded-frequency runner; each run applies
// the pending changes to the service and endpoint maps, hands the complete desired state to the
// data plane and the health-check servers, records metrics, and reports ports it cannot serve as
// Warning events on their Services.
import type { Clock, EventRecorder } from '../client/index.js';
import type { EndpointSliceHandler, ServiceHandler } from './config/index.js';
import type { DataPlane, DesiredState, ServicePortState, UnservedPort } from './dataplane/types.js';
import { EndpointsChangeTracker, EndpointsMap } from './endpointschangetracker.js';
import { HealthCheckServer, type HealthCheckProblem, type HealthCheckService } from './healthcheck.js';
import type { ProxyMetrics } from './metrics.js';
import type { NodeIndex } from './nodes.js';
import { BoundedFrequencyRunner } from './runner.js';
import { ServiceChangeTracker, ServicePortMap } from './servicechangetracker.js';
import { localReadyCount } from './topology.js';
import type { ServiceRef } from './types.js';

export interface ProxierOptions {
  dataPlane: DataPlane;
  nodes: NodeIndex;
  clock: Clock;
  log: (line: Record<string, unknown>) => void;
  metrics: ProxyMetrics;
  recorder?: EventRecorder;
  minSyncIntervalMs: number;
  maxSyncIntervalMs: number;
  syncBurst: number;
}

/** Something the proxy wants to serve and cannot, with the reason (EACCES, EADDRINUSE, ...). */
export interface UnservedAddress {
  service: ServiceRef;
  servicePortId?: string;
  address: string;
  port: number;
  protocol: string;
  code: string;
  message: string;
}

export class Proxier {
  private readonly serviceChanges = new ServiceChangeTracker();
  private readonly endpointsChanges: EndpointsChangeTracker;
  private readonly serviceMap = new ServicePortMap();
  private readonly endpointsMap = new EndpointsMap();
  private readonly runner: BoundedFrequencyRunner;
  private readonly health: HealthCheckServer;
  private servicesSynced = false;
  private slicesSynced = false;
  /** Clock time of the oldest change not yet programmed. */
  private pendingSince: number | undefined;
  private waiters: (() => void)[] = [];
  private reported = new Set<string>();
  private unservedNow: UnservedAddress[] = [];
  syncCount = 0;
  lastSyncAt = 0;

  constructor(private readonly o: ProxierOptions) {
    this.endpointsChanges = new EndpointsChangeTracker(() => o.clock.now());
    this.health = new HealthCheckServer(o.nodes);
    this.runner = new BoundedFrequencyRunner(() => this.syncProxyRules(), {
      name: 'sync-proxy-rules',
      minIntervalMs: o.minSyncIntervalMs,
      maxIntervalMs: o.maxSyncIntervalMs,
      burst: o.syncBurst,
      onError: (e) => {
        o.metrics.syncErrors.inc();
        o.log({ level: 'error', msg: 'proxy sync failed', error: e instanceof Error ? e.message : String(e) });
      },
    });
  }

  private get initialized(): boolean {
    return this.servicesSynced && this.slicesSynced;
  }

  private changed(needed: boolean): void {
    if (!needed) return;
    this.pendingSince ??= performance.now();
    if (this.initialized) this.runner.run();
  }

  // The two handler interfaces share method names, so the proxier exposes one adapter for each.
  readonly services: ServiceHandler = {
    onAdd: (s) => this.changed(this.serviceChanges.update(undefined, s)),
    onUpdate: (a, b) => this.changed(this.serviceChanges.update(a, b)),
    onDelete: (s) => this.changed(this.serviceChanges.update(s, undefined)),
    onSynced: () => {
      this.servicesSynced = true;
      if (this.initialized) this.runner.loop();
    },
  };

  readonly endpointSlices: EndpointSliceHandler = {
    onAdd: (s) => this.changed(this.endpointsChanges.endpointSliceUpdate(s, false)),
    onUpdate: (_a, b) => this.changed(this.endpointsChanges.endpointSliceUpdate(b, false)),
    onDelete: (s) => this.changed(this.endpointsChanges.endpointSliceUpdate(s, true)),
    onSynced: () => {
      this.slicesSynced = true;
      if (this.initialized) this.runner.loop();
    },
  };

  /** Resolves after a sync that started after this call has finished (it includes every change seen so far). */
  flush(): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.runner.run();
    });
  }

  unserved(): UnservedAddress[] {
    return this.unservedNow;
  }

  async stop(): Promise<void> {
    await this.runner.stop();
    await this.health.stop();
    for (const w of this.waiters.splice(0)) w();
  }

  private async syncProxyRules(): Promise<void> {
    if (!this.initialized) return;
    const waiters = this.waiters.splice(0);
    const since = this.pendingSince;
    this.pendingSince = undefined;
    const t0 = performance.now();
    try {
      this.serviceMap.apply(this.serviceChanges);
      this.endpointsMap.apply(this.endpointsChanges);
      const servicePorts: ServicePortState[] = [];
      const health = new Map<string, HealthCheckService>();
      for (const sp of this.serviceMap.values()) {
        const endpoints = this.endpointsMap.get(sp.id);
        servicePorts.push({ ...sp, endpoints });
        if (sp.healthCheckNodePort > 0) {
          const h = health.get(sp.serviceKey) ?? { service: sp.service, port: sp.healthCheckNodePort, localReady: new Map<string, number>() };
          for (const n of this.o.nodes.nodes) h.localReady.set(n.name, Math.max(h.localReady.get(n.name) ?? 0, localReadyCount(endpoints, n.name)));
          health.set(sp.serviceKey, h);
        }
      }
      const state: DesiredState = { servicePorts };
      const report = await this.o.dataPlane.sync(state);
      const hcProblems = await this.health.sync([...health.values()]);
      this.report(report.unserved, hcProblems);
      this.o.metrics.syncs.inc();
      this.o.metrics.syncDuration.observe((performance.now() - t0) / 1000);
      if (since !== undefined) this.o.metrics.programmingLatency.observe(Math.max(0, performance.now() - since) / 1000);
      this.syncCount++;
      this.lastSyncAt = this.o.clock.now();
    } finally {
      for (const w of waiters) w();
    }
  }

  /** Keeps the list of unserved addresses and records one Warning event per new problem. */
  private report(unserved: UnservedPort[], hc: HealthCheckProblem[]): void {
    const now: UnservedAddress[] = [
      ...unserved.map((u) => ({
        service: u.service,
        servicePortId: u.servicePortId,
        address: u.frontend.address,
        port: u.frontend.port,
        protocol: u.frontend.protocol,
        code: u.code,
        message: u.message,
      })),
      ...hc.map((h) => ({ service: h.service, address: h.address, port: h.port, protocol: 'TCP', code: h.code, message: h.message })),
    ];
    this.unservedNow = now;
    const keys = new Set<string>();
    for (const u of now) {
      const key = `${u.service.uid}|${u.address}:${u.port}/${u.protocol}|${u.code}`;
      keys.add(key);
      if (this.reported.has(key)) continue;
      this.reported.add(key);
      this.o.log({ level: 'warn', msg: 'service address not served', service: `${u.service.namespace}/${u.service.name}`, address: `${u.address}:${u.port}/${u.protocol}`, code: u.code });
      void this.o.recorder?.record(
        { apiVersion: 'v1', kind: 'Service', metadata: { namespace: u.service.namespace, name: u.service.name, uid: u.service.uid, resourceVersion: u.service.resourceVersion } },
        'Warning',
        'FailedToServe',
        u.message,
      );
    }
    for (const k of [...this.reported]) if (!keys.has(k)) this.reported.delete(k);
  }
}

