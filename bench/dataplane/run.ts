// bench/dataplane: one backend (nginx-light, 1 worker) measured directly, through the kubeloop
// userspace proxy (ClusterIP) forwarding in 1 process and in N worker processes, and through
// HAProxy (mode tcp, 1 thread; roundrobin and balance source), with wrk keep-alive and
// new-connection-per-request. Prints req/s, p50, p99 and ratios (median of rounds), then the
// endpoint-change → routed latency of each kubeloop target. Everything is on 127.0.0.0/8; every
// child is started here and stopped here by pid.
//
// Usage: bench/dataplane/run.sh [--duration 10] [--rounds 3] [--connections 50] [--latency-samples 200]
//                               [--workers 2] (N; a comma list such as 2,3 adds a target per N)
import { spawn, fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? Number(args[i + 1]) : dflt;
};
const DURATION = opt('duration', 10);
const ROUNDS = opt('rounds', 3);
const CONNS = opt('connections', 50);
const LAT_N = opt('latency-samples', 200);
const VARIANTS = !args.includes('--no-variants');
const wi = args.indexOf('--workers');
const WORKERS = (wi >= 0 && args[wi + 1] ? args[wi + 1]! : '2').split(',').map(Number).filter((n) => Number.isInteger(n) && n > 1);
if (WORKERS.length === 0) throw new Error('--workers wants N > 1 (or a comma list)');

const BACKEND = { ip: '127.244.250.5', port: 8080 };
const KUBELOOP1 = { ip: '127.96.250.2', port: 18080 };
const HAPROXY_RR = { ip: '127.96.250.3', port: 18080 };
const HAPROXY_SRC = { ip: '127.96.250.4', port: 18080 };
const NAIVE = { ip: '127.96.250.5', port: 18080 };
const KUBELOOP_NOBIND = { ip: '127.96.250.6', port: 18080 };
const KUBELOOP_PIPE = { ip: '127.96.250.7', port: 18080 };
const NAIVE2 = { ip: '127.96.250.8', port: 18080 };
const KUBELOOP_AFFINITY = { ip: '127.96.250.9', port: 18080 };
/** kubeloop with N workers: 127.96.250.(20 + N). */
const kubeloopN = (n: number) => ({ ip: `127.96.250.${20 + n}`, port: 18080 });

const children: ChildProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'kubeloop-bench-dp-'));

function cleanup(): void {
  for (const c of children) if (c.pid && c.exitCode === null) c.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
process.on('exit', cleanup);
process.on('SIGINT', () => process.exit(130));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function startNginx(): ChildProcess {
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx.err warn;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  keepalive_requests 1000000;
  server {
    listen ${BACKEND.ip}:${BACKEND.port} backlog=4096;
    location / { return 200 "kubeloop dataplane benchmark backend: a 92-byte body, the same size as dataplane.md used.....\n"; }
  }
}
`,
  );
  const c = spawn('nginx', ['-c', conf, '-g', 'daemon off;'], { stdio: 'ignore' });
  children.push(c);
  return c;
}

function startHaproxy(name: string, addr: { ip: string; port: number }, balance: string): ChildProcess {
  const conf = join(dir, `${name}.cfg`);
  writeFileSync(
    conf,
    `global
  nbthread 1
  maxconn 8000
defaults
  mode tcp
  timeout connect 5s
  timeout client 60s
  timeout server 60s
listen ${name}
  bind ${addr.ip}:${addr.port}
  balance ${balance}
  server b1 ${BACKEND.ip}:${BACKEND.port}
`,
  );
  const c = spawn('haproxy', ['-f', conf, '-db'], { stdio: 'ignore' });
  children.push(c);
  return c;
}

/** A kubeloop proxy child; `probe` (1..99) also runs the endpoint-change probe on its own addresses. */
async function startProxy(addr: { ip: string; port: number }, setup: { userspace: object; affinitySeconds?: number }, probe?: number): Promise<ChildProcess> {
  const c = fork(new URL('./_proxy.js', import.meta.url), [addr.ip, String(addr.port), BACKEND.ip, String(BACKEND.port), JSON.stringify(setup), probe ? `probe:${probe}` : 'no-probe'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(c);
  await new Promise<void>((resolve, reject) => {
    c.once('message', () => resolve());
    c.once('exit', (code) => reject(new Error(`proxy child exited with ${code}`)));
  });
  return c;
}

interface WrkResult {
  rps: number;
  p50: number;
  p99: number;
  errors: string;
}

function toMs(v: string): number {
  const m = /^([\d.]+)(us|ms|s)$/.exec(v.trim());
  if (!m) return NaN;
  const n = Number(m[1]);
  return m[2] === 'us' ? n / 1000 : m[2] === 's' ? n * 1000 : n;
}

function wrk(addr: { ip: string; port: number }, close: boolean): Promise<WrkResult> {
  const a = ['-t1', `-c${CONNS}`, `-d${DURATION}s`, '--latency', '--timeout', '5s'];
  if (close) a.push('-H', 'Connection: close');
  a.push(`http://${addr.ip}:${addr.port}/`);
  return new Promise((resolve, reject) => {
    const c = spawn('wrk', a, { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(c);
    let out = '';
    c.stdout.on('data', (d) => (out += d.toString()));
    const killer = setTimeout(() => c.kill('SIGKILL'), (DURATION + 30) * 1000);
    c.on('exit', () => {
      clearTimeout(killer);
      const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN);
      const p50 = toMs(/\s50%\s+(\S+)/.exec(out)?.[1] ?? '');
      const p99 = toMs(/\s99%\s+(\S+)/.exec(out)?.[1] ?? '');
      const errors = [/Socket errors:.*/.exec(out)?.[0], /Non-2xx.*/.exec(out)?.[0]].filter(Boolean).join('; ');
      if (Number.isNaN(rps)) reject(new Error(`wrk failed: ${out}`));
      else resolve({ rps, p50, p99, errors });
    });
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

async function waitPort(addr: { ip: string; port: number }): Promise<void> {
  const net = await import('node:net');
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((r) => {
      const s = net.connect(addr.port, addr.ip);
      s.on('connect', () => (s.destroy(), r(true)));
      s.on('error', () => r(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`nothing listens on ${addr.ip}:${addr.port}`);
}

async function main(): Promise<void> {
  startNginx();
  startHaproxy('rr', HAPROXY_RR, 'roundrobin');
  startHaproxy('src', HAPROXY_SRC, 'source');
  // The kubeloop targets: forwarding in the main process, and in N workers (the default is 2).
  const probes: { name: string; child: ChildProcess }[] = [{ name: 'kubeloop, 1 worker', child: await startProxy(KUBELOOP1, { userspace: { workers: 1 } }, 1) }];
  const targets = [
    { name: 'direct to pod', addr: BACKEND },
    { name: 'kubeloop, 1 worker', addr: KUBELOOP1 },
  ];
  for (const n of WORKERS) {
    const name = `kubeloop, ${n} workers`;
    probes.push({ name, child: await startProxy(kubeloopN(n), { userspace: { workers: n } }, 1 + n) });
    targets.push({ name, addr: kubeloopN(n) });
  }
  targets.push({ name: 'HAProxy roundrobin', addr: HAPROXY_RR }, { name: 'HAProxy balance source', addr: HAPROXY_SRC });
  if (VARIANTS) {
    // Same-run baselines for the optimisation log: the naive proxy of dataplane.md §4 (in one
    // process and in 2 cluster workers), the kubeloop data plane without source binding and with
    // stream.pipe (1 worker, against "kubeloop, 1 worker"), and a ClientIP-affinity Service with N
    // workers (each pick asked of the main process).
    const n = WORKERS[0]!;
    children.push(fork(new URL('./_naive.js', import.meta.url), [NAIVE.ip, String(NAIVE.port), BACKEND.ip, String(BACKEND.port)], { stdio: 'ignore' }));
    children.push(fork(new URL('./_naive.js', import.meta.url), [NAIVE2.ip, String(NAIVE2.port), BACKEND.ip, String(BACKEND.port), '2'], { stdio: 'ignore' }));
    await startProxy(KUBELOOP_NOBIND, { userspace: { workers: 1, bindClientSource: false } });
    await startProxy(KUBELOOP_PIPE, { userspace: { workers: 1, forwarding: 'pipe' } });
    await startProxy(KUBELOOP_AFFINITY, { userspace: { workers: n }, affinitySeconds: 10800 });
    targets.push(
      { name: 'naive Node pipe proxy', addr: NAIVE },
      { name: 'naive, 2 SCHED_NONE workers', addr: NAIVE2 },
      { name: 'kubeloop 1 worker, no source bind', addr: KUBELOOP_NOBIND },
      { name: 'kubeloop 1 worker, stream.pipe', addr: KUBELOOP_PIPE },
      { name: `kubeloop ${n} workers, ClientIP affinity`, addr: KUBELOOP_AFFINITY },
    );
  }
  for (const t of targets) await waitPort(t.addr);
  const results = new Map<string, WrkResult[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const close of [false, true]) {
      for (const t of targets) {
        const key = `${close ? 'new' : 'ka'}|${t.name}`;
        const r = await wrk(t.addr, close);
        process.stderr.write(`round ${round + 1} ${close ? 'new-conn' : 'keep-alive'} ${t.name}: ${Math.round(r.rps)} req/s p50 ${r.p50} ms p99 ${r.p99} ms ${r.errors}\n`);
        results.set(key, [...(results.get(key) ?? []), r]);
        await sleep(1000);
      }
    }
  }

  const lines: string[] = [];
  lines.push(`bench/dataplane — wrk -t1 -c${CONNS} -d${DURATION}s, ${ROUNDS} round(s), median; backend nginx-light 1 worker on ${BACKEND.ip}:${BACKEND.port}; node ${process.version}; ${(await import('node:os')).cpus().length} CPUs`);
  for (const mode of ['ka', 'new'] as const) {
    lines.push('');
    lines.push(mode === 'ka' ? 'keep-alive' : 'new connection per request (Connection: close)');
    lines.push('| target | req/s | p50 ms | p99 ms | ÷ direct | ÷ HAProxy rr | runs |');
    lines.push('|---|---|---|---|---|---|---|');
    const med = (name: string) => median((results.get(`${mode}|${name}`) ?? []).map((r) => r.rps));
    const direct = med('direct to pod');
    const ha = med('HAProxy roundrobin');
    for (const t of targets) {
      const rs = results.get(`${mode}|${t.name}`) ?? [];
      const rps = median(rs.map((r) => r.rps));
      lines.push(
        `| ${t.name} | ${Math.round(rps)} | ${median(rs.map((r) => r.p50)).toFixed(2)} | ${median(rs.map((r) => r.p99)).toFixed(2)} | ${(rps / direct).toFixed(2)} | ${(rps / ha).toFixed(2)} | ${rs.map((r) => Math.round(r.rps)).join(', ')} |`,
      );
    }
    const goal = mode === 'ka' ? 0.8 : 0.6;
    for (const p of probes) {
      const k = med(p.name) / ha;
      lines.push(`goal ${p.name} ≥ ${goal}× HAProxy: ${k.toFixed(2)}× — ${k >= goal ? 'met' : 'NOT met'}`);
    }
  }

  lines.push('');
  for (const p of probes) {
    const lat = await new Promise<{ latency: number[]; metrics: string }>((resolve) => {
      p.child.once('message', (m) => resolve(m as { latency: number[]; metrics: string }));
      p.child.send({ cmd: 'latency', n: LAT_N });
    });
    const finite = lat.latency.filter(Number.isFinite);
    lines.push(
      `${p.name}: endpoint change → first new connection routed to the new endpoint (API write to answer), ${lat.latency.length} samples: p50 ${pct(finite, 50).toFixed(2)} ms, p99 ${pct(finite, 99).toFixed(2)} ms, max ${Math.max(...finite).toFixed(2)} ms, missed ${lat.latency.length - finite.length} — goal p99 < 10 ms: ${finite.length === lat.latency.length && pct(finite, 99) < 10 ? 'met' : 'NOT met'}`,
    );
    const prog = /kubeloop_proxy_change_to_programmed_seconds_sum (\S+)\s+kubeloop_proxy_change_to_programmed_seconds_count (\S+)/.exec(lat.metrics);
    if (prog) lines.push(`${p.name}: proxy-side change→programmed mean ${((Number(prog[1]) / Number(prog[2])) * 1000).toFixed(3)} ms over ${prog[2]} syncs`);
    p.child.send({ cmd: 'stop' });
  }
  console.log(lines.join('\n'));
  await sleep(300);
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(cleanup);
