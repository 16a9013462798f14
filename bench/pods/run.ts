// Benchmark: how long from creating a Pod bound to a node until it is Running, and until it is
// Ready, with real processes; and what the node agent costs in memory per pod. Builds an
// in-process API (memoryApi), starts one node agent, then
//   1. sequential: creates pods one at a time, each waited for until Ready;
//   2. burst: creates N pods at once and times each of them.
// Latencies are taken from a watch on the pods (create call start → first event showing the
// phase / the Ready condition).
//
//   node --expose-gc dist/bench/pods/run.js [--pods 50] [--image gasbugs/http-go] [--probe] [--seconds 120]
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Pod, Stored } from '../../src/api/index.js';
import { memoryApi } from '../../src/testing/index.js';
import { startNodeAgent } from '../../src/node/agent/index.js';

interface Options {
  pods: number;
  image: string;
  probe: boolean;
  seconds: number;
}

function parseArgs(argv: readonly string[]): Options {
  const o: Options = { pods: 50, image: 'gasbugs/http-go', probe: false, seconds: 120 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v <= 0) throw new Error(`Cannot parse ${a}: expected a positive number`);
      return v;
    };
    if (a === '--pods') o.pods = Math.min(200, num());
    else if (a === '--seconds') o.seconds = num();
    else if (a === '--image') o.image = String(argv[++i]);
    else if (a === '--probe') o.probe = true;
    else throw new Error(`Cannot parse argument ${a}: known are --pods --image --probe --seconds`);
  }
  return o;
}

const say = (s: string) => process.stdout.write(`${s}\n`);
const NODE = 'bench-node';

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

function summary(label: string, xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const f = (v: number) => `${v.toFixed(0)} ms`;
  return `${label}: p50 ${f(quantile(s, 0.5))}, p99 ${f(quantile(s, 0.99))}, max ${f(s[s.length - 1] ?? Number.NaN)} (n=${s.length})`;
}

/** Resident memory of every live process below `pid` (the pods' processes), in KiB. */
function descendantsRssKiB(pid: number): { count: number; kib: number } {
  let frontier = [pid];
  let count = 0;
  let kib = 0;
  for (let depth = 0; depth < 32 && frontier.length > 0; depth++) {
    const next: number[] = [];
    for (const p of frontier) {
      try {
        for (const t of readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/)) if (t) next.push(Number(t));
      } catch {
        // gone
      }
    }
    for (const c of next) {
      try {
        const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${c}/status`, 'utf8'));
        if (m) {
          kib += Number(m[1]);
          count++;
        }
      } catch {
        // gone
      }
    }
    frontier = next;
  }
  return { count, kib };
}

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) {
    g();
    g();
  }
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const deadline = Date.now() + o.seconds * 1000;
  const api = await memoryApi();
  const dataDir = mkdtempSync(join(tmpdir(), 'kubeloop-bench-pods-'));
  const agent = await startNodeAgent({ client: api.client, nodeName: NODE, nodeIP: '127.244.240.1', podCIDR: '127.244.240.0/24', dataDir, clusterDNS: '127.96.0.10', shutdownGracePeriodMs: 500 });
  say(`runtime: ${agent.runtime.mode} (${agent.runtime.reason})`);
  const pods = api.client.pods('default');

  // Watch every pod; note when each first shows Running and Ready.
  const created = new Map<string, number>();
  const runningAt = new Map<string, number>();
  const readyAt = new Map<string, number>();
  const waiters = new Set<() => void>();
  const watch = await pods.watch({}, (e) => {
    if (e.type !== 'ADDED' && e.type !== 'MODIFIED') return;
    const p = e.object as Stored<Pod>;
    const name = p.metadata.name;
    const now = performance.now();
    if (p.status?.phase === 'Running' && !runningAt.has(name)) runningAt.set(name, now);
    if (p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') && !readyAt.has(name)) readyAt.set(name, now);
    for (const w of waiters) w();
  });
  const until = (cond: () => boolean): Promise<void> =>
    new Promise((resolve, reject) => {
      if (cond()) return resolve();
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error('Timed out waiting for pods (raise --seconds)'));
      }, Math.max(1, deadline - Date.now()));
      const check = (): void => {
        if (!cond()) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
    });
  const podFor = (name: string): Pod => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'bench' } },
    spec: {
      nodeName: NODE,
      terminationGracePeriodSeconds: 1,
      containers: [
        {
          name: 'app',
          image: o.image,
          ...(o.probe ? { readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 } } : {}),
        },
      ],
    },
  });
  const create = async (name: string): Promise<void> => {
    created.set(name, performance.now());
    await pods.create(podFor(name));
  };
  const latencies = (names: string[]) => ({
    running: names.map((n) => runningAt.get(n)! - created.get(n)!),
    ready: names.map((n) => readyAt.get(n)! - created.get(n)!),
  });
  const deleteAll = async (names: string[]) => {
    await Promise.all(names.map((n) => pods.delete(n)));
    await until(() => names.every((n) => !agentHas(n)));
  };
  const live = new Set<string>();
  const agentHas = (n: string) => live.has(n);
  const gone = await pods.watch({}, (e) => {
    const name = (e.object as Stored<Pod>).metadata.name;
    if (e.type === 'DELETED') live.delete(name);
    else if (e.type === 'ADDED') live.add(name);
    for (const w of waiters) w();
  });

  try {
    // Warm-up: the first start resolves images and JIT-compiles the agent's paths.
    await create('warmup');
    await until(() => readyAt.has('warmup'));
    await deleteAll(['warmup']);

    // 1. One at a time.
    const seq = Array.from({ length: o.pods }, (_, i) => `seq-${i}`);
    for (const n of seq) {
      await create(n);
      await until(() => readyAt.has(n));
    }
    const s = latencies(seq);
    say(`sequential, ${o.pods} pods one at a time (${o.image}${o.probe ? ', httpGet readiness probe every 1 s' : ', no probe'}):`);
    say(`  ${summary('create -> Running', s.running)}`);
    say(`  ${summary('create -> Ready  ', s.ready)}`);
    await deleteAll(seq);

    // 2. All at once; memory measured with all of them running.
    gc();
    const heap0 = process.memoryUsage();
    const burst = Array.from({ length: o.pods }, (_, i) => `burst-${i}`);
    const writes0 = agent.statusWrites;
    const t0 = performance.now();
    await Promise.all(burst.map(create));
    await until(() => burst.every((n) => readyAt.has(n)));
    const all = performance.now() - t0;
    const writes = agent.statusWrites - writes0;
    const b = latencies(burst);
    say(`burst, ${o.pods} pods created at once: all Ready after ${all.toFixed(0)} ms`);
    say(`  ${summary('create -> Running', b.running)}`);
    say(`  ${summary('create -> Ready  ', b.ready)}`);
    await new Promise((r) => setTimeout(r, 500));
    gc();
    const heap1 = process.memoryUsage();
    const kids = descendantsRssKiB(process.pid);
    const per = (x: number) => `${(x / o.pods / 1024).toFixed(1)} KiB`;
    say(`memory with ${o.pods} pods running:`);
    say(`  kubeloop process (agent + in-memory API + informers): heap +${per(heap1.heapUsed - heap0.heapUsed)} per pod, RSS +${per(heap1.rss - heap0.rss)} per pod`);
    say(`  pod processes: ${kids.count} processes, ${(kids.kib / o.pods / 1024).toFixed(1)} MiB RSS per pod`);
    say(`  pod status writes from create to Ready: ${(writes / o.pods).toFixed(2)} per pod`);
    await deleteAll(burst);
  } finally {
    watch.stop();
    gone.stop();
    await agent.stop();
    await api.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench/pods: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
