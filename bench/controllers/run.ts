// Benchmark: how long after a Pod's Ready condition changes does its EndpointSlice show it, with
// many Services present? Builds an in-process API (memoryApi) with N Services and their pods,
// starts the controllers, then flips pod readiness one at a time and times each flip from the
// pod status write to the watch event of the EndpointSlice carrying the new condition.
//
//   node dist/bench/controllers/run.js [--services 1000] [--pods 3] [--flips 2000] [--seconds 60]
//                                      [--only-endpoints]
import { performance } from 'node:perf_hooks';
import type { EndpointSlice, Pod, Service, Stored } from '../../src/api/index.js';
import { memoryApi } from '../../src/testing/index.js';
import { startControllers } from '../../src/controllers/index.js';

interface Options {
  services: number;
  pods: number;
  flips: number;
  seconds: number;
  onlyEndpoints: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  const o: Options = { services: 1000, pods: 3, flips: 2000, seconds: 60, onlyEndpoints: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v <= 0) throw new Error(`Cannot parse ${a}: expected a positive number`);
      return v;
    };
    if (a === '--services') o.services = num();
    else if (a === '--pods') o.pods = num();
    else if (a === '--flips') o.flips = num();
    else if (a === '--seconds') o.seconds = num();
    else if (a === '--only-endpoints') o.onlyEndpoints = true;
    else throw new Error(`Cannot parse argument ${a}: known are --services --pods --flips --seconds --only-endpoints`);
  }
  return o;
}

const say = (s: string) => process.stdout.write(`${s}\n`);
const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const api = await memoryApi();
  const c = api.client;
  const t0 = performance.now();

  const created = await c.nodes().create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node0' } });
  await c.nodes().updateStatus({ ...created, status: { conditions: [{ type: 'Ready', status: 'True' }] } });
  let ip = 0;
  const podIp = () => {
    ip++;
    return `10.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip & 255}`;
  };
  for (let s = 0; s < o.services; s++) {
    const name = `svc-${s}`;
    const svc: Service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: 'default' },
      spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }], clusterIP: `10.96.${s >> 8}.${s & 255}`, ipFamilies: ['IPv4'], type: 'ClusterIP' },
    };
    await c.services('default').create(svc);
    for (let p = 0; p < o.pods; p++) {
      const pod: Pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `${name}-${p}`, namespace: 'default', labels: { app: name } },
        spec: { nodeName: 'node0', containers: [{ name: 'c', image: 'agnhost', ports: [{ containerPort: 8080 }] }] },
      };
      const made = await c.pods('default').create(pod);
      const addr = podIp();
      await c.pods('default').updateStatus({
        ...made,
        status: { ...(made.status ?? {}), phase: 'Running', podIP: addr, podIPs: [{ ip: addr }], conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(Date.now()) }] },
      });
    }
  }
  const tObjects = performance.now();
  say(`created ${o.services} services and ${o.services * o.pods} pods in ${((tObjects - t0) / 1000).toFixed(1)} s`);

  const ctl = await startControllers({ client: c, ...(o.onlyEndpoints ? { controllers: ['endpoints', 'endpointslice'] as const } : {}) });
  // Converged when every service has a slice with all its pods ready.
  const readyCount = new Map<string, number>();
  const sliceReady = (s: EndpointSlice) => (s.endpoints ?? []).filter((e) => e.conditions?.ready).length;
  for (;;) {
    const slices = (await c.endpointSlices('default').list()).items;
    readyCount.clear();
    for (const s of slices) {
      const svc = s.metadata.labels?.['kubernetes.io/service-name'];
      if (svc) readyCount.set(svc, (readyCount.get(svc) ?? 0) + sliceReady(s));
    }
    if ([...readyCount.values()].filter((n) => n === o.pods).length >= o.services) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const tSynced = performance.now();
  say(`controllers converged on ${o.services} services in ${((tSynced - tObjects) / 1000).toFixed(1)} s`);

  // Watch slices; resolve the pending flip when its pod's endpoint shows the new condition.
  let pending: { pod: string; ready: boolean; resolve: (t: number) => void } | undefined;
  const rv = (await c.endpointSlices('default').list({ limit: 1 })).metadata.resourceVersion ?? '';
  const watch = await c.endpointSlices('default').watch({ resourceVersion: rv }, (e) => {
    if (!pending || e.type !== 'MODIFIED') return;
    const slice = e.object as Stored<EndpointSlice>;
    const ep = (slice.endpoints ?? []).find((x) => x.targetRef?.name === pending?.pod);
    if (ep && ep.conditions?.ready === pending.ready) {
      const done = pending;
      pending = undefined;
      done.resolve(performance.now());
    }
  });

  const latencies: number[] = [];
  const state = new Map<string, boolean>();
  const deadline = performance.now() + o.seconds * 1000;
  let timeouts = 0;
  let seed = 42;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let i = 0; i < o.flips && performance.now() < deadline; i++) {
    const podName = `svc-${rand(o.services)}-${rand(o.pods)}`;
    const ready = !(state.get(podName) ?? true);
    state.set(podName, ready);
    const cur = await c.pods('default').get(podName);
    const conditions = [{ type: 'Ready', status: ready ? ('True' as const) : ('False' as const), lastTransitionTime: rfc3339(Date.now()) }];
    const seen = new Promise<number>((resolve) => (pending = { pod: podName, ready, resolve }));
    const start = performance.now();
    await c.pods('default').updateStatus({ ...cur, status: { ...(cur.status ?? {}), conditions } });
    const end = await Promise.race([seen, new Promise<number>((r) => setTimeout(() => r(Number.NaN), 2000))]);
    if (Number.isNaN(end)) {
      timeouts++;
      pending = undefined;
      continue;
    }
    latencies.push(end - start);
  }
  watch.stop();
  await ctl.stop();
  await api.close();

  latencies.sort((a, b) => a - b);
  const fmt = (x: number) => `${x.toFixed(2)} ms`;
  say(`flips measured: ${latencies.length}${timeouts ? ` (${timeouts} not seen within 2 s)` : ''}; controllers: ${o.onlyEndpoints ? 'endpoints, endpointslice' : 'all'}`);
  say(`Ready change -> EndpointSlice watch event with ${o.services} Services: p50 ${fmt(quantile(latencies, 0.5))}, p90 ${fmt(quantile(latencies, 0.9))}, p99 ${fmt(quantile(latencies, 0.99))}, max ${fmt(latencies.at(-1) ?? Number.NaN)}`);
  say(`goal p99 < 10 ms: ${quantile(latencies, 0.99) < 10 ? 'met' : 'NOT met'}`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench/controllers failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
